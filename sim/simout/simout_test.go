package simout

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/sim"
)

// stub is a tiny deterministic engine: consensus = incentive = 1/m, dividends
// = stake except validator 0 gets nothing, validator trust 0.5, bonds = epoch.
type stub struct {
	v, m, t int
}

func (s *stub) Step(in epoch.Input) (epoch.Result, error) {
	r := epoch.Result{
		Consensus: make([]float64, s.m), Incentive: make([]float64, s.m),
		Dividends: make([]float64, s.v), ValidatorTrust: make([]float64, s.v), Bonds: make([]float64, s.v*s.m),
	}
	for j := range r.Consensus {
		r.Consensus[j], r.Incentive[j] = 1/float64(s.m), 1/float64(s.m)
	}
	for i := 1; i < s.v; i++ {
		r.Dividends[i] = in.Stake[i]
	}
	for i := range r.ValidatorTrust {
		r.ValidatorTrust[i] = 0.5
	}
	for k := range r.Bonds {
		r.Bonds[k] = float64(s.t)
	}
	s.t++
	return r, nil
}

const scenario = `
name: out
epochs: 4
runs: [{yuma: yuma2}, {yuma: yuma3, liquid_alpha: v2}]
miners:
  - {name: "m,0", signal: {type: constant, value: 1}}
  - {name: m1, signal: {type: constant, value: 3}}
validators:
  - {name: a, stake: 0.5, strategy: {type: honest}}
  - {name: b, stake: 0.5, strategy: {type: fixed, schedule: [{from: 0, weights: [1, 0]}]},
     stake_changes: [{epoch: 2, stake: 0}]}
`

func run(t *testing.T) *sim.Result {
	t.Helper()
	sc, err := sim.ParseScenario("out.yaml", []byte(scenario))
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), sc, sim.Options{Engine: func(_ epoch.Config, v, m int) (epoch.Stepper, error) {
		return &stub{v: v, m: m}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestWriteCSVLongFormat(t *testing.T) {
	res := run(t)
	var buf bytes.Buffer
	if err := WriteCSV(&buf, res, &res.Variants[0]); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != CSVHeader {
		t.Fatalf("header %v", recs[0])
	}
	// Per epoch: 2 validators x (4 + 2 weights + 2 bonds) + 2 miners x 3.
	if got, want := len(recs)-1, 4*(2*8+2*3); got != want {
		t.Fatalf("%d rows, want %d", got, want)
	}
	find := func(ep, entity, metric string) string {
		for _, r := range recs[1:] {
			if r[0] == ep && r[1] == entity && r[3] == metric {
				return r[4]
			}
		}
		t.Fatalf("no row %s %s %s", ep, entity, metric)
		return ""
	}
	if v := find("0", "a", "weight:m1"); v != "0.75" {
		t.Fatalf("weight a->m1 = %s", v)
	}
	if v := find("3", "a", "bond:m,0"); v != "3" {
		t.Fatalf("bond = %s", v)
	}
	if v := find("2", "b", "dividend_per_stake"); v != "NaN" {
		t.Fatalf("dividend per zero stake = %s", v)
	}
	if v := find("1", "m,0", "signal"); v != "1" {
		t.Fatalf("signal = %s", v)
	}
	if v := find("2", "a", "stake"); v != "1" {
		t.Fatalf("stake = %s", v)
	}
	for _, r := range recs[1:] {
		if r[2] != "validator" && r[2] != "miner" {
			t.Fatalf("kind %q", r[2])
		}
		if _, err := strconv.ParseFloat(r[4], 64); err != nil {
			t.Fatalf("value %q: %v", r[4], err)
		}
	}
}

func TestWriteAll(t *testing.T) {
	res := run(t)
	// Chart rendering is slow under -race: draw one variant's charts only.
	res.Variants = res.Variants[1:]
	dir := filepath.Join(t.TempDir(), "out")
	written, err := WriteAll(context.Background(), dir, res, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// csv + 5 charts x 2 formats + summary.json + index.html.
	if len(written) != 11+2 {
		t.Fatalf("wrote %d files: %v", len(written), written)
	}
	for _, p := range written {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Fatalf("%s: %v", p, err)
		}
	}
	png, _ := os.ReadFile(filepath.Join(dir, "yuma3-la-v2", "bonds.png"))
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatal("bonds.png is not a PNG")
	}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "out" || len(s.Variants) != 1 || s.Variants[0].Config.LiquidAlpha != "v2" || len(s.Variants[0].Files) != 11 {
		t.Fatalf("summary %+v", s)
	}
	// a gets nothing, b gets its stake in epochs 0-1 (0.5 each).
	if td := s.Variants[0].Summary.TotalDividends; td[0] != 0 || math.Abs(td[1]-1) > 1e-12 {
		t.Fatalf("total dividends %v", td)
	}
	if !strings.Contains(string(data), `"mean_dividend_per_stake": [`) {
		t.Fatalf("summary lacks dividend per stake: %s", data)
	}
	if got := s.Variants[0].Summary.FinalBonds[1][0]; got != 3 {
		t.Fatalf("final bonds %v", s.Variants[0].Summary.FinalBonds)
	}
	page, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h1>out</h1>", `src="yuma3-la-v2/bonds.svg"`, "<td>yuma3-la-v2</td>", "<th>a</th>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

func TestWriteAllNoCharts(t *testing.T) {
	res := run(t)
	written, err := WriteAll(context.Background(), t.TempDir(), res, WriteOptions{NoCharts: true})
	if err != nil || len(written) != 4 {
		t.Fatalf("wrote %v, %v", written, err)
	}
}

func TestChartsLimitSeries(t *testing.T) {
	res := run(t)
	charts := Charts(res, &res.Variants[0])
	if len(charts) != 5 || charts[0].Name != "weights" || len(charts[0].Chart.Series) != 4 {
		t.Fatalf("charts %+v", charts)
	}
	many := make([]float64, 30)
	series := charts[4].Chart.Series[:1]
	for k := range many {
		y := make([]float64, res.Epochs)
		for tt := range y {
			y[tt] = float64(k)
		}
		series = append(series, series[0])
		series[len(series)-1].Y = y
	}
	kept, note := topSeries(series)
	if len(kept) != MaxSeries || !strings.Contains(note, "of 31") || kept[len(kept)-1].Y[0] != 29 {
		t.Fatalf("kept %d, note %q", len(kept), note)
	}
}
