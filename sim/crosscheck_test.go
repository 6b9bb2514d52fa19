package sim

import (
	"context"
	"github.com/yuma-go/yuma/epoch"
	"math"
	"testing"
)

// golden is one expected dividend row of a chain test.
type golden struct {
	epoch int
	div   [3]float64
}

// bondGolden is one validator's expected bond row [S1, S2] after an epoch.
// The chain stores floor(b * 65535), and the test targets are 4-decimal
// roundings of those, so they are compared within 2e-4.
type bondGolden struct {
	epoch, validator int
	bonds            [2]float64
}

// TestCatalogueReproducesChainYuma3Tests runs catalogue cases 1, 14 and 8 on
// the float engine (yuma3, liquid alpha v2 or off, chain compat, the case
// parameters) and compares the dividends with subtensor's Yuma3 golden tests
// (chain-epoch.md section 13.I; asserted there within 1e-3):
// kappa_moves_first = case 1; one_epoch_switch and liquid_alpha_disabled =
// case 14 with the switch at epoch 2 instead of 20; bonds_reset = case 8 with
// miner S1 (the chain's uid 3) reset before epoch 20, run for 41 epochs.
func TestCatalogueReproducesChainYuma3Tests(t *testing.T) {
	t.Run("reference", func(t *testing.T) { checkChainYuma3(t, refFactory) })
	t.Run("float-engine", func(t *testing.T) { checkChainYuma3(t, nil) })
}

func checkChainYuma3(t *testing.T, engine epoch.Factory) {
	caseWithSwitchAt2 := func() *Scenario {
		sc, _ := Lookup("case14", CatalogueOptions{})
		sc.Validators[2].Strategy.Schedule = schedule(CaseEpochs, func(tt int) []float64 {
			if tt == 2 {
				return []float64{0, 1}
			}
			return []float64{1, 0}
		})
		return sc
	}
	tests := []struct {
		name  string
		la    string
		sc    func() *Scenario
		want  []golden
		bonds []bondGolden
	}{
		{"kappa_moves_first", "v2", func() *Scenario { sc, _ := Lookup("kappa-moves-first", CatalogueOptions{}); return sc }, []golden{
			{0, [3]float64{0.8, 0.1, 0.1}}, {1, [3]float64{1, 0, 0}}, {2, [3]float64{0.9382, 0.0618, 0}},
			{3, [3]float64{0.8819, 0.0773, 0.0407}}, {4, [3]float64{0.8564, 0.0844, 0.0592}}, {5, [3]float64{0.8418, 0.0884, 0.0697}},
		}, []bondGolden{
			{0, 0, [2]float64{0.1013, 0}}, {0, 1, [2]float64{0.1013, 0}}, {0, 2, [2]float64{0.1013, 0}},
			{1, 0, [2]float64{0.0908, 0.1013}}, {1, 1, [2]float64{0.3697, 0}}, {1, 2, [2]float64{0.3697, 0}},
			{2, 0, [2]float64{0.0815, 0.1924}}, {2, 1, [2]float64{0.3170, 0.1013}}, {2, 2, [2]float64{0.5580, 0}},
			{5, 0, [2]float64{0.0588, 0.4139}}, {5, 1, [2]float64{0.2157, 0.3478}}, {5, 2, [2]float64{0.3089, 0.2742}},
		}},
		{"one_epoch_switch", "v2", caseWithSwitchAt2, []golden{
			{0, [3]float64{0.33, 0.33, 0.34}}, {1, [3]float64{0.33, 0.33, 0.34}}, {2, [3]float64{0.3782, 0.3782, 0.2436}},
			{3, [3]float64{0.3628, 0.3628, 0.2745}}, {4, [3]float64{0.3541, 0.3541, 0.2917}}, {5, [3]float64{0.3487, 0.3487, 0.3026}},
		}, []bondGolden{{2, 2, [2]float64{0.1715, 0.2987}}}},
		{"liquid_alpha_disabled", "off", caseWithSwitchAt2, []golden{
			{0, [3]float64{0.33, 0.33, 0.34}}, {1, [3]float64{0.33, 0.33, 0.34}}, {2, [3]float64{0.3734, 0.3734, 0.2532}},
			{3, [3]float64{0.3611, 0.3611, 0.2779}}, {4, [3]float64{0.3541, 0.3541, 0.2919}}, {5, [3]float64{0.3495, 0.3495, 0.3009}},
		}, []bondGolden{
			{0, 0, [2]float64{0.025, 0}}, {1, 0, [2]float64{0.0494, 0}}, {2, 0, [2]float64{0.0731, 0}},
			{0, 1, [2]float64{0.025, 0}}, {1, 1, [2]float64{0.0494, 0}}, {2, 1, [2]float64{0.0731, 0}},
		}},
		{"bonds_reset", "v2", func() *Scenario {
			sc, _ := Lookup("case08", CatalogueOptions{})
			sc.Epochs = 41
			for i := range sc.Validators {
				sc.Validators[i].Strategy.Schedule = schedule(41, func(tt int) []float64 {
					switch {
					case tt == 0, tt >= 22:
						return []float64{1, 0}
					case tt == 1:
						if i == 0 {
							return []float64{1, 0}
						}
						return []float64{0, 1}
					case tt <= 20:
						return []float64{0, 1}
					default: // 21
						if i == 0 {
							return []float64{0, 1}
						}
						return []float64{1, 0}
					}
				})
			}
			sc.BondResets = []BondReset{{Epoch: 20, Miner: "S1"}}
			return sc
		}, []golden{
			{0, [3]float64{0.8, 0.1, 0.1}}, {1, [3]float64{0.8944, 0.0528, 0.0528}}, {2, [3]float64{0.5230, 0.2385, 0.2385}},
			{19, [3]float64{0.7919, 0.1040, 0.1040}}, {20, [3]float64{0.7928, 0.1036, 0.1036}},
			{21, [3]float64{0.8467, 0.0766, 0.0766}}, {40, [3]float64{0.7928, 0.1036, 0.1036}},
		}, []bondGolden{
			{20, 0, [2]float64{0, 0.8687}}, {20, 1, [2]float64{0, 0.9079}}, {20, 2, [2]float64{0, 0.9079}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(context.Background(), tc.sc(), Options{Engine: engine, Runs: []RunSpec{{Yuma: "yuma3", LiquidAlpha: tc.la, Compat: "chain"}}})
			if err != nil {
				t.Fatal(err)
			}
			d := res.Variants[0].Dividends
			worst := 0.0
			for _, g := range tc.want {
				for i, w := range g.div {
					got := d[g.epoch*3+i]
					worst = math.Max(worst, math.Abs(got-w))
					if math.Abs(got-w) > 1e-3 {
						t.Errorf("epoch %d validator %d: dividend %.4f, chain test %.4f", g.epoch, i, got, w)
					}
				}
			}
			b := res.Variants[0].Bonds
			worstB := 0.0
			for _, g := range tc.bonds {
				for j, w := range g.bonds {
					got := b[(g.epoch*3+g.validator)*2+j]
					worstB = math.Max(worstB, math.Abs(got-w))
					if math.Abs(got-w) > 2e-4 {
						t.Errorf("epoch %d validator %d miner %d: bond %.4f, chain test %.4f", g.epoch, g.validator, j, got, w)
					}
				}
			}
			t.Logf("%s: worst dividend gap %.2e, worst bond gap %.2e", tc.name, worst, worstB)
		})
	}
}

// TestPaperScenarioReproducesPaper checks the copier's dividend share at t = 5
// in the paper's setting against the published figures as reproduced in
// peers-and-paper.md section 4.3: delta 0.5, fixed alpha 0.00712, liquid
// alpha 0.00532; delta 0.1, 0.00957 and 0.00901.
func TestPaperScenarioReproducesPaper(t *testing.T) {
	for _, tc := range []struct{ delta, fixed, liquid float64 }{{0.5, 0.00712, 0.00532}, {0.1, 0.00957, 0.00901}} {
		res, err := Run(context.Background(), PaperScenario(0, tc.delta), Options{})
		if err != nil {
			t.Fatal(err)
		}
		fixed, liquid := res.Variants[0].Dividends[5*3+1], res.Variants[1].Dividends[5*3+1]
		if math.Abs(fixed-tc.fixed) > 1e-5 || math.Abs(liquid-tc.liquid) > 1e-5 {
			t.Errorf("delta %v: copier dividend at t=5 fixed %.5f liquid %.5f, paper %.5f / %.5f", tc.delta, fixed, liquid, tc.fixed, tc.liquid)
		}
	}
}

// TestPaperSettingFile checks that the scenario file form of the paper's
// setting (testdata/scenarios/paper-setting.json) gives exactly the built-in
// PaperScenario's dividends.
func TestPaperSettingFile(t *testing.T) {
	sc, err := LoadFile("../testdata/scenarios/paper-setting.json")
	if err != nil {
		t.Fatal(err)
	}
	fromFile, err := Run(context.Background(), sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	builtIn, err := Run(context.Background(), PaperScenario(0, 0.5), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k := range builtIn.Variants {
		a, b := fromFile.Variants[k].Dividends, builtIn.Variants[k].Dividends
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("variant %d: dividends differ at %d: %v vs %v", k, i, a[i], b[i])
			}
		}
	}
}
