package epoch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bruteConsensus is the definition: the largest score of a positive-stake
// validator whose upper stake reaches κ; the smallest such score when none
// does; 0 without validators. near reports a score whose upper stake is
// within rounding of κ, where summation order may decide.
func bruteConsensus(w, s []float64, v, m, j int, kappa float64) (c float64, near bool) {
	best, lowest, any := math.Inf(-1), math.Inf(1), false
	for i := 0; i < v; i++ {
		if s[i] <= 0 {
			continue
		}
		x := w[i*m+j]
		any = true
		lowest = min(lowest, x)
		up := 0.0
		for k := 0; k < v; k++ {
			if s[k] > 0 && w[k*m+j] >= x {
				up += s[k]
			}
		}
		if math.Abs(up-kappa) < 1e-9 {
			near = true
		}
		if up >= kappa && x > best {
			best = x
		}
	}
	switch {
	case !any:
		return 0, near
	case math.IsInf(best, -1):
		return lowest, near
	}
	return best, near
}

// TestConsensusWarmStartsMatchBruteForce runs multi-epoch subnets whose
// weights stay, drift with noise, or are redrawn, with stake changes and
// empty rows, so that every path of the consensus (the hint, the bracket,
// its misses in both directions, the zero-consensus check, the full
// selection) is taken, and compares every column with the definition.
func TestConsensusWarmStartsMatchBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	checked := 0
	for trial := range 300 {
		v, m := 1+r.IntN(40), 1+r.IntN(30)
		kappa := []float64{0.5, 0.51, 0.25, 0.9, 0, 1}[r.IntN(6)]
		cfg := Config{Yuma: Yuma3, Params: DefaultParams()}
		cfg.Params.Kappa = kappa
		e, err := New(cfg, v, m)
		if err != nil {
			t.Fatal(err)
		}
		quality := make([]float64, m)
		for j := range quality {
			quality[j] = r.Float64()
		}
		in := Input{Stake: make([]float64, v), Weights: make([]float64, v*m)}
		for i := range in.Stake {
			in.Stake[i] = r.Float64()
		}
		noise := []float64{0, 0.01, 0.1, 1}[r.IntN(4)]
		for epoch := range 15 {
			switch r.IntN(6) {
			case 0: // keep last epoch's weights
			case 1: // redraw everything
				for j := range quality {
					quality[j] = r.Float64()
				}
				fallthrough
			default:
				for i := 0; i < v; i++ {
					for j := 0; j < m; j++ {
						in.Weights[i*m+j] = max(0, quality[j]+noise*r.NormFloat64())
					}
				}
			}
			if r.IntN(5) == 0 {
				in.Stake[r.IntN(v)] = []float64{0, r.Float64(), 10}[r.IntN(3)]
			}
			if r.IntN(5) == 0 {
				clear(in.Weights[r.IntN(v)*m:][:m])
			}
			res, err := e.Step(in)
			if err != nil {
				t.Fatal(err)
			}
			w := e.prevW // this epoch's row-normalised weights
			for j := 0; j < m; j++ {
				want, near := bruteConsensus(w, e.s, v, m, j, kappa)
				if near {
					continue
				}
				checked++
				if res.Consensus[j] != want {
					for i := 0; i < v; i++ {
						t.Logf("validator %d stake %v score %v", i, e.s[i], w[i*m+j])
					}
					t.Fatalf("trial %d epoch %d (%dx%d, κ %v, noise %v) column %d: consensus %v, want %v", trial, epoch, v, m, kappa, noise, j, res.Consensus[j], want)
				}
			}
		}
	}
	t.Logf("%d columns checked", checked)
}
