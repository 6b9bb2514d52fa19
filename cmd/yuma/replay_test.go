package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplayChainConformanceFile(t *testing.T) {
	code, out, stderr := runCLI(t, "replay", "../../testdata/replay/chain/test_bonds.json", "--fields", "emission,bonds")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 8 {
		t.Fatalf("want 8 epoch lines, got %d", len(lines))
	}
	var l struct {
		Block    uint64      `json:"block"`
		Emission []float64   `json:"emission"`
		Bonds    [][]float64 `json:"bonds"`
		Other    any         `json:"consensus"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &l); err != nil {
		t.Fatal(err)
	}
	// test_bonds at block 2 (chain-epoch.md section 13 D), bit-exact.
	want := []float64{49999998, 99999999, 150000000, 200000001, 49998779, 100000610, 149996337, 200004272}
	for i := range want {
		if l.Emission[i] != want[i] {
			t.Fatalf("emission = %v, want %v", l.Emission, want)
		}
	}
	if l.Block != 2 || l.Bonds[0][4] != 16383 || l.Bonds[3][4] != 65535 || l.Other != nil {
		t.Fatalf("line %s", lines[1])
	}
}

func TestReplayBadInputExit2(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct{ doc, want string }{
		"unknown_uid.json": {`{"yuma": "yuma2", "hyperparameters": {"commit_reveal": false}, "neurons": [{"uid": 0, "stake": 1, "validator_permit": true}],
			"steps": [{"block": 1, "set_weights": {"uid": 0, "uids": [3], "values": [1]}}]}`, "step 0: set_weights.uids[0]: uid 3 is not registered"},
		"backwards.json": {`{"neurons": [{"uid": 0, "stake": 1}], "hyperparameters": {"commit_reveal": false}, "yuma": "yuma2",
			"steps": [{"block": 5, "epoch": {}}, {"block": 4, "epoch": {}}]}`, "step 1: block: block 4 is before"},
		"unknown_field.json": {`{"steps": [], "extra": 1}`, "extra: unknown field"},
		"empty.json":         {`{"steps": [{"block": 1, "epoch": {}}]}`, "step 0: epoch: the subnet has no neurons"},
	}
	for name, c := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(c.doc), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "replay", p)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2 (stderr %q)", name, code, stderr)
		}
		if !strings.Contains(stderr, p+": "+c.want) {
			t.Errorf("%s: stderr %q does not contain %q", name, stderr, p+": "+c.want)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%s: want one line, got %q", name, stderr)
		}
		_ = out
	}
	code, _, stderr := runCLI(t, "replay", filepath.Join(dir, "missing.json"))
	if code != 2 || !strings.Contains(stderr, "missing.json") {
		t.Errorf("missing file: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "replay", "--fields", "bogus", "../../testdata/replay/chain/test_1_graph.json")
	if code != 2 || !strings.Contains(stderr, "bogus") {
		t.Errorf("bad --fields: exit %d, stderr %q", code, stderr)
	}
}
