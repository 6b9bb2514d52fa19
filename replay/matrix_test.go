package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
)

// TestMatrixExamples runs every example in testdata/replay/matrix through
// Run (the CLI's code path) and checks its NAME.expect.json: the chain's
// Yuma3 test dividends (±1e-3) and an independent float64 transcription of
// yuma-simulation's Yuma 2 (±1e-9).
func TestMatrixExamples(t *testing.T) {
	files, err := filepath.Glob("../testdata/replay/matrix/*.expect.json")
	if err != nil || len(files) < 5 {
		t.Fatalf("matrix examples missing: %v %v", files, err)
	}
	for _, ef := range files {
		name := strings.TrimSuffix(filepath.Base(ef), ".expect.json")
		t.Run(name, func(t *testing.T) {
			var exp expectFile
			raw, err := os.ReadFile(ef)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &exp); err != nil {
				t.Fatal(err)
			}
			path := strings.TrimSuffix(ef, ".expect.json") + ".json"
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			lines := runLines(t, path, data)
			if len(exp.Checks) == 0 {
				t.Fatal("no checks")
			}
			for _, c := range exp.Checks {
				checkLine(t, "float", lines, c)
			}
		})
	}
}

// The sparse set_rows form of a scenario prints exactly what its dense form
// prints.
func TestMatrixSparseEqualsDense(t *testing.T) {
	var outs [2]bytes.Buffer
	for k, n := range []string{"yuma3_bonds_reset", "yuma3_bonds_reset_sparse"} {
		path := "../testdata/replay/matrix/" + n + ".json"
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := RunFile(context.Background(), path, Options{}, &outs[k]); err != nil {
			t.Fatal(err)
		}
		_ = data
	}
	if outs[0].String() != outs[1].String() || strings.Count(outs[0].String(), "\n") != 41 {
		t.Fatalf("dense and sparse outputs differ (%d / %d bytes)", outs[0].Len(), outs[1].Len())
	}
}

// The replay equals stepping the engine directly, and YAML equals JSON.
func TestMatrixMatchesEngineAndYAML(t *testing.T) {
	doc := `{"yuma": "yuma2", "liquid_alpha": "v1", "params": {"bonds_moving_average": 0.5, "bonds_penalty": 0.5},
	 "epochs": [{"stake": [3, 1], "weights": [[1, 2, 0], [0, 1, 1]]}, {"weights": [[0, 1, 0], [1, 1, 1]], "reset_bonds": [2]}, {"stake": [1, 1]}]}`
	var out bytes.Buffer
	if err := Run(context.Background(), "m.json", []byte(doc), Options{}, &out); err != nil {
		t.Fatal(err)
	}
	p := epoch.DefaultParams()
	p.BondsMovingAverage, p.BondsPenalty = 0.5, 0.5
	e, err := epoch.New(epoch.Config{Yuma: epoch.Yuma2, LiquidAlpha: epoch.LiquidAlphaV1, Params: p}, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	ins := []epoch.Input{
		{Stake: []float64{3, 1}, Weights: []float64{1, 2, 0, 0, 1, 1}},
		{Stake: []float64{3, 1}, Weights: []float64{0, 1, 0, 1, 1, 1}, ResetBonds: []int{2}},
		{Stake: []float64{1, 1}, Weights: []float64{0, 1, 0, 1, 1, 1}},
	}
	var want []byte
	for k, in := range ins {
		r, err := e.Step(in)
		if err != nil {
			t.Fatal(err)
		}
		want = AppendMatrixLine(want, MatrixLine{Epoch: k, Result: r}, nil, 3)
		want = append(want, '\n')
	}
	if out.String() != string(want) {
		t.Fatalf("replay output\n%s\nwant\n%s", out.String(), want)
	}
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	y, _ := yaml.Marshal(v)
	var yout bytes.Buffer
	if err := Run(context.Background(), "m.yaml", y, Options{}, &yout); err != nil {
		t.Fatal(err)
	}
	if yout.String() != out.String() {
		t.Fatalf("YAML output differs")
	}
	// Every line is valid JSON with the documented fields and shapes.
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m struct {
			Epoch          *int
			Dividends      []float64
			Incentive      []float64
			Consensus      []float64
			ValidatorTrust []float64 `json:"validator_trust"`
			Bonds          [][]float64
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		if m.Epoch == nil || len(m.Dividends) != 2 || len(m.Incentive) != 3 || len(m.Consensus) != 3 || len(m.ValidatorTrust) != 2 || len(m.Bonds) != 2 || len(m.Bonds[1]) != 3 {
			t.Fatalf("bad line shape: %s", l)
		}
	}
}

func TestMatrixProgress(t *testing.T) {
	var calls [][2]int
	opts := Options{Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) }}
	doc := `{"epochs": [{"stake": [1], "weights": [[1]]}, {}, {}]}`
	if err := Run(context.Background(), "p.json", []byte(doc), opts, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 3 || calls[2] != [2]int{3, 3} || calls[0] != [2]int{1, 3} {
		t.Fatalf("progress calls %v", calls)
	}
}

func TestMatrixFields(t *testing.T) {
	doc := `{"epochs": [{"stake": [1], "weights": [[1, 1]]}]}`
	var out bytes.Buffer
	if err := Run(context.Background(), "f.json", []byte(doc), Options{Fields: []string{"dividends", "incentive"}}, &out); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(out.String()), `{"epoch":0,"dividends":[1],"incentive":[0.5,0.5]}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	err := Run(context.Background(), "f.json", []byte(doc), Options{Fields: []string{"emission"}}, &out)
	var be *badinput.Error
	if !errors.As(err, &be) || be.Field != "--fields" {
		t.Fatalf("unknown matrix field: %v", err)
	}
}

func TestMatrixBadInput(t *testing.T) {
	ep := func(s string) string { return `{"epochs": [` + s + `]}` }
	cases := []struct {
		name, doc, loc, field, reason string
	}{
		{"chain engine", `{"engine": "chain", "epochs": [{"stake": [1], "weights": [[1]]}]}`, "", "engine", "step replays"},
		{"unknown engine", `{"engine": "gpu", "epochs": []}`, "", "engine", "unknown"},
		{"unknown yuma", `{"yuma": "yuma4", "epochs": []}`, "", "yuma", "unknown"},
		{"unknown liquid alpha", `{"liquid_alpha": "v3", "epochs": []}`, "", "liquid_alpha", "unknown"},
		{"unknown compat", `{"compat": "torch", "epochs": []}`, "", "compat", "unknown"},
		{"unknown top field", `{"epoch": [], "epochs": []}`, "", "epoch", "unknown field"},
		{"unknown param", `{"params": {"kapa": 0.5}, "epochs": []}`, "", "params.kapa", "unknown field"},
		{"kappa above 1", `{"params": {"kappa": 2}, "epochs": []}`, "", "params.kappa", "above 1"},
		{"negative param", `{"params": {"bonds_penalty": -0.5}, "epochs": []}`, "", "params.bonds_penalty", "negative"},
		{"string param", `{"params": {"kappa": "half"}, "epochs": []}`, "", "params.kappa", "must be a number"},
		{"huge steepness", `{"params": {"alpha_sigmoid_steepness": 1e9}, "epochs": []}`, "", "params.alpha_sigmoid_steepness", "outside"},
		{"alpha low above high", `{"liquid_alpha": "v2", "params": {"alpha_low": 0.9, "alpha_high": 0.1}, "epochs": []}`, "", "params", "above alpha_high"},
		{"bad la weights", `{"params": {"liquid_alpha_weights": "both"}, "epochs": []}`, "", "params.liquid_alpha_weights", "unknown"},
		{"bad la consensus", `{"params": {"liquid_alpha_consensus": "next"}, "epochs": []}`, "", "params.liquid_alpha_consensus", "unknown"},
		{"empty epochs", ep(``), "", "epochs", "empty"},
		{"epochs not array", `{"epochs": {}}`, "", "epochs", "array"},
		{"no shape", ep(`{"stake": [1]}`), "", "validators", "missing"},
		{"zero validators", `{"validators": 0, "miners": 1, "epochs": [{"stake": []}]}`, "", "validators", "out of range"},
		{"absurd size", `{"validators": 65536, "miners": 65536, "epochs": [{"stake": [1]}]}`, "", "validators", "cells"},
		{"zero miners", ep(`{"stake": [1], "weights": [[]]}`), "", "miners", "missing"},
		{"ragged", ep(`{"stake": [1, 1], "weights": [[1, 0], [1]]}`), "epoch 0", "weights[1]", "has 1 values, want 2"},
		{"ragged later", ep(`{"stake": [1], "weights": [[1, 0]]}, {"weights": [[1, 0, 3]]}`), "epoch 1", "weights[0]", "want 2"},
		{"too few rows", ep(`{"stake": [1, 1], "weights": [[1, 0], [1, 0]]}, {"weights": [[1, 0]]}`), "epoch 1", "weights", "has 1 rows"},
		{"stake length", ep(`{"stake": [1], "weights": [[1, 0], [0, 1]]}`), "epoch 0", "stake", "has 1 values, want 2"},
		{"negative stake", ep(`{"stake": [-1], "weights": [[1]]}`), "epoch 0", "stake[0]", "negative"},
		{"negative weight", ep(`{"stake": [1], "weights": [[1, -2]]}`), "epoch 0", "weights[0][1]", "negative"},
		{"huge weight", ep(`{"stake": [1], "weights": [[1, 1e999]]}`), "epoch 0", "weights[0][1]", "finite"},
		{"string weight", ep(`{"stake": [1], "weights": [[1, "x"]]}`), "epoch 0", "weights[0][1]", "number"},
		{"missing first stake", ep(`{"weights": [[1]]}`), "epoch 0", "stake", "first epoch"},
		{"unknown epoch field", ep(`{"stake": [1], "weights": [[1]], "reset": [0]}`), "epoch 0", "reset", "unknown field"},
		{"reset out of range", ep(`{"stake": [1], "weights": [[1, 1]], "reset_bonds": [2]}`), "epoch 0", "reset_bonds[0]", "out of range"},
		{"dense and sparse", ep(`{"stake": [1], "weights": [[1]], "set_rows": []}`), "epoch 0", "weights", "not both"},
		{"set_rows v range", `{"validators": 2, "miners": 2, "epochs": [{"stake": [1, 1], "set_rows": [[2, [[0, 1]]]]}]}`, "epoch 0", "set_rows[0][0]", "out of range"},
		{"set_rows j range", `{"validators": 2, "miners": 2, "epochs": [{"stake": [1, 1], "set_rows": [[1, [[5, 1]]]]}]}`, "epoch 0", "set_rows[0][1][0][0]", "out of range"},
		{"set_rows negative w", `{"validators": 2, "miners": 2, "epochs": [{"stake": [1, 1], "set_rows": [[1, [[0, -1]]]]}]}`, "epoch 0", "set_rows[0][1][0][1]", "negative"},
		{"set_rows shape", `{"validators": 2, "miners": 2, "epochs": [{"stake": [1, 1], "set_rows": [[1]]}]}`, "epoch 0", "set_rows[0]", "must be"},
		{"set_rows dup v", `{"validators": 2, "miners": 2, "epochs": [{"stake": [1, 1], "set_rows": [[1, []], [1, []]]}]}`, "epoch 0", "set_rows[1][0]", "twice"},
		{"set_rows dup j", `{"validators": 2, "miners": 2, "epochs": [{"stake": [1, 1], "set_rows": [[1, [[0, 1], [0, 2]]]]}]}`, "epoch 0", "set_rows[0][1][1][0]", "twice"},
		{"shape mismatch", `{"validators": 3, "epochs": [{"stake": [1, 1], "weights": [[1], [1]]}]}`, "epoch 0", "stake", "want 3"},
		{"null weight", ep(`{"stake": [1], "weights": [[1, null]]}`), "epoch 0", "weights[0][1]", "null"},
		{"null stake", ep(`{"stake": [null], "weights": [[1]]}`), "epoch 0", "stake[0]", "null"},
		{"null steepness", `{"params": {"alpha_sigmoid_steepness": null}, "epochs": []}`, "", "params.alpha_sigmoid_steepness", "finite number"},
		{"NaN in YAML", "epochs:\n  - stake: [1]\n    weights: [[.nan]]\n", "epoch 0", "weights[0][0]", "finite"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := "m.json"
			if strings.HasPrefix(c.doc, "epochs:") {
				name = "m.yaml"
			}
			err := Run(context.Background(), name, []byte(c.doc), Options{}, &bytes.Buffer{})
			var be *badinput.Error
			if !errors.As(err, &be) {
				t.Fatalf("got %v (%T), want *badinput.Error", err, err)
			}
			if be.File != name || be.Location != c.loc || be.Field != c.field || !strings.Contains(be.Reason, c.reason) {
				t.Fatalf("got file %q location %q field %q reason %q; want %q %q %q ~%q", be.File, be.Location, be.Field, be.Reason, name, c.loc, c.field, c.reason)
			}
		})
	}
}

// Degenerate but valid input: zero stake, zero weights, one validator and
// one miner. Outputs stay finite and in range.
func TestMatrixDegenerate(t *testing.T) {
	for _, y := range []string{"yuma1", "yuma2", "yuma2a", "yuma2b", "yuma2c", "yuma3"} {
		for _, compat := range []string{"chain", "yuma-simulation", "notebook"} {
			doc := `{"yuma": "` + y + `", "compat": "` + compat + `", "liquid_alpha": "v2", "epochs": [{"stake": [0, 0], "weights": [[0], [0]]}, {"stake": [1, 0]}, {"weights": [[1], [0]]}]}`
			var out bytes.Buffer
			if err := Run(context.Background(), "d.json", []byte(doc), Options{Fields: []string{"dividends", "incentive"}}, &out); err != nil {
				t.Fatalf("%s/%s: %v", y, compat, err)
			}
			for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
				var m struct{ Dividends, Incentive []float64 }
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatalf("%s/%s: %v in %s", y, compat, err, l)
				}
				for k, v := range [][]float64{m.Dividends, m.Incentive} {
					for _, x := range v {
						if math.IsNaN(x) || x < 0 || x > 1+1e-9 {
							t.Fatalf("%s/%s: field %d = %v", y, compat, k, v)
						}
					}
				}
			}
		}
	}
}

// FuzzParseMatrix feeds arbitrary documents to the matrix replay: it must
// never panic, and every failure must be a *badinput.Error.
func FuzzParseMatrix(f *testing.F) {
	files, _ := filepath.Glob("../testdata/replay/matrix/*.json")
	for _, p := range files {
		if strings.HasSuffix(p, ".expect.json") {
			continue
		}
		if data, err := os.ReadFile(p); err == nil && len(data) < 1<<14 {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"validators": 2, "miners": 3, "epochs": [{"stake": [1, 2], "set_rows": [[0, [[2, 1]]], [1, [[0, 0], [1, 3]]]]}, {"reset_bonds": [0, 2]}]}`))
	f.Add([]byte(`{"yuma": "yuma2c", "compat": "yuma-simulation", "params": {"winner_takes_all": true}, "epochs": [{"stake": [1], "weights": [[1, 1]]}]}`))
	f.Add([]byte("epochs:\n  - stake: [1]\n    weights: [[1]]\n"))
	f.Add([]byte(`{"epochs": [{"stake": [1e308, 1e308], "weights": [[1e308, 1e308], [0, 5e-324]]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<14 {
			return
		}
		jd, err := toJSON("fuzz.json", data)
		if err != nil {
			return
		}
		mf, err := ParseMatrix("fuzz.json", jd)
		if err != nil {
			if !badinput.Is(err) {
				t.Fatalf("non-bad-input error: %v", err)
			}
			return
		}
		if mf.Validators*mf.Miners*len(mf.Epochs) > 1<<16 {
			return // valid but too large to run in a fuzz iteration
		}
		err = RunMatrix(context.Background(), mf, func(MatrixLine) error { return nil })
		if err != nil && !badinput.Is(err) {
			t.Fatalf("non-bad-input error: %v", err)
		}
	})
}
