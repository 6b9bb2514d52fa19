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

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
)

// floatLine is one decoded output line of a step replay.
type floatLine struct {
	Block          uint64
	Consensus      []float64
	Incentive      []float64
	Dividends      []float64
	ValidatorTrust []float64 `json:"validator_trust"`
	Emission       []float64
	Permit         []bool `json:"validator_permit"`
	Active         []bool
	Bonds          [][]float64
}

func decodeLines(t *testing.T, out string) []floatLine {
	t.Helper()
	var ls []floatLine
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var fl floatLine
		if err := json.Unmarshal([]byte(l), &fl); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		ls = append(ls, fl)
	}
	return ls
}

// TestFloatEngineOnChainConformance runs every chain conformance replay with
// "engine": "float" (as the CLI does, epoch.NewSubnet as the float engine)
// and checks each epoch against the chain engine's outputs: the u16
// proportions /65535, the emission shares, permits and activity exactly, and
// the stored bonds (yuma3: u16/65535; yuma2: column max-upscaled).
func TestFloatEngineOnChainConformance(t *testing.T) {
	const tol = 2e-4
	files, err := filepath.Glob("../testdata/replay/chain/*.expect.json")
	if err != nil || len(files) < 10 {
		t.Fatalf("conformance cases missing: %v", err)
	}
	worst := 0.0
	for _, ef := range files {
		path := strings.TrimSuffix(ef, ".expect.json") + ".json"
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		yuma, _ := doc["yuma"].(string)
		outs := map[string]string{}
		for _, eng := range []string{"chain", "float"} {
			doc["engine"] = eng
			d, _ := json.Marshal(doc)
			var out bytes.Buffer
			if err := Run(context.Background(), path, d, Options{FloatEngine: epoch.NewSubnet()}, &out); err != nil {
				t.Fatalf("%s with engine %s: %v", name, eng, err)
			}
			outs[eng] = out.String()
		}
		ch, fl := decodeLines(t, outs["chain"]), decodeLines(t, outs["float"])
		if len(ch) != len(fl) {
			t.Fatalf("%s: %d chain lines, %d float lines", name, len(ch), len(fl))
		}
		for k := range ch {
			c, f := ch[k], fl[k]
			gap := func(field string, want, got []float64) {
				if len(want) != len(got) {
					t.Fatalf("%s line %d %s: %d values, want %d", name, k, field, len(got), len(want))
				}
				for i := range want {
					d := math.Abs(want[i] - got[i])
					worst = max(worst, d)
					if d > tol || math.IsNaN(got[i]) {
						t.Errorf("%s line %d %s[%d]: float %v, chain %v", name, k, field, i, got[i], want[i])
						return
					}
				}
			}
			u16 := func(x []float64) []float64 {
				out := make([]float64, len(x))
				for i, v := range x {
					out[i] = v / 65535
				}
				return out
			}
			gap("consensus", u16(c.Consensus), f.Consensus)
			gap("incentive", u16(c.Incentive), f.Incentive)
			gap("dividends", u16(c.Dividends), f.Dividends)
			gap("validator_trust", u16(c.ValidatorTrust), f.ValidatorTrust)
			sum := 0.0
			for _, e := range c.Emission {
				sum += e
			}
			if sum > 0 {
				em := make([]float64, len(c.Emission))
				for i, e := range c.Emission {
					em[i] = e / sum
				}
				gap("emission", em, f.Emission)
			}
			for i := range c.Permit {
				if c.Permit[i] != f.Permit[i] || c.Active[i] != f.Active[i] {
					t.Errorf("%s line %d uid %d: permit/active float %v/%v, chain %v/%v", name, k, i, f.Permit[i], f.Active[i], c.Permit[i], c.Active[i])
				}
			}
			n := len(c.Bonds)
			fb := f.Bonds
			if yuma == "yuma2" {
				fb = colMaxUpscale(fb)
			}
			for i := 0; i < n; i++ {
				gap("bonds row", u16(c.Bonds[i]), fb[i])
			}
		}
	}
	t.Logf("worst gap float vs chain u16 over %d conformance replays: %.3g", len(files), worst)
}

func colMaxUpscale(b [][]float64) [][]float64 {
	if len(b) == 0 {
		return b
	}
	m := len(b[0])
	mx := make([]float64, m)
	for _, row := range b {
		for j, v := range row {
			mx[j] = max(mx[j], v)
		}
	}
	out := make([][]float64, len(b))
	for i, row := range b {
		out[i] = make([]float64, m)
		for j, v := range row {
			if mx[j] > 0 {
				out[i][j] = v / mx[j]
			}
		}
	}
	return out
}

// The float engine refuses a liquid-alpha rule that has no meaning for the
// Yuma version before running any step, naming the field; the simulator
// variants run.
func TestFloatEngineVariants(t *testing.T) {
	doc := func(yuma, la string) string {
		return `{"engine": "float", "yuma": "` + yuma + `", "liquid_alpha": "` + la + `", "hyperparameters": {"commit_reveal": false, "tempo": 1},
 "neurons": [{"uid": 0, "stake": 3, "validator_permit": true}, {"uid": 1, "stake": 1, "validator_permit": true}, {"uid": 2}],
 "steps": [{"block": 1, "set_weights": {"uid": 0, "uids": [1, 2], "values": [1, 3]}}, {"block": 1, "set_weights": {"uid": 1, "uids": [2], "values": [5]}},
  {"block": 2, "epoch": {}}, {"block": 3, "set_weights": {"uid": 0, "uids": [2], "values": [1]}}, {"block": 3, "epoch": {}}, {"block": 4, "epoch": {}}]}`
	}
	for _, c := range []struct{ yuma, la string }{{"yuma3", "v1"}, {"yuma2c", "v1-paper"}} {
		err := Run(context.Background(), "f.json", []byte(doc(c.yuma, c.la)), Options{FloatEngine: epoch.NewSubnet()}, &bytes.Buffer{})
		var be *badinput.Error
		if !errors.As(err, &be) || be.Field != "liquid_alpha" || be.File != "f.json" {
			t.Errorf("%s %s: got %v", c.yuma, c.la, err)
		}
	}
	for _, c := range []struct{ yuma, la string }{{"yuma1", "off"}, {"yuma2a", "v1-paper"}, {"yuma2b", "v1"}, {"yuma2c", "off"}, {"yuma2", "v2"}} {
		var out bytes.Buffer
		if err := Run(context.Background(), "f.json", []byte(doc(c.yuma, c.la)), Options{FloatEngine: epoch.NewSubnet()}, &out); err != nil {
			t.Fatalf("%s %s: %v", c.yuma, c.la, err)
		}
		ls := decodeLines(t, out.String())
		if len(ls) != 3 {
			t.Fatalf("%s %s: %d lines", c.yuma, c.la, len(ls))
		}
		for k, l := range ls {
			sum := 0.0
			for _, d := range l.Dividends {
				sum += d
			}
			if math.Abs(sum-1) > 1e-9 || l.Dividends[2] != 0 {
				t.Errorf("%s %s line %d: dividends %v", c.yuma, c.la, k, l.Dividends)
			}
		}
	}
}
