package sim

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
)

const goodScenario = `
name: t
epochs: 5
miners:
  - {name: m0, signal: {type: constant, value: 1}}
  - {name: m1, signal: {type: constant, value: 2}}
validators:
  - {name: a, stake: 0.6, strategy: {type: honest}}
  - {name: b, stake: 0.4, strategy: {type: fixed, schedule: [{from: 0, weights: [1, 0]}]}}
`

func TestParseScenarioAcceptsGoodFile(t *testing.T) {
	sc, err := ParseScenario("good.yaml", []byte(goodScenario))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "t" || sc.Epochs != 5 || len(sc.Miners) != 2 || len(sc.Validators) != 2 {
		t.Fatalf("decoded %+v", sc)
	}
}

// TestParseScenarioRejectsBadInput checks that every kind of bad input is a
// *badinput.Error naming the file and the offending field.
func TestParseScenarioRejectsBadInput(t *testing.T) {
	tests := []struct {
		name, old, new, field, reason string
	}{
		{"unknown field", "epochs: 5", "epochs: 5\nepocs: 3", "", "epocs"},
		{"zero epochs", "epochs: 5", "epochs: 0", "epochs", "between 1"},
		{"nan stake", "stake: 0.6", "stake: .nan", "validators[0].stake", "finite"},
		{"inf stake", "stake: 0.6", "stake: .inf", "validators[0].stake", "finite"},
		{"negative stake", "stake: 0.6", "stake: -1", "validators[0].stake", "non-negative"},
		{"mixed units", "stake: 0.6", "stake_tao: 6", "validators[1].stake", "same unit"},
		{"missing stake", "stake: 0.6, ", "", "validators[0].stake", "missing"},
		{"ragged weights", "weights: [1, 0]", "weights: [1, 0, 3]", "validators[1].strategy.schedule[0].weights", "3 entries"},
		{"negative weight", "weights: [1, 0]", "weights: [1, -2]", "validators[1].strategy.schedule[0].weights[1]", "[0, 1e+15]"},
		{"huge weight", "weights: [1, 0]", "weights: [1, 1e300]", "validators[1].strategy.schedule[0].weights[1]", "[0, 1e+15]"},
		{"huge sigma", "type: honest", "type: noisy, sigma: 1e300", "validators[0].strategy.sigma", "at most"},
		{"nan weight", "weights: [1, 0]", "weights: [.nan, 0]", "validators[1].strategy.schedule[0].weights[0]", "finite"},
		{"schedule not from 0", "from: 0", "from: 2", "validators[1].strategy.schedule[0].from", "epoch 0"},
		{"unknown strategy", "type: honest", "type: lazy", "validators[0].strategy.type", "unknown strategy"},
		{"unknown signal", "type: constant, value: 2", "type: sine, value: 2", "miners[1].signal.type", "unknown signal"},
		{"signal missing value", "type: constant, value: 2", "type: constant", "miners[1].signal.value", "required"},
		{"signal extra field", "type: constant, value: 2", "type: constant, value: 2, sigma: 1", "miners[1].signal.sigma", "not used"},
		{"negative signal", "value: 2", "value: -2", "miners[1].signal.value", "non-negative"},
		{"duplicate miner", "name: m1", "name: m0", "miners[1].name", "duplicate"},
		{"duplicate validator", "name: b", "name: a", "validators[1].name", "duplicate"},
		{"copier lag 0", "type: honest", "type: consensus_copier, lag: 0", "validators[0].strategy.lag", "at least 1"},
		{"copier unknown target", "type: honest", "type: copy, target: zed", "validators[0].strategy.target", "unknown validator"},
		{"copy itself", "type: honest", "type: copy, target: a", "validators[0].strategy.target", "itself"},
		{"noisy without sigma", "type: honest", "type: noisy", "validators[0].strategy.sigma", "required"},
		{"noisy bad pick", "type: honest", "type: noisy, sigma: 1, pick: best", "validators[0].strategy.pick", "proportional or argmax"},
		{"kappa out of range", "epochs: 5", "epochs: 5\nparams: {kappa: 1.5}", "params.kappa", "[0, 1]"},
		{"alpha order", "epochs: 5", "epochs: 5\nparams: {alpha_low: 0.9, alpha_high: 0.3}", "params.alpha_low", "exceeds"},
		{"bad la weights", "epochs: 5", "epochs: 5\nparams: {liquid_alpha_weights: both}", "params.liquid_alpha_weights", "effective or raw"},
		{"unknown yuma", "epochs: 5", "epochs: 5\nruns: [{yuma: yuma9}]", "runs[0].yuma", "unknown Yuma"},
		{"unknown la", "epochs: 5", "epochs: 5\nruns: [{yuma: yuma3, liquid_alpha: v7}]", "runs[0].liquid_alpha", "unknown liquid-alpha"},
		{"duplicate run", "epochs: 5", "epochs: 5\nruns: [{yuma: yuma3}, {yuma: yuma3}]", "runs[1].name", "duplicate"},
		{"reset unknown miner", "epochs: 5", "epochs: 5\nbond_resets: [{epoch: 1, miner: m9}]", "bond_resets[0].miner", "unknown miner"},
		{"reset out of range", "epochs: 5", "epochs: 5\nbond_resets: [{epoch: 5, miner: m0}]", "bond_resets[0].epoch", "[0, 5)"},
		{"stake change epoch", "stake: 0.4,", "stake: 0.4, stake_changes: [{epoch: 9, stake: 1}],", "validators[1].stake_changes[0].epoch", "[1, 5)"},
		{"all stake zero", "stake: 0.6, strategy: {type: honest}}\n  - {name: b, stake: 0.4", "stake: 0, strategy: {type: honest}}\n  - {name: b, stake: 0", "validators", "total stake"},
		{"name with slash", "name: t", "name: ../t", "name", "path separators"},
		{"wrong type", "epochs: 5", "epochs: five", "", "cannot decode"},
		{"too many epochs", "epochs: 5", "epochs: 2000000", "epochs", "between 1 and"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(goodScenario, tc.old) {
				t.Fatalf("test bug: %q not in scenario", tc.old)
			}
			src := strings.Replace(goodScenario, tc.old, tc.new, 1)
			_, err := ParseScenario("bad.yaml", []byte(src))
			var be *badinput.Error
			if !errors.As(err, &be) {
				t.Fatalf("want *badinput.Error, got %v", err)
			}
			if be.File != "bad.yaml" || be.Field != tc.field || !strings.Contains(be.Reason, tc.reason) {
				t.Fatalf("got file %q field %q reason %q; want field %q reason containing %q", be.File, be.Field, be.Reason, tc.field, tc.reason)
			}
		})
	}
}

func TestParseScenarioCopyCycle(t *testing.T) {
	src := strings.Replace(goodScenario, "{type: honest}", "{type: copy, target: b}", 1)
	src = strings.Replace(src, "{type: fixed, schedule: [{from: 0, weights: [1, 0]}]}", "{type: copy, target: a}", 1)
	_, err := ParseScenario("cycle.yaml", []byte(src))
	if !badinput.Is(err) || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("want copy-cycle error, got %v", err)
	}
	// With a lag the same pair is fine: each copies the other's past weights.
	src = strings.Replace(src, "target: a}", "target: a, lag: 1}", 1)
	if _, err := ParseScenario("lagged.yaml", []byte(src)); err != nil {
		t.Fatal(err)
	}
}

func TestParseScenarioEmptyAndMultiDoc(t *testing.T) {
	for _, src := range []string{"", "  \n", goodScenario + "\n---\nname: x\n"} {
		if _, err := ParseScenario("f.yaml", []byte(src)); !badinput.Is(err) {
			t.Errorf("%q: want bad input, got %v", src, err)
		}
	}
}

// TestExampleScenarios parses every scenario shipped in testdata/scenarios.
func TestExampleScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "scenarios", "*"))
	if err != nil || len(files) < 3 {
		t.Fatalf("want at least 3 example scenarios, got %v (%v)", files, err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		if _, err := LoadFile(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.yaml")); !badinput.Is(err) {
		t.Fatalf("missing file: want bad input, got %v", err)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(p, []byte(goodScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	if sc, file, err := Resolve(p, CatalogueOptions{}); err != nil || sc.Name != "t" || file != p {
		t.Fatalf("file: %v %q %v", sc, file, err)
	}
	if sc, _, err := Resolve("kappa-moves-first", CatalogueOptions{}); err != nil || sc.Name != "case01" {
		t.Fatalf("alias: %v %v", sc, err)
	}
	if _, _, err := Resolve("no-such-case", CatalogueOptions{}); !badinput.Is(err) {
		t.Fatalf("unknown: %v", err)
	}
}

func TestParseParamAssignments(t *testing.T) {
	p, err := ParseParamAssignments([]string{"bonds_penalty=1", "winner_takes_all=true", "liquid_alpha_weights=raw"})
	if err != nil {
		t.Fatal(err)
	}
	if *p.BondsPenalty != 1 || !*p.WinnerTakesAll || *p.LiquidAlphaWeights != "raw" || p.Kappa != nil {
		t.Fatalf("parsed %+v", p)
	}
	for _, bad := range []string{"kappa", "nosuch=1", "kappa=abc", "=1", "kappa={a: 1}"} {
		if _, err := ParseParamAssignments([]string{bad}); !badinput.Is(err) {
			t.Errorf("%q: want bad input, got %v", bad, err)
		}
	}
	merged := MergeParams(CaseParams(), p)
	if *merged.BondsPenalty != 1 || *merged.Kappa != 0.5 {
		t.Fatalf("merge: %+v", merged)
	}
}

func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(goodScenario))
	for _, name := range []string{"commit-reveal-copier.yaml", "named-copier.json", "fixed-schedule.yaml"} {
		if data, err := os.ReadFile(filepath.Join("..", "testdata", "scenarios", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"name": "x", "epochs": 1e9}`))
	f.Add([]byte("name: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario("fuzz.yaml", data)
		if err != nil {
			if !badinput.Is(err) {
				t.Fatalf("non-badinput error: %v", err)
			}
			return
		}
		if sc.Validate("fuzz.yaml") != nil {
			t.Fatal("parsed scenario fails validation")
		}
		if sc.Epochs*len(sc.Validators)*len(sc.Miners) > 20000 {
			return
		}
		var engines []*fakeEngine
		res, err := Run(context.Background(), sc, Options{Engine: fakeFactory(&engines)})
		if err != nil {
			t.Fatalf("valid scenario failed to run: %v", err)
		}
		for _, rr := range res.Variants {
			for _, w := range rr.Weights {
				if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 || w > 1 {
					t.Fatalf("recorded weight %v", w)
				}
			}
		}
	})
}
