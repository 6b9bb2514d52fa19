package epoch

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestWeightedUpperQuantileChainKernel replays the chain's weighted_median
// unit cases (chain-epoch.md 13.K; majority 0.51).
func TestWeightedUpperQuantileChainKernel(t *testing.T) {
	tests := []struct {
		stake, score []float64
		want         float64
	}{
		{[]float64{0.49, 0.51}, []float64{0.5, 1}, 1},
		{[]float64{0.51, 0.49}, []float64{0.5, 1}, 0.5},
		{[]float64{0.49, 0, 0.51}, []float64{0.5, 0.7, 1}, 1},
		{[]float64{0.49, 0.01, 0.5}, []float64{0.5, 0.7, 1}, 0.7},
		{[]float64{0.49, 0.51, 0}, []float64{0.5, 0.7, 1}, 0.7},
		{[]float64{0.2, 0.2, 0.2, 0.2, 0.2}, []float64{0.8, 0.2, 1, 0.6, 0.4}, 0.6},
		{[]float64{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, []float64{0.8, 0.8, 0.2, 0.2, 1, 1, 0.6, 0.6, 0.4, 0.4}, 0.6},
	}
	for _, tc := range tests {
		// The chain passes minority = 1 − majority; "Σ_{score ≥ x} ≥ κ" with
		// κ = 0.51 is the same selection. Zero-stake entries are excluded, as
		// the engine does before calling the kernel.
		var sc, st []float64
		total := 0.0
		for i := range tc.stake {
			if tc.stake[i] > 0 {
				sc = append(sc, tc.score[i])
				st = append(st, tc.stake[i])
				total += tc.stake[i]
			}
		}
		buf := newSelectBuffers(len(sc))
		if got := buf.weightedUpperQuantile(sc, st, 0.51, total); got != tc.want {
			t.Errorf("stake %v score %v: got %v, want %v", tc.stake, tc.score, got, tc.want)
		}
	}
}

// TestConsensusColumnKernel replays weighted_median_col (13.K).
func TestConsensusColumnKernel(t *testing.T) {
	run := func(stake []float64, w [][]float64, kappa float64) []float64 {
		e, err := New(Config{Yuma: Yuma3}, len(stake), len(w[0]))
		if err != nil {
			t.Fatal(err)
		}
		copy(e.s, stake)
		for i, row := range w {
			if stake[i] > 0 {
				e.pos = append(e.pos, i)
			}
			for j, x := range row {
				e.wt[j*len(stake)+i] = math.Float64bits(x)
			}
		}
		e.consensus(kappa)
		return append([]float64(nil), e.c...)
	}
	w := [][]float64{{0, 0.1, 0}, {0, 0.2, 0.4}, {0, 0.3, 0.1}, {0, 0.4, 0.5}}
	for _, tc := range []struct {
		kappa float64
		want  []float64
	}{{0.24, []float64{0, 0.3, 0.4}}, {0.26, []float64{0, 0.2, 0.4}}, {0.76, []float64{0, 0.2, 0.1}}} {
		got := run([]float64{0, 0.75, 0.25, 0}, w, tc.kappa)
		for j := range got {
			if got[j] != tc.want[j] {
				t.Errorf("kappa %v: got %v, want %v", tc.kappa, got, tc.want)
				break
			}
		}
	}
	w[3] = []float64{0, 0, 0.5}
	got := run([]float64{0, 0.3, 0.2, 0.5}, w, 0.51)
	if want := []float64{0, 0, 0.4}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("last case: got %v, want %v", got, want)
	}
}

// TestQuantileSorted checks the type-7 quantile against the chain's test
// (data 1..5: q 0/0.25/0.5/0.66/0.75/1 → 1/2/3/3.64/4/5).
func TestQuantileSorted(t *testing.T) {
	s := []float64{1, 2, 3, 4, 5}
	for _, tc := range [][2]float64{{0, 1}, {0.25, 2}, {0.5, 3}, {0.66, 3.64}, {0.75, 4}, {1, 5}} {
		if got := quantileSorted(s, tc[0]); math.Abs(got-tc[1]) > 1e-12 {
			t.Errorf("q %v: got %v, want %v", tc[0], got, tc[1])
		}
	}
}

// TestLogisticParams checks calculate_logistic_params (13.L).
func TestLogisticParams(t *testing.T) {
	a, b := logisticParams(0.9, 0.1, 0.8, 0.2)
	if math.Abs(a-7.324) > 1e-3 || math.Abs(b-3.662) > 1e-3 {
		t.Errorf("(0.9, 0.1, 0.8, 0.2): a %v b %v, want 7.324 3.662", a, b)
	}
	a, b = logisticParams(0.9, 0.1, 1, 0)
	if math.Abs(a-4.3944) > 1e-4 || math.Abs(b-2.1972) > 1e-4 {
		t.Errorf("(0.9, 0.1, 1, 0): a %v b %v", a, b)
	}
	for _, c := range [][4]float64{{1, 0, 0.8, 0.2}, {0.5, 0.5, 0.5, 0.5}, {0.9, 0.1, 0.3, 0.3}} {
		if a, b := logisticParams(c[0], c[1], c[2], c[3]); a != 0 || b != 0 {
			t.Errorf("%v: want (0, 0), got (%v, %v)", c, a, b)
		}
	}
}

var allVariants = []Config{
	{Yuma: Yuma1}, {Yuma: Yuma2}, {Yuma: Yuma2a}, {Yuma: Yuma2b}, {Yuma: Yuma2c}, {Yuma: Yuma3},
	{Yuma: Yuma2, LiquidAlpha: LiquidAlphaV1}, {Yuma: Yuma2a, LiquidAlpha: LiquidAlphaV1Paper, Compat: CompatNotebook},
	{Yuma: Yuma3, LiquidAlpha: LiquidAlphaV2}, {Yuma: Yuma3, LiquidAlpha: LiquidAlphaV2, Compat: CompatYumaSimulation},
	{Yuma: Yuma2, Compat: CompatYumaSimulation}, {Yuma: Yuma3, LiquidAlpha: LiquidAlphaV2, Params: Params{WinnerTakesAll: true}},
}

func randomInput(r *rand.Rand, v, m int) Input {
	in := Input{Stake: make([]float64, v), Weights: make([]float64, v*m)}
	for i := range in.Stake {
		if r.IntN(5) > 0 {
			in.Stake[i] = r.Float64() * 100
		}
	}
	for k := range in.Weights {
		if r.IntN(3) == 0 {
			in.Weights[k] = r.Float64()
		}
	}
	return in
}

func configWithDefaults(c Config) Config {
	wta := c.Params.WinnerTakesAll
	c.Params = DefaultParams()
	c.Params.WinnerTakesAll = wta
	return c
}

// TestConservationAndRanges: incentives and dividends each sum to 1 (or 0),
// everything is finite, Yuma3 bonds stay in [0, 1] and column-normalised
// variants keep column sums ≤ 1.
func TestConservationAndRanges(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range allVariants {
		cfg := configWithDefaults(c)
		e, err := New(cfg, 7, 11)
		if err != nil {
			t.Fatal(err)
		}
		for ep := 0; ep < 25; ep++ {
			res, err := e.Step(randomInput(r, 7, 11))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []struct {
				name string
				x    []float64
			}{{"incentive", res.Incentive}, {"dividends", res.Dividends}} {
				sum := 0.0
				for _, x := range s.x {
					if math.IsNaN(x) || x < -1e-12 {
						t.Fatalf("%+v epoch %d: %s has %v", c, ep, s.name, x)
					}
					sum += x
				}
				tol := 1e-9
				if cfg.Compat == CompatYumaSimulation {
					tol = 1e-5 // the simulator's 1e-6 guards
				}
				if sum != 0 && math.Abs(sum-1) > tol {
					t.Fatalf("%+v epoch %d: %s sums to %v", c, ep, s.name, sum)
				}
			}
			for k, b := range res.Bonds {
				if math.IsNaN(b) || b < 0 {
					t.Fatalf("%+v: bond %d = %v", c, k, b)
				}
				if c.Yuma != Yuma2c && b > 1+1e-12 {
					t.Fatalf("%+v: bond %d = %v above 1", c, k, b)
				}
			}
		}
	}
}

// TestPermutationInvariance: permuting validators and miners permutes the
// outputs (no variant depends on index order).
func TestPermutationInvariance(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const v, m = 5, 6
	pv, pm := r.Perm(v), r.Perm(m)
	for _, c := range allVariants {
		cfg := configWithDefaults(c)
		a, _ := New(cfg, v, m)
		b, _ := New(cfg, v, m)
		for ep := 0; ep < 8; ep++ {
			in := randomInput(r, v, m)
			pin := Input{Stake: make([]float64, v), Weights: make([]float64, v*m)}
			for i := 0; i < v; i++ {
				pin.Stake[pv[i]] = in.Stake[i]
				for j := 0; j < m; j++ {
					pin.Weights[pv[i]*m+pm[j]] = in.Weights[i*m+j]
				}
			}
			ra, err := a.Step(in)
			if err != nil {
				t.Fatal(err)
			}
			rb, err := b.Step(pin)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < v; i++ {
				if d := math.Abs(ra.Dividends[i] - rb.Dividends[pv[i]]); d > 1e-12 {
					t.Fatalf("%+v epoch %d: dividends not permutation invariant (gap %g)", c, ep, d)
				}
				for j := 0; j < m; j++ {
					if d := math.Abs(ra.Bonds[i*m+j] - rb.Bonds[pv[i]*m+pm[j]]); d > 1e-9*max(1, math.Abs(ra.Bonds[i*m+j])) {
						t.Fatalf("%+v epoch %d: bonds not permutation invariant (gap %g)", c, ep, d)
					}
				}
			}
			for j := 0; j < m; j++ {
				if d := math.Abs(ra.Incentive[j] - rb.Incentive[pm[j]]); d > 1e-12 {
					t.Fatalf("%+v epoch %d: incentive not permutation invariant", c, ep)
				}
			}
		}
	}
}

// TestStepAllocatesNothing: after the first epoch a Step allocates nothing.
func TestStepAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range allVariants {
		e, _ := New(configWithDefaults(c), 16, 32)
		in := randomInput(r, 16, 32)
		if _, err := e.Step(in); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(20, func() { _, _ = e.Step(in) }); n != 0 {
			t.Errorf("%+v: %v allocations per Step", c, n)
		}
	}
}

// TestCloneIsIndependent: a clone continues the same trajectory and does not
// share state with its original.
func TestCloneIsIndependent(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	e, _ := New(configWithDefaults(Config{Yuma: Yuma3, LiquidAlpha: LiquidAlphaV2}), 4, 5)
	inputs := []Input{randomInput(r, 4, 5), randomInput(r, 4, 5), randomInput(r, 4, 5)}
	if _, err := e.Step(inputs[0]); err != nil {
		t.Fatal(err)
	}
	c := e.Clone()
	ra, _ := e.Step(inputs[1])
	da := append([]float64(nil), ra.Dividends...)
	rc, _ := c.Step(inputs[1])
	for i := range da {
		if da[i] != rc.Dividends[i] {
			t.Fatalf("clone diverged: %v vs %v", da, rc.Dividends)
		}
	}
	_, _ = c.Step(inputs[2])
	if e.Epochs() != 2 || c.Epochs() != 3 {
		t.Fatalf("epochs: original %d, clone %d", e.Epochs(), c.Epochs())
	}
}

// TestBadInput: wrong shapes and non-finite or negative values are rejected
// with an *InputError naming the field.
func TestBadInput(t *testing.T) {
	e, _ := New(configWithDefaults(Config{Yuma: Yuma3}), 2, 2)
	cases := []struct {
		in    Input
		field string
	}{
		{Input{Stake: []float64{1}, Weights: make([]float64, 4)}, "stake"},
		{Input{Stake: []float64{1, 1}, Weights: make([]float64, 3)}, "weights"},
		{Input{Stake: []float64{1, math.NaN()}, Weights: make([]float64, 4)}, "stake[1]"},
		{Input{Stake: []float64{-1, 1}, Weights: make([]float64, 4)}, "stake[0]"},
		{Input{Stake: []float64{1, 1}, Weights: []float64{0, math.Inf(1), 0, 0}}, "weights[0][1]"},
		{Input{Stake: []float64{1, 1}, Weights: make([]float64, 4), ResetBonds: []int{2}}, "reset_bonds"},
	}
	for _, tc := range cases {
		_, err := e.Step(tc.in)
		if err == nil || !IsInputError(err) || !strings.HasPrefix(err.Error(), tc.field) {
			t.Errorf("input %+v: err %v, want an input error on %s", tc.in, err, tc.field)
		}
	}
	// Negative weights are caught by the sign of their normalised value, in
	// the four-row blocks and in the remainder, whether the row total is
	// positive or 0; −0 is a valid 0. A rejected epoch changes no state.
	e5, _ := New(configWithDefaults(Config{Yuma: Yuma3}), 5, 2)
	ok := Input{Stake: []float64{1, 2, 3, 4, 5}, Weights: []float64{1, 0, 0, 1, 1, 1, 2, 1, 1, 2}}
	if _, err := e5.Step(ok); err != nil {
		t.Fatal(err)
	}
	before := append([]float64(nil), e5.Bonds()...)
	for _, bad := range []struct {
		k     int
		x     float64
		field string
	}{
		{1, -0.5, "weights[0][1]"}, // block, positive row total
		{5, -1, "weights[2][1]"},   // block, row total 0 (with weights[2][0] = 1)
		{9, -3, "weights[4][1]"},   // remainder, negative total
		{8, -1e-300, "weights[4][0]"},
	} {
		in := Input{Stake: ok.Stake, Weights: append([]float64(nil), ok.Weights...)}
		in.Weights[bad.k] = bad.x
		_, err := e5.Step(in)
		if err == nil || !IsInputError(err) || !strings.HasPrefix(err.Error(), bad.field) {
			t.Errorf("weight %v at %d: err %v, want an input error on %s", bad.x, bad.k, err, bad.field)
		}
		for k, b := range e5.Bonds() {
			if b != before[k] {
				t.Fatalf("rejected epoch changed bond %d: %v -> %v", k, before[k], b)
			}
		}
	}
	negZero := Input{Stake: ok.Stake, Weights: append([]float64(nil), ok.Weights...)}
	negZero.Weights[1], negZero.Weights[9] = math.Copysign(0, -1), math.Copysign(0, -1)
	if _, err := e5.Step(negZero); err != nil {
		t.Errorf("-0 weights rejected: %v", err)
	}
	if _, err := New(Config{Yuma: "yuma9"}, 2, 2); err == nil {
		t.Error("unknown yuma accepted")
	}
	if _, err := New(Config{Yuma: Yuma3, Params: Params{Kappa: 2}}, 2, 2); err == nil {
		t.Error("kappa 2 accepted")
	}
	if _, err := New(Config{Yuma: Yuma3}, 0, 2); err == nil {
		t.Error("0 validators accepted")
	}
}

// TestEmptySubnetEpoch: all-zero stake or weights give zero incentive and
// dividends, not NaN.
func TestEmptySubnetEpoch(t *testing.T) {
	for _, c := range allVariants {
		e, _ := New(configWithDefaults(c), 3, 3)
		res, err := e.Step(Input{Stake: make([]float64, 3), Weights: make([]float64, 9)})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range append(append([]float64{}, res.Incentive...), res.Dividends...) {
			if x != 0 {
				t.Fatalf("%+v: non-zero output %v on an empty subnet", c, x)
			}
		}
	}
}
