package epoch

import (
	"math"
	"testing"
)

// yuma3TestParams are the chain's Yuma3 test settings (chain-epoch.md 13.I):
// β 0, bonds_moving_average 975000, κ 32767/65535, steepness 1000/100,
// alpha values (6553, 19660)/65535.
func yuma3TestParams() Params {
	p := DefaultParams()
	p.Kappa = 32767.0 / 65535
	p.BondsPenalty = 0
	p.BondsMovingAverage = 0.975
	p.AlphaLow = 6553.0 / 65535
	p.AlphaHigh = 19660.0 / 65535
	p.AlphaSigmoidSteepness = 10
	return p
}

func oneHot(rows ...int) []float64 {
	w := make([]float64, 0, 2*len(rows))
	for _, r := range rows {
		if r == 0 {
			w = append(w, 1, 0)
		} else {
			w = append(w, 0, 1)
		}
	}
	return w
}

// TestYuma3ChainScenarios checks the float engine against the dividends the
// chain's own tests assert for its Yuma3 scenarios (±1e-3).
func TestYuma3ChainScenarios(t *testing.T) {
	type check struct {
		epoch int
		div   []float64
	}
	tests := []struct {
		name    string
		stake   []float64
		la      LiquidAlphaMode
		weights func(e int) []float64
		checks  []check
	}{
		{
			name: "kappa_moves_first", stake: []float64{8, 1, 1}, la: LiquidAlphaV2,
			weights: func(e int) []float64 {
				switch e {
				case 0:
					return oneHot(0, 0, 0)
				case 1:
					return oneHot(1, 0, 0)
				case 2:
					return oneHot(1, 1, 0)
				}
				return oneHot(1, 1, 1)
			},
			checks: []check{{0, []float64{0.8, 0.1, 0.1}}, {1, []float64{1, 0, 0}}, {2, []float64{0.9382, 0.0618, 0}},
				{3, []float64{0.8819, 0.0773, 0.0407}}, {4, []float64{0.8564, 0.0844, 0.0592}}, {5, []float64{0.8418, 0.0884, 0.0697}}},
		},
		{
			name: "one_epoch_switch", stake: []float64{33, 33, 34}, la: LiquidAlphaV2,
			weights: func(e int) []float64 {
				if e == 2 {
					return oneHot(0, 0, 1)
				}
				return oneHot(0, 0, 0)
			},
			checks: []check{{0, []float64{0.33, 0.33, 0.34}}, {1, []float64{0.33, 0.33, 0.34}}, {2, []float64{0.3782, 0.3782, 0.2436}},
				{3, []float64{0.3628, 0.3628, 0.2745}}, {4, []float64{0.3541, 0.3541, 0.2917}}, {5, []float64{0.3487, 0.3487, 0.3026}}},
		},
		{
			name: "liquid_alpha_disabled", stake: []float64{33, 33, 34}, la: LiquidAlphaOff,
			weights: func(e int) []float64 {
				if e == 2 {
					return oneHot(0, 0, 1)
				}
				return oneHot(0, 0, 0)
			},
			checks: []check{{0, []float64{0.33, 0.33, 0.34}}, {1, []float64{0.33, 0.33, 0.34}}, {2, []float64{0.3734, 0.3734, 0.2532}},
				{3, []float64{0.3611, 0.3611, 0.2779}}, {4, []float64{0.3541, 0.3541, 0.2919}}, {5, []float64{0.3495, 0.3495, 0.3009}}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(Config{Yuma: Yuma3, LiquidAlpha: tc.la, Params: yuma3TestParams()}, 3, 2)
			if err != nil {
				t.Fatal(err)
			}
			next := 0
			for ep := 0; next < len(tc.checks); ep++ {
				res, err := e.Step(Input{Stake: tc.stake, Weights: tc.weights(ep)})
				if err != nil {
					t.Fatal(err)
				}
				if tc.checks[next].epoch != ep {
					continue
				}
				for i, want := range tc.checks[next].div {
					if math.Abs(res.Dividends[i]-want) > 1e-3 {
						t.Errorf("epoch %d: dividends %v, want %v", ep, res.Dividends, tc.checks[next].div)
						break
					}
				}
				next++
			}
		})
	}
}

// TestYuma3BondsReset runs the chain's bonds_reset scenario (13.I): the
// reset of miner 0's column before epoch 20.
func TestYuma3BondsReset(t *testing.T) {
	e, err := New(Config{Yuma: Yuma3, LiquidAlpha: LiquidAlphaV2, Params: yuma3TestParams()}, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]float64{0: {0.8, 0.1, 0.1}, 1: {0.8944, 0.0528, 0.0528}, 2: {0.5230, 0.2385, 0.2385},
		19: {0.7919, 0.1040, 0.1040}, 20: {0.7928, 0.1036, 0.1036}, 21: {0.8467, 0.0766, 0.0766}, 40: {0.7928, 0.1036, 0.1036}}
	for ep := 0; ep <= 40; ep++ {
		var w []float64
		switch {
		case ep == 0:
			w = oneHot(0, 0, 0)
		case ep == 1:
			w = oneHot(0, 1, 1)
		case ep <= 20:
			w = oneHot(1, 1, 1)
		case ep == 21:
			w = oneHot(1, 0, 0)
		default:
			w = oneHot(0, 0, 0)
		}
		in := Input{Stake: []float64{8, 1, 1}, Weights: w}
		if ep == 20 {
			in.ResetBonds = []int{0}
		}
		res, err := e.Step(in)
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := want[ep]; ok {
			for i := range d {
				if math.Abs(res.Dividends[i]-d[i]) > 1e-3 {
					t.Errorf("epoch %d: dividends %v, want %v", ep, res.Dividends, d)
					break
				}
			}
		}
	}
}
