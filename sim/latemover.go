package sim

// LateMover reports the true signal Delay epochs late, w_t = v_{max(t-Delay, 0)}:
// it follows every change of the miners Delay epochs after honest validators
// (the "lazy" validators of the yuma-simulation cases, generalised).
type LateMover struct {
	Delay int
}

// Weights implements Strategy.
func (l LateMover) Weights(h *History, t int, dst []float64) {
	t -= l.Delay
	if t < 0 {
		t = 0
	}
	copy(dst, h.Signal(t))
}
