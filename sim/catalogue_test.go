package sim

import (
	"context"
	"slices"
	"testing"
)

func TestCatalogueNamesAndValidity(t *testing.T) {
	for _, withResets := range []bool{false, true} {
		cat := Catalogue(CatalogueOptions{WithResets: withResets})
		if len(cat) != 25 {
			t.Fatalf("catalogue has %d entries, want 24 cases + paper", len(cat))
		}
		seen := map[string]string{}
		for k, sc := range cat {
			if k < 24 && sc.Name != CaseName(k+1) {
				t.Fatalf("entry %d named %q", k, sc.Name)
			}
			for _, n := range append([]string{sc.Name}, sc.Aliases...) {
				if prev, dup := seen[n]; dup {
					t.Fatalf("name %q used by %s and %s", n, prev, sc.Name)
				}
				seen[n] = sc.Name
			}
			if err := sc.Validate(""); err != nil {
				t.Fatalf("%s: %v", sc.Name, err)
			}
			if k < 24 && sc.Epochs != CaseEpochs {
				t.Fatalf("%s: %d epochs", sc.Name, sc.Epochs)
			}
		}
	}
	for _, q := range []string{"case07", "7", "CASE7", "kappa-moves-first", "one-epoch-switch", "paper"} {
		if _, ok := Lookup(q, CatalogueOptions{}); !ok {
			t.Errorf("Lookup(%q) failed", q)
		}
	}
	if _, ok := Lookup("case25", CatalogueOptions{}); ok {
		t.Error("case25 should not exist")
	}
}

// caseWeights runs a catalogue case on the fake engine and returns the
// servers each validator backs per epoch (the argmax of its row; -1 for a
// split row) and the recorded result.
func caseWeights(t *testing.T, name string, opts CatalogueOptions) (*Result, [][]int) {
	t.Helper()
	sc, ok := Lookup(name, opts)
	if !ok {
		t.Fatalf("no case %s", name)
	}
	var e []*fakeEngine
	res, err := Run(context.Background(), sc, Options{Engine: fakeFactory(&e), Runs: []RunSpec{{Yuma: "yuma3"}}})
	if err != nil {
		t.Fatal(err)
	}
	nv, nm := len(res.Validators), len(res.Miners)
	w := res.Variants[0].Weights
	out := make([][]int, res.Epochs)
	for tt := range out {
		for i := 0; i < nv; i++ {
			row := w[(tt*nv+i)*nm : (tt*nv+i+1)*nm]
			pick := -1
			for j, x := range row {
				if x == 1 {
					pick = j
				}
			}
			out[tt] = append(out[tt], pick)
		}
	}
	return res, out
}

// TestCaseSchedules checks the hand-written cases against the table of
// peers-and-paper.md section 2.4 at the epochs where something changes.
func TestCaseSchedules(t *testing.T) {
	tests := []struct {
		name  string
		picks map[int][]int // epoch -> server per validator
	}{
		{"case01", map[int][]int{0: {0, 0, 0}, 1: {1, 0, 0}, 2: {1, 1, 0}, 3: {1, 1, 1}, 39: {1, 1, 1}}},
		{"case02", map[int][]int{0: {0, 0, 0}, 1: {0, 1, 0}, 2: {1, 1, 0}, 3: {1, 1, 1}}},
		{"case03", map[int][]int{1: {0, 1, 0}, 2: {0, 1, 1}, 3: {1, 1, 1}}},
		{"case04", map[int][]int{0: {0, 0, 0}, 1: {1, 1, 1}, 39: {1, 1, 1}}},
		{"case05", map[int][]int{1: {0, 1, 1}, 2: {1, 1, 1}, 20: {1, 1, 1}, 21: {1, 0, 1}, 22: {1, 0, 0}, 23: {0, 0, 0}}},
		{"case06", map[int][]int{1: {0, 1, 0}, 2: {1, 1, 0}, 3: {1, 1, 1}, 20: {1, 1, 1}, 21: {0, 0, 0}}},
		{"case07", map[int][]int{1: {0, 1, 1}, 20: {1, 1, 1}, 21: {1, 1, 0}, 22: {0, 0, 0}}},
		{"case08", map[int][]int{1: {0, 1, 1}, 20: {1, 1, 1}, 21: {1, 0, 0}, 22: {0, 0, 0}}},
		{"case09", map[int][]int{0: {1, 1, 1}, 39: {1, 1, 1}}},
		{"case10", map[int][]int{0: {0, 0, 0}, 1: {0, 1, 0}, 9: {0, 1, 0}, 10: {1, 1, 0}, 11: {1, 1, 1}}},
		{"case14", map[int][]int{19: {0, 0, 0}, 20: {0, 0, 1}, 21: {0, 0, 0}}},
	}
	for _, tc := range tests {
		_, picks := caseWeights(t, tc.name, CatalogueOptions{})
		for e, want := range tc.picks {
			if !slices.Equal(picks[e], want) {
				t.Errorf("%s epoch %d: servers %v, want %v", tc.name, e, picks[e], want)
			}
		}
	}
	res, _ := caseWeights(t, "case09", CatalogueOptions{})
	if got := res.Stake[5*3 : 6*3]; !slices.Equal(got, []float64{0.8, 0.1, 0.1}) {
		t.Errorf("case09 stake at 5: %v", got)
	}
	if got := res.Stake[6*3 : 7*3]; !slices.Equal(got, []float64{0.8, 0.2, 0}) {
		t.Errorf("case09 stake at 6: %v", got)
	}
	// Case 16: a stable miner S3 keeps half of every row.
	res, _ = caseWeights(t, "stable-miner", CatalogueOptions{})
	w := res.Variants[0].Weights
	if got := w[(1*3+1)*3 : (1*3+2)*3]; !slices.Equal(got, []float64{0, 0.5, 0.5}) {
		t.Errorf("case16 small-eager at 1: %v", got)
	}
	// Bond resets appear only on request.
	res, _ = caseWeights(t, "case08", CatalogueOptions{})
	if len(res.BondResets[20]) != 0 {
		t.Error("case08 resets without WithResets")
	}
	res, _ = caseWeights(t, "case08", CatalogueOptions{WithResets: true})
	if !slices.Equal(res.BondResets[20], []int{1}) {
		t.Errorf("case08 resets %v", res.BondResets[20])
	}
}

func TestWinnerTakesAllCases(t *testing.T) {
	// yuma-simulation-formulas.md: cases 19, 20, 22, 23, 24 use winner_takes_all.
	for n := 19; n <= 24; n++ {
		sc, _ := Lookup(CaseName(n), CatalogueOptions{})
		if got, want := *sc.Params.WinnerTakesAll, n != 21; got != want {
			t.Errorf("case %d winner_takes_all = %v", n, got)
		}
		client := n%2 == 1
		for _, v := range sc.Validators {
			if v.Strategy.Type != "noisy" || (v.Strategy.Pick == "argmax") != client {
				t.Errorf("case %d validator %s strategy %+v", n, v.Name, v.Strategy)
			}
		}
		if servers := len(sc.Miners); (n == 21 || n == 22) != (servers == 2) {
			t.Errorf("case %d has %d servers", n, servers)
		}
	}
}

func TestPaperScenario(t *testing.T) {
	sc := PaperScenario(0, 0.5)
	var e []*fakeEngine
	res, err := Run(context.Background(), sc, Options{Engine: fakeFactory(&e)})
	if err != nil {
		t.Fatal(err)
	}
	// Signals at t = 0..3: A = 0, 1/6, 1/3, 1/2; B = 0.5 - A; C = 0; D = 0.5.
	for tt, a := range []float64{0, 0.5 / 3, 1.0 / 3, 0.5} {
		got := res.Signal[tt*4 : tt*4+4]
		if !near(got[0], a) || !near(got[1], 0.5-a) || got[2] != 0 || got[3] != 0.5 {
			t.Fatalf("signal at %d: %v", tt, got)
		}
	}
	if !slices.Equal(res.Stake[:3], []float64{0.01, 0.01, 0.98}) {
		t.Fatalf("stakes %v", res.Stake[:3])
	}
	// The copier k reports [rho, 0.5 - rho, 0, 0.5] until t = 5, then C_{t-5}.
	w := res.Variants[0].Weights
	if got := w[(4*3+1)*4 : (4*3+2)*4]; !slices.Equal(got, []float64{0, 0.5, 0, 0.5}) {
		t.Fatalf("copier at 4: %v", got)
	}
	if len(res.Variants) != 2 || res.Variants[1].Variant.Config.LiquidAlpha != "v1-paper" {
		t.Fatalf("variants %+v", res.Variants)
	}
}
