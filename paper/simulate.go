package paper

import (
	"fmt"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/penalty"
)

// Trajectory is the record of one simulated run, indexed by round.
type Trajectory struct {
	HonestA   []float64    // w_t^j(A), the honest report for miner A
	CopierA   []float64    // w_t^k(A), the copier's report for miner A
	Dividends [][3]float64 // dividend shares of j, k, c (sum to 1)
}

// simulate runs one setting on a fresh engine: the honest validators report
// the signal; the copier reports the initial signal for t < lag and the
// consensus of round t - lag afterwards (eq. 37).
func simulate(newEngine epoch.Factory, cfg epoch.Config, s Setting) (Trajectory, error) {
	if err := s.Validate(); err != nil {
		return Trajectory{}, err
	}
	eng, err := newEngine(cfg, 3, miners)
	if err != nil {
		return Trajectory{}, fmt.Errorf("engine %s/%s/%s: %w", cfg.Yuma, cfg.LiquidAlpha, cfg.Compat, err)
	}
	tr := Trajectory{
		HonestA:   make([]float64, s.Rounds),
		CopierA:   make([]float64, s.Rounds),
		Dividends: make([][3]float64, s.Rounds),
	}
	consensus := make([][miners]float64, s.Rounds)
	weights := make([]float64, 3*miners)
	stake := s.Stake[:]
	for t := range s.Rounds {
		v := s.Signal(t)
		copier := s.Signal(0)
		if t >= s.Lag {
			copier = consensus[t-s.Lag]
		}
		copy(weights[rowHonest*miners:], v[:])
		copy(weights[rowCopier*miners:], copier[:])
		copy(weights[rowBig*miners:], v[:])
		res, err := eng.Step(epoch.Input{Stake: stake, Weights: weights})
		if err != nil {
			return Trajectory{}, fmt.Errorf("round %d: %w", t, err)
		}
		if len(res.Consensus) != miners || len(res.Dividends) != 3 {
			return Trajectory{}, fmt.Errorf("round %d: engine returned %d consensus and %d dividend values", t, len(res.Consensus), len(res.Dividends))
		}
		copy(consensus[t][:], res.Consensus)
		copy(tr.Dividends[t][:], res.Dividends)
		tr.HonestA[t] = normA(v)
		tr.CopierA[t] = normA(copier)
	}
	return tr, nil
}

// normA returns miner A's share of a report (engines normalise rows).
func normA(w [miners]float64) float64 {
	s := w[0] + w[1] + w[2] + w[3]
	if s == 0 {
		return 0
	}
	return w[0] / s
}

// Penalty returns G_t(j,k) = D_t^j - D_t^k per round (eq. 25 with mu = 0:
// both validators' effort costs are left out, as in the paper's simulation).
func (tr Trajectory) Penalty() ([]float64, error) {
	rows := make([][]float64, len(tr.Dividends))
	for t := range tr.Dividends {
		rows[t] = tr.Dividends[t][:]
	}
	return penalty.Immediate(penalty.Trace{Dividends: rows}, rowHonest, rowCopier, 0)
}
