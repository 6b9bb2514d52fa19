package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// yuma replay runs a matrix file and reproduces the chain test's dividends.
func TestReplayMatrixFile(t *testing.T) {
	code, out, stderr := runCLI(t, "replay", "../../testdata/replay/matrix/yuma3_kappa_moves_first.json", "--fields", "dividends")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("want 6 lines, got %d", len(lines))
	}
	var l struct {
		Epoch     int
		Dividends []float64
	}
	if err := json.Unmarshal([]byte(lines[2]), &l); err != nil {
		t.Fatal(err)
	}
	if l.Epoch != 2 || math.Abs(l.Dividends[0]-0.9382) > 1e-3 || math.Abs(l.Dividends[1]-0.0618) > 1e-3 {
		t.Fatalf("line %s", lines[2])
	}
}

// "engine": "float" in a step file runs the float subnet engine: outputs are
// proportions close to the chain engine's u16 values.
func TestReplayEngineFloat(t *testing.T) {
	data, err := os.ReadFile("../../testdata/replay/chain/test_bonds.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	run := func(engine string) []map[string][]float64 {
		doc["engine"] = engine
		d, _ := json.Marshal(doc)
		p := filepath.Join(t.TempDir(), "f.json")
		if err := os.WriteFile(p, d, 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, stderr := runCLI(t, "replay", p, "--fields", "dividends,incentive")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", engine, code, stderr)
		}
		var ls []map[string][]float64
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var m struct{ Dividends, Incentive []float64 }
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatal(err)
			}
			ls = append(ls, map[string][]float64{"dividends": m.Dividends, "incentive": m.Incentive})
		}
		return ls
	}
	fl, ch := run("float"), run("chain")
	if len(fl) != len(ch) || len(fl) == 0 {
		t.Fatalf("%d float lines, %d chain lines", len(fl), len(ch))
	}
	for k := range fl {
		for _, f := range []string{"dividends", "incentive"} {
			for i, v := range fl[k][f] {
				if math.Abs(v-ch[k][f][i]/65535) > 2e-4 {
					t.Fatalf("line %d %s[%d]: float %v, chain %v/65535", k, f, i, v, ch[k][f][i])
				}
			}
		}
	}
}

// A matrix file asking for the chain engine exits 2 with one line.
func TestReplayMatrixChainEngineExit2(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(p, []byte(`{"engine": "chain", "epochs": [{"stake": [1], "weights": [[1]]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "replay", p)
	if code != 2 || !strings.Contains(stderr, p+": engine: the chain engine runs step replays") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}
