package sim

import "math/rand/v2"

// NoisyHonest observes the true signal with independent Gaussian noise,
// score_j = max(0, v_t(j) + Sigma * N(0, 1)), and reports the scores
// (server-side winner-takes-all cases) or, with Argmax, a one-hot vector on the
// best score (client-side winner-takes-all, yuma-simulation cases 19-24). The
// draws depend only on (Seed, Stream, t): every variant sees the same noise.
type NoisyHonest struct {
	Sigma  float64
	Argmax bool
	Seed   uint64
	Stream uint64
}

// Weights implements Strategy.
func (n NoisyHonest) Weights(h *History, t int, dst []float64) {
	r := rand.New(rand.NewPCG(n.Seed, n.Stream^(uint64(t)*0x9e3779b97f4a7c15)))
	for j, v := range h.Signal(t) {
		x := v + n.Sigma*r.NormFloat64()
		if x < 0 {
			x = 0
		}
		dst[j] = x
	}
	if n.Argmax {
		argmaxOneHot(dst)
	}
}
