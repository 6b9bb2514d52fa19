package sim

// ConsensusCopier does no validation work and reports the consensus of epoch
// t - Lag, the weight copier of the commit-reveal setting (seeds/000 eq. 37:
// w_t^k = C_{t-5}). Before epoch Lag it reports Initial, or the epoch-0 signal
// when Initial is nil (the paper's copier starts from [rho, 0.5 - rho, 0, 0.5]).
type ConsensusCopier struct {
	Lag     int
	Initial []float64
}

// Weights implements Strategy.
func (c ConsensusCopier) Weights(h *History, t int, dst []float64) {
	if t < c.Lag {
		fallback(h, c.Initial, dst)
		return
	}
	copy(dst, h.Consensus(t-c.Lag))
}
