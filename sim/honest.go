package sim

// Honest reports the miners' true signal of the current epoch, w_t = v_t
// (the engine normalises it to v_t / ||v_t||_1, the paper's honest report,
// seeds/000 section 4.1).
type Honest struct{}

// Weights implements Strategy.
func (Honest) Weights(h *History, t int, dst []float64) { copy(dst, h.Signal(t)) }
