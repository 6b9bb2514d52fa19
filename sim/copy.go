package sim

// Copier reports the weights validator Target submitted at epoch t - Lag
// (row-normalised, as the chain would reveal them). With
// Lag 0 it copies the current epoch's weights (the driver evaluates the target
// first). Before epoch Lag it reports Initial, or the epoch-0 signal.
type Copier struct {
	Target  int
	Lag     int
	Initial []float64
}

// Weights implements Strategy.
func (c Copier) Weights(h *History, t int, dst []float64) {
	if t < c.Lag {
		fallback(h, c.Initial, dst)
		return
	}
	copy(dst, h.Weights(c.Target, t-c.Lag))
}
