package penalty

import (
	"fmt"
	"math"
	"sort"
)

// Trace is the part of a recorded run the metrics need, indexed by epoch t and
// validator uid.
type Trace struct {
	// Dividends[t][v] is validator v's dividend share at epoch t (the shares of
	// one epoch usually sum to 1).
	Dividends [][]float64
	// Effort[t][v] tells whether validator v did the evaluation work at epoch
	// t (a_t^v in the paper). Nil means no validator pays the cost mu.
	Effort [][]bool
}

// FlatTrace builds a Trace from dividends stored epoch-major in one flat
// slice (epochs x validators), the layout of sim.RunResult.Dividends.
func FlatTrace(dividends []float64, validators int) (Trace, error) {
	if validators <= 0 || len(dividends)%validators != 0 {
		return Trace{}, fmt.Errorf("trace: %d dividends are not a whole number of epochs of %d validators", len(dividends), validators)
	}
	tr := Trace{Dividends: make([][]float64, len(dividends)/validators)}
	for t := range tr.Dividends {
		tr.Dividends[t] = dividends[t*validators : (t+1)*validators]
	}
	return tr, nil
}

// Validate checks that the trace is rectangular, finite and non-negative.
func (tr Trace) Validate() error {
	if len(tr.Dividends) == 0 {
		return fmt.Errorf("trace: no epochs")
	}
	n := len(tr.Dividends[0])
	for t, row := range tr.Dividends {
		if len(row) != n {
			return fmt.Errorf("trace: epoch %d has %d dividends, epoch 0 has %d", t, len(row), n)
		}
		for v, d := range row {
			if math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
				return fmt.Errorf("trace: epoch %d: dividends[%d] = %v is not a finite non-negative number", t, v, d)
			}
		}
	}
	if tr.Effort != nil {
		if len(tr.Effort) != len(tr.Dividends) {
			return fmt.Errorf("trace: %d effort rows for %d epochs", len(tr.Effort), len(tr.Dividends))
		}
		for t, row := range tr.Effort {
			if len(row) != n {
				return fmt.Errorf("trace: epoch %d has %d effort flags, want %d", t, len(row), n)
			}
		}
	}
	return nil
}

// Immediate returns the immediate weight-copying penalty of validator k with
// respect to validator j at every epoch of the trace (paper eq. 25):
//
//	G_t(j,k) = D_t^j - mu*a_t^j - D_t^k + mu*a_t^k
//
// where mu is the cost of one round of evaluation work and a_t^v is 1 when v
// did the work. A positive G_t means the copier k earned less than j.
func Immediate(tr Trace, j, k int, mu float64) ([]float64, error) {
	if err := tr.Validate(); err != nil {
		return nil, err
	}
	n := len(tr.Dividends[0])
	if j < 0 || j >= n || k < 0 || k >= n {
		return nil, fmt.Errorf("immediate penalty: validators %d and %d must be in [0, %d)", j, k, n)
	}
	if math.IsNaN(mu) || math.IsInf(mu, 0) || mu < 0 {
		return nil, fmt.Errorf("immediate penalty: cost mu = %v must be finite and non-negative", mu)
	}
	g := make([]float64, len(tr.Dividends))
	for t, d := range tr.Dividends {
		aj, ak := 0.0, 0.0
		if tr.Effort != nil {
			if tr.Effort[t][j] {
				aj = 1
			}
			if tr.Effort[t][k] {
				ak = 1
			}
		}
		g[t] = d[j] - mu*aj - d[k] + mu*ak
	}
	return g, nil
}

// Discounted returns the long-term weight-copying penalty over a finite
// horizon (paper eqs. 20 and 24): Gamma = sum_t gamma^(t+1) * G_t, where the
// trace's epoch 0 is the paper's round 1. gamma must lie in (0, 1].
func Discounted(g []float64, gamma float64) (float64, error) {
	if !(gamma > 0 && gamma <= 1) {
		return 0, fmt.Errorf("long-term penalty: discount gamma = %v must be in (0, 1]", gamma)
	}
	sum, w := 0.0, 1.0
	for t, x := range g {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("long-term penalty: G[%d] = %v is not finite", t, x)
		}
		w *= gamma
		sum += w * x
	}
	return sum, nil
}

// Amplification returns H_t = liquid[t] / fixed[t] (paper eq. 32), the factor
// by which liquid alpha multiplies the penalty of the fixed bond EMA. H_t is
// NaN where fixed[t] is 0 (no baseline penalty to amplify).
func Amplification(liquid, fixed []float64) ([]float64, error) {
	if len(liquid) != len(fixed) {
		return nil, fmt.Errorf("amplification: %d liquid and %d fixed penalties", len(liquid), len(fixed))
	}
	h := make([]float64, len(liquid))
	for t := range liquid {
		if fixed[t] == 0 {
			h[t] = math.NaN()
			continue
		}
		h[t] = liquid[t] / fixed[t]
	}
	return h, nil
}

// Mean returns the arithmetic mean of x (NaN for an empty slice).
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// RelativeRate returns the notebooks' relative dividend rate of validator
// copier: its dividend per stake divided by the median dividend per stake of
// the honest validators,
//
//	G = (D_copier / S_copier) / median_{h in honest} (D_h / S_h).
//
// Honest validators with zero stake are skipped. A rate below 1 means
// nominators earn more with an honest validator; below 1 - take it means the
// copier would earn more by delegating to one.
func RelativeRate(dividends, stake []float64, copier int, honest []int) (float64, error) {
	if len(dividends) != len(stake) {
		return 0, fmt.Errorf("relative rate: %d dividends and %d stakes", len(dividends), len(stake))
	}
	n := len(stake)
	for v := range n {
		if bad(dividends[v]) || bad(stake[v]) {
			return 0, fmt.Errorf("relative rate: validator %d: dividend %v and stake %v must be finite and non-negative", v, dividends[v], stake[v])
		}
	}
	if copier < 0 || copier >= n {
		return 0, fmt.Errorf("relative rate: copier %d out of range [0, %d)", copier, n)
	}
	if stake[copier] == 0 {
		return 0, fmt.Errorf("relative rate: copier %d has no stake", copier)
	}
	rates := make([]float64, 0, len(honest))
	for _, h := range honest {
		if h < 0 || h >= n {
			return 0, fmt.Errorf("relative rate: honest validator %d out of range [0, %d)", h, n)
		}
		if h == copier {
			return 0, fmt.Errorf("relative rate: validator %d is both copier and honest", h)
		}
		if stake[h] > 0 {
			rates = append(rates, dividends[h]/stake[h])
		}
	}
	if len(rates) == 0 {
		return 0, fmt.Errorf("relative rate: no honest validator with stake")
	}
	med := Median(rates)
	if med == 0 {
		return 0, fmt.Errorf("relative rate: the median honest dividend per stake is 0")
	}
	return dividends[copier] / stake[copier] / med, nil
}

func bad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) || x < 0 }

// Median returns the median of x (the mean of the two middle values for an
// even count, as numpy does) without modifying x. It returns NaN for an empty
// slice.
func Median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
