package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/yuma-go/yuma/chain"
	"github.com/yuma-go/yuma/internal/badinput"
)

const base = `{"yuma": "yuma2", "hyperparameters": {"tempo": 1, "commit_reveal": false},
 "neurons": [{"uid": 0, "stake": 10, "registered_at": 0, "validator_permit": true}, {"uid": 1, "stake": 0, "registered_at": 0}],
 "steps": [%s]}`

func withSteps(steps string) string { return strings.Replace(base, "%s", steps, 1) }

func TestBadInputNamesFileStepAndField(t *testing.T) {
	cases := []struct {
		name, doc, loc, field, reason string
	}{
		{"unknown uid", withSteps(`{"block": 1, "set_weights": {"uid": 0, "uids": [5], "values": [1]}}`), "step 0", "set_weights.uids[0]", "not registered"},
		{"value > 65535", withSteps(`{"block": 1, "set_weights": {"uid": 0, "uids": [1], "values": [65536]}}`), "step 0", "set_weights.values[0]", "out of range"},
		{"negative value", withSteps(`{"block": 1, "set_weights": {"uid": 0, "uids": [1], "values": [-1]}}`), "step 0", "set_weights.values[0]", "negative"},
		{"negative stake", withSteps(`{"block": 1, "set_stake": {"uid": 0, "stake": -5}}`), "step 0", "set_stake.stake", "negative"},
		{"duplicate uids", withSteps(`{"block": 1, "set_weights": {"uid": 0, "uids": [1, 1], "values": [1, 2]}}`), "step 0", "set_weights.uids[1]", "duplicate"},
		{"ragged", withSteps(`{"block": 1, "set_weights": {"uid": 0, "uids": [0, 1], "values": [1]}}`), "step 0", "set_weights.values", "2"},
		{"no neurons", `{"yuma": "yuma2", "hyperparameters": {"commit_reveal": false}, "steps": [{"block": 1, "epoch": {}}]}`, "step 0", "epoch", "no neurons"},
		{"backwards", withSteps(`{"block": 5, "epoch": {}}, {"block": 4, "epoch": {}}`), "step 1", "block", "backwards"},
		{"unknown step field", withSteps(`{"block": 1, "epoch": {"emision": 5}}`), "step 0", "epoch.emision", "unknown field"},
		{"unknown top field", `{"stepz": [], "steps": []}`, "", "stepz", "unknown field"},
		{"two actions", withSteps(`{"block": 1, "epoch": {}, "set_stake": {"uid": 0, "stake": 1}}`), "step 0", "", "exactly one action"},
		{"float stake", withSteps(`{"block": 1, "set_stake": {"uid": 0, "stake": 1.5}}`), "step 0", "set_stake.stake", "integer"},
		{"string block", withSteps(`{"block": "x", "epoch": {}}`), "step 0", "block", "integer"},
		{"out of range u16 hyper", `{"hyperparameters": {"kappa": 70000}, "steps": []}`, "", "hyperparameters.kappa", "out of range"},
		{"unknown yuma", `{"yuma": "yuma9", "steps": []}`, "", "yuma", "unknown"},
		{"yuma1 on chain", `{"yuma": "yuma1", "hyperparameters": {"commit_reveal": false}, "neurons": [{"uid": 0, "stake": 1}], "steps": [{"block": 1, "epoch": {}}]}`, "", "yuma", "no chain implementation"},
		{"set_weights under commit-reveal", `{"neurons": [{"uid": 0, "stake": 1}], "steps": [{"block": 1, "set_weights": {"uid": 0, "uids": [0], "values": [1]}}]}`, "step 0", "set_weights", "commit_reveal is on"},
		{"register gap", withSteps(`{"block": 1, "register": {"uid": 9, "stake": 1}}`), "step 0", "register.uid", "gap"},
		{"neuron order", `{"neurons": [{"uid": 1}], "steps": []}`, "", "neurons[0].uid", "in order"},
		{"uid > u16", withSteps(`{"block": 1, "reset_bonds": {"uid": 70000}}`), "step 0", "reset_bonds.uid", "out of range"},
		{"float engine unavailable", `{"engine": "float", "steps": []}`, "", "engine", "not available"},
		{"missing steps", `{"name": "x", "hyperparameters": {}}`, "", "steps", "missing"},
		{"not an object", `[1, 2]`, "", "", "JSON object"},
		{"NaN in YAML", "steps:\n  - block: .nan\n    epoch: {}\n", "step 0", "block", "finite"},
		{"Inf in YAML", "steps:\n  - block: 1\n    set_stake: {uid: 0, stake: .inf}\n", "step 0", "set_stake.stake", "finite"},
		{"NaN in YAML hyperparameters", "hyperparameters: {kappa: .nan}\nsteps: []\n", "", "hyperparameters.kappa", "finite"},
		{"inf stake", withSteps(`{"block": 1, "set_stake": {"uid": 0, "stake": 1e999}}`), "step 0", "set_stake.stake", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			name := "case.json"
			if strings.HasPrefix(c.doc, "steps:") {
				name = "case.yaml"
			}
			var out bytes.Buffer
			err := Run(context.Background(), name, []byte(c.doc), Options{}, &out)
			var be *badinput.Error
			if !errors.As(err, &be) {
				t.Fatalf("got %v (%T), want *badinput.Error", err, err)
			}
			if be.File != name || be.Location != c.loc || be.Field != c.field || !strings.Contains(be.Reason, c.reason) {
				t.Fatalf("got file %q location %q field %q reason %q; want %q %q %q ~%q", be.File, be.Location, be.Field, be.Reason, name, c.loc, c.field, c.reason)
			}
			if strings.Contains(be.Error(), "\n") {
				t.Fatalf("message spans lines: %q", be.Error())
			}
		})
	}
}

func TestFieldsFilterAndYAML(t *testing.T) {
	doc := "yuma: yuma2\nhyperparameters: {tempo: 1, commit_reveal: false}\nneurons:\n  - {uid: 0, stake: 1e9, registered_at: 0, validator_permit: true}\nsteps:\n  - {block: 1, epoch: {emission: 2e9}}\n"
	var out bytes.Buffer
	if err := Run(context.Background(), "x.yaml", []byte(doc), Options{Fields: []string{"emission", "active"}}, &out); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(out.String()), `{"block":1,"emission":[2000000000],"active":[true]}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	err := Run(context.Background(), "x.yaml", []byte(doc), Options{Fields: []string{"nope"}}, &out)
	if !badinput.Is(err) {
		t.Fatalf("unknown --fields entry: %v", err)
	}
}

func TestDefaultEmissionAndFullLine(t *testing.T) {
	doc := withSteps(`{"block": 1, "epoch": null}, {"block": 2, "epoch": {}}`)
	var out bytes.Buffer
	if err := Run(context.Background(), "x.json", []byte(doc), Options{}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", out.String())
	}
	want := `{"block":1,"consensus":[0,0],"incentive":[0,0],"dividends":[0,0],"validator_trust":[0,0],"emission":[1000000000,0],"validator_permit":[true,false],"active":[true,true],"bonds":[[0,0],[0,0]]}`
	if lines[0] != want {
		t.Fatalf("line 0:\n got %s\nwant %s", lines[0], want)
	}
}

func TestFloatEngineDispatch(t *testing.T) {
	doc := strings.Replace(withSteps(`{"block": 1, "epoch": {}}`), `{"yuma"`, `{"engine": "float", "yuma"`, 1)
	var out bytes.Buffer
	// Any subnet.Engine can stand in for the float engine here.
	if err := Run(context.Background(), "x.json", []byte(doc), Options{FloatEngine: chain.New()}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), `{"block":1,`) {
		t.Fatalf("output %q", out.String())
	}
}

func TestContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Run(ctx, "x.json", []byte(withSteps(`{"block": 1, "epoch": {}}`)), Options{}, &bytes.Buffer{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// FuzzReplaySteps feeds arbitrary documents to the step replay: it must never
// panic, and every failure on user data must be a *badinput.Error.
func FuzzReplaySteps(f *testing.F) {
	f.Add([]byte(withSteps(`{"block": 1, "epoch": {}}`)))
	f.Add([]byte(withSteps(`{"block": 1, "set_weights": {"uid": 0, "uids": [1, 0], "values": [5, 0]}}, {"block": 2, "epoch": {"emission": 7}}`)))
	f.Add([]byte(withSteps(`{"block": 1, "register": {"uid": 2, "stake": 3}}, {"block": 1, "set_stake": {"uid": 2, "stake": 9}}, {"block": 3, "epoch": {}}`)))
	f.Add([]byte(`{"yuma": "yuma3", "liquid_alpha": "v2", "hyperparameters": {"commit_reveal": true, "bonds_reset": true}, "neurons": [{"uid": 0, "stake": 5, "validator_permit": true}, {"uid": 1}], "steps": [{"block": 1, "commit": {"uid": 0, "uids": [1], "values": [3]}}, {"block": 2, "epoch": {}}, {"block": 3, "epoch": {}}, {"block": 3, "reset_bonds": {"uid": 1}}]}`))
	f.Add([]byte(`{"hyperparameters": {"commit_reveal": true}, "neurons": [{"uid": 0, "stake": 5, "validator_permit": true}, {"uid": 1}], "steps": [{"block": 1, "commit": {"uid": 0, "uids": [1], "values": [3], "hash": true}}, {"block": 2, "epoch": {}}, {"block": 2, "reveal": {"uid": 0, "uids": [1], "values": [3]}}, {"block": 3, "epoch": {}}]}`))
	f.Add([]byte("steps:\n  - block: 1\n    epoch: {}\n"))
	f.Add([]byte(`{"steps": [{"block": -1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<14 {
			return
		}
		var out bytes.Buffer
		err := Run(context.Background(), "fuzz.json", data, Options{}, &out)
		if err != nil && !badinput.Is(err) {
			t.Fatalf("non-bad-input error: %v", err)
		}
	})
}

// A YAML rendering of a conformance case gives the same output as the JSON file.
func TestYAMLEqualsJSON(t *testing.T) {
	data, err := os.ReadFile("../testdata/replay/chain/test_active_stake.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	y, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := Run(context.Background(), "a.json", data, Options{}, &a); err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), "a.yaml", y, Options{}, &b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() || a.Len() == 0 {
		t.Fatalf("YAML and JSON replays differ:\n%s\n%s", a.String(), b.String())
	}
}

func TestHashCommitRevealWindow(t *testing.T) {
	head := `{"yuma": "yuma2", "hyperparameters": {"commit_reveal": true, "commit_reveal_period": 1},
 "neurons": [{"uid": 0, "stake": 10, "validator_permit": true}, {"uid": 1}], "steps": [
 {"block": 1, "commit": {"uid": 0, "uids": [1], "values": [5], "hash": true}}, `
	cases := []struct{ name, steps, loc, reason string }{
		{"too early", `{"block": 2, "reveal": {"uid": 0, "uids": [1], "values": [5]}}]}`, "step 1", "too early"},
		{"expired", `{"block": 2, "epoch": {}}, {"block": 3, "epoch": {}}, {"block": 4, "reveal": {"uid": 0, "uids": [1], "values": [5]}}]}`, "step 3", "no pending hash commit"},
		{"wrong vector", `{"block": 2, "epoch": {}}, {"block": 3, "reveal": {"uid": 0, "uids": [1], "values": [6]}}]}`, "step 2", "no pending hash commit"},
	}
	for _, c := range cases {
		err := Run(context.Background(), "x.json", []byte(head+c.steps), Options{}, &bytes.Buffer{})
		var be *badinput.Error
		if !errors.As(err, &be) || be.Location != c.loc || be.Field != "reveal" || !strings.Contains(be.Reason, c.reason) {
			t.Errorf("%s: got %v", c.name, err)
		}
	}
	ok := head + `{"block": 2, "epoch": {}}, {"block": 3, "reveal": {"uid": 0, "uids": [1], "values": [5]}}]}`
	if err := Run(context.Background(), "x.json", []byte(ok), Options{}, &bytes.Buffer{}); err != nil {
		t.Fatalf("reveal in its window: %v", err)
	}
}
