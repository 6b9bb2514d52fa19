package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPaperCommandWritesOutputs(t *testing.T) {
	if paperRaceEnabled {
		t.Skip("rasterising the PNG charts takes ~15 s under the race detector; package paper covers the outputs")
	}
	dir := filepath.Join(t.TempDir(), "paper")
	// A coarse grid keeps the test fast; Figs. 2-3 and the headlines do not depend on it.
	code, stdout, stderr := runCLI(t, "paper", "--out", dir, "--step", "0.1", "--max-lag", "6", "--copier-stakes", "0.01,0.2")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"0.00712", "0.00532", "Does each claim of the paper still hold?", "**holds**"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for _, name := range []string{"fig1.csv", "fig2.csv", "fig3.csv", "fig4.csv", "fig5.csv", "lag_sweep.csv",
		"fig1.svg", "fig3.png", "summary.json", "claims.md"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	var sum struct {
		Headlines []struct {
			ID         string  `json:"id"`
			Reproduced float64 `json:"reproduced"`
		} `json:"headlines"`
	}
	js, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &sum); err != nil || len(sum.Headlines) == 0 || sum.Headlines[0].ID != "fig3_copier_dividend_t5_fixed" {
		t.Errorf("summary.json: %v %+v", err, sum)
	}
}

func TestPaperCommandBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--variant", "yuma9"}, "--variant"},
		{[]string{"--step", "0"}, "--step"},
		{[]string{"--step", "NaN"}, "--step"},
		{[]string{"--alpha-low", "0.95"}, "--alpha-low"},
		{[]string{"--rounds", "-3"}, "--rounds"},
		{[]string{"--lag", "0"}, "--lag"},
		{[]string{"--alpha-lows", "0.1,x"}, "--alpha-lows"},
		{[]string{"--copier-stakes", "2"}, "--copier-stakes"},
		{[]string{"extra-arg"}, "unknown command"},
	} {
		args := append([]string{"paper", "--out", t.TempDir()}, tc.args...)
		code, _, stderr := runCLI(t, args...)
		if code != 2 || !strings.Contains(stderr, tc.msg) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("yuma %v: exit %d, stderr %q (want 2 and one line naming %s)", args, code, stderr, tc.msg)
		}
	}
}
