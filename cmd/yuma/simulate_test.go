package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSimulateList(t *testing.T) {
	code, out, stderr := runCLI(t, "simulate", "--list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"case01", "kappa-moves-first", "case24", "paper"} {
		if !strings.Contains(out, want) {
			t.Errorf("--list lacks %q", want)
		}
	}
}

func TestSimulateBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nepochs: 3\nminers: [{name: m, signal: {type: constant, value: .nan}}]\nvalidators: [{name: v, stake: 1, strategy: {type: honest}}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"simulate"}, "at least one scenario"},
		{[]string{"simulate", "no-such-case"}, "neither a scenario file nor a built-in case"},
		{[]string{"simulate", bad}, "bad.yaml: miners[0].signal.value: must be a finite"},
		{[]string{"simulate", filepath.Join(dir, "missing.json")}, "cannot read scenario"},
		{[]string{"simulate", "case01", "--yuma", "yuma9"}, "--yuma: unknown Yuma version"},
		{[]string{"simulate", "case01", "--liquid-alpha", "v9"}, "--liquid-alpha"},
		{[]string{"simulate", "case01", "--param", "kappa=2"}, "params.kappa: must be a number in [0, 1]"},
		{[]string{"simulate", "case01", "--param", "nonsense"}, "--param"},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(t, append(tc.args, "--out", dir)...)
		if code != 2 || !strings.Contains(stderr, tc.msg) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("yuma %v: exit %d, stderr %q; want 2 and one line with %q", tc.args, code, stderr, tc.msg)
		}
	}
}

func TestSimulateWritesOutputs(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "simulate", "case01", "kappa-moves-second", "--yuma", "yuma2,yuma3", "--liquid-alpha", "off,v2", "--no-charts", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "case01: 4 variants") {
		t.Fatalf("stdout %q", stdout)
	}
	// Charts for one case and variant (rendering is the slow part under -race).
	if code, _, stderr := runCLI(t, "simulate", "3", "--liquid-alpha", "v2", "--out", out); code != 0 {
		t.Fatalf("case 3 with charts: exit %d: %s", code, stderr)
	}
	for _, p := range []string{"case01/summary.json", "case01/yuma3-la-v2/series.csv", "case02/yuma2/series.csv",
		"case03/yuma3-la-v2/dividends.png", "case03/yuma3-la-v2/bonds.svg", "case03/yuma3-la-v2/incentives.png", "case03/yuma3-la-v2/weights.svg"} {
		if st, err := os.Stat(filepath.Join(out, p)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing: %v", p, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "case01", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Variants []struct {
			Name    string
			Summary struct {
				TotalDividends []float64 `json:"total_dividends"`
			}
		}
	}
	if err := json.Unmarshal(data, &s); err != nil || len(s.Variants) != 4 {
		t.Fatalf("summary: %v %s", err, data)
	}
	for _, v := range s.Variants {
		sum := 0.0
		for _, d := range v.Summary.TotalDividends {
			sum += d
		}
		if sum < 39 || sum > 40.001 {
			t.Errorf("%s: dividends over 40 epochs sum to %v", v.Name, sum)
		}
	}
}

func TestSimulateWarnsAboutDegenerateEpochs(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "split.yaml")
	src := `name: split
epochs: 5
runs: [{yuma: yuma3, compat: yuma-simulation}]
miners: [{name: a, signal: {type: constant, value: 1}}, {name: b, signal: {type: constant, value: 1}}]
validators:
  - {name: x, stake: 0.5, strategy: {type: fixed, schedule: [{from: 0, weights: [1, 0]}]}}
  - {name: y, stake: 0.5, strategy: {type: fixed, schedule: [{from: 0, weights: [0, 1]}]}}
`
	if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "simulate", f, "--no-charts", "--out", dir, "--param", "kappa=0.6")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "no miner reached consensus in 5 epoch(s)") || !strings.Contains(stderr, "2 more engine warnings") {
		t.Fatalf("stderr %q", stderr)
	}
}
