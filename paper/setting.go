package paper

import (
	"fmt"
	"math"
)

// Validator rows of the paper's setting.
const (
	rowHonest = 0 // j: 1 TAO, honest
	rowCopier = 1 // k: 1 TAO, copies the consensus with a lag
	rowBig    = 2 // c: 98 TAO, honest
	miners    = 4 // A, B, C, D
)

// Setting is one run of the paper's simulated setting (section 4.1).
type Setting struct {
	Rho    float64    // initial signal of miner A
	Delta  float64    // jump of miner A's signal (may be negative in Fig. 5)
	Lag    int        // rounds between a consensus and the copier reporting it (5)
	Rounds int        // number of rounds simulated (20)
	Stake  [3]float64 // stakes of j, k, c in TAO ([1, 1, 98])
}

// SignalA returns miner A's signal at round t (eq. 33): rho for t < 1,
// rho + delta*t/3 for 1 <= t < 3, rho + delta from t = 3 on.
func (s Setting) SignalA(t int) float64 {
	switch {
	case t < 1:
		return s.Rho
	case t < 3:
		return s.Rho + s.Delta*float64(t)/3
	default:
		return s.Rho + s.Delta
	}
}

// Signal returns the normalised signal vector [A, 0.5 - A, 0, 0.5] of round t
// (eqs. 33-36), which is what the honest validators report.
func (s Setting) Signal(t int) [miners]float64 {
	a := s.SignalA(t)
	return [miners]float64{a, 0.5 - a, 0, 0.5}
}

// Validate checks that every signal stays in [0, 0.5] and that the lag,
// horizon and stakes make sense.
func (s Setting) Validate() error {
	for _, x := range []float64{s.Rho, s.Delta} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("setting: rho %v and delta %v must be finite", s.Rho, s.Delta)
		}
	}
	const eps = 1e-12
	if s.Rho < -eps || s.Rho > 0.5+eps || s.Rho+s.Delta < -eps || s.Rho+s.Delta > 0.5+eps {
		return fmt.Errorf("setting: rho %v and rho + delta %v must lie in [0, 0.5]", s.Rho, s.Rho+s.Delta)
	}
	if s.Rounds < 1 || s.Lag < 0 {
		return fmt.Errorf("setting: need rounds >= 1 and lag >= 0, got %d and %d", s.Rounds, s.Lag)
	}
	for i, x := range s.Stake {
		if math.IsNaN(x) || math.IsInf(x, 0) || x <= 0 {
			return fmt.Errorf("setting: stake[%d] = %v must be positive", i, x)
		}
	}
	return nil
}
