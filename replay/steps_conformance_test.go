package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// expectFile is the NAME.expect.json beside each conformance replay.
type expectFile struct {
	Source string        `json:"source"`
	Dense  bool          `json:"dense"` // also run the chain's dense path
	Checks []expectCheck `json:"checks"`
}

// expectCheck compares one field of one output line. For bonds, Column
// selects a column (values over the rows in UIDs) or Row a row (values over
// the columns in UIDs). Values are divided by Scale (when set) before they
// are compared within Tol (exactly when Tol is 0).
type expectCheck struct {
	Epoch  int               `json:"epoch"`
	Field  string            `json:"field"`
	Values []json.RawMessage `json:"values"`
	UIDs   []int             `json:"uids"`
	Column *int              `json:"column"`
	Row    *int              `json:"row"`
	Scale  float64           `json:"scale"`
	Tol    float64           `json:"tol"`
}

func runLines(t *testing.T, name string, data []byte) []map[string]json.RawMessage {
	t.Helper()
	var out bytes.Buffer
	if err := Run(context.Background(), name, data, Options{}, &out); err != nil {
		t.Fatalf("replay %s: %v", name, err)
	}
	var lines []map[string]json.RawMessage
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestChainConformance(t *testing.T) {
	files, err := filepath.Glob("../testdata/replay/chain/*.expect.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance cases found: %v", err)
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
			replayPath := strings.TrimSuffix(ef, ".expect.json") + ".json"
			data, err := os.ReadFile(replayPath)
			if err != nil {
				t.Fatal(err)
			}
			engines := []string{"chain"}
			if exp.Dense {
				engines = append(engines, "chain-dense")
			}
			for _, eng := range engines {
				var doc map[string]any
				if err := json.Unmarshal(data, &doc); err != nil {
					t.Fatal(err)
				}
				doc["engine"] = eng
				d, _ := json.Marshal(doc)
				lines := runLines(t, replayPath, d)
				for _, c := range exp.Checks {
					checkLine(t, eng, lines, c)
				}
			}
		})
	}
}

func checkLine(t *testing.T, eng string, lines []map[string]json.RawMessage, c expectCheck) {
	t.Helper()
	if c.Epoch >= len(lines) {
		t.Fatalf("%s: check wants epoch line %d, replay printed %d", eng, c.Epoch, len(lines))
	}
	raw := lines[c.Epoch][c.Field]
	var got []any
	if c.Field == "bonds" {
		var m [][]float64
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for k := range c.Values {
			switch {
			case c.Column != nil:
				got = append(got, m[c.UIDs[k]][*c.Column])
			case c.Row != nil:
				got = append(got, m[*c.Row][c.UIDs[k]])
			}
		}
	} else {
		var all []any
		if err := json.Unmarshal(raw, &all); err != nil {
			t.Fatalf("%s: field %s: %v", eng, c.Field, err)
		}
		if c.UIDs == nil {
			if len(all) != len(c.Values) {
				t.Fatalf("%s: line %d %s has %d values, want %d", eng, c.Epoch, c.Field, len(all), len(c.Values))
			}
			got = all
		} else {
			for _, u := range c.UIDs {
				got = append(got, all[u])
			}
		}
	}
	for k, wr := range c.Values {
		var want any
		if err := json.Unmarshal(wr, &want); err != nil {
			t.Fatal(err)
		}
		switch w := want.(type) {
		case bool:
			if got[k] != w {
				t.Errorf("%s: line %d %s[%d] = %v, want %v", eng, c.Epoch, c.Field, k, got[k], w)
			}
		case float64:
			g, ok := got[k].(float64)
			if !ok {
				t.Fatalf("%s: line %d %s[%d] = %v is not a number", eng, c.Epoch, c.Field, k, got[k])
			}
			if c.Scale != 0 {
				g /= c.Scale
			}
			if math.Abs(g-w) > c.Tol {
				t.Errorf("%s: line %d %s[%d] = %v, want %v (tol %g)", eng, c.Epoch, c.Field, k, g, w, c.Tol)
			}
		}
	}
}
