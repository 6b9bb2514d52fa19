package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHparamsCLI(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string // substring of stdout (exit 0) or stderr (exit 2)
	}{
		{[]string{"hparams", "encode", "alpha_low", "0.1"}, 0, "6554\n"},
		{[]string{"hparams", "encode", "alpha_high", "0.8"}, 0, "52428\n"},
		{[]string{"hparams", "encode", "bonds_moving_average", "0.975"}, 0, "975000\n"},
		{[]string{"hparams", "encode", "alpha_sigmoid_steepness", "10"}, 0, "1000\n"},
		{[]string{"hparams", "decode", "alpha_high", "52428"}, 0, "0.8\n"},
		{[]string{"hparams", "decode", "kappa", "32767"}, 0, "0.4999923705\n"},
		{[]string{"hparams", "decode", "liquid_alpha_enabled", "1"}, 0, "true\n"},
		{[]string{"hparams", "encode", "alpha_low", "1.5"}, 2, "alpha_low: alpha_low must be a proportion in [0, 1]"},
		{[]string{"hparams", "encode", "alpha_low", "NaN"}, 2, "not a decimal"},
		{[]string{"hparams", "encode", "nope", "1"}, 2, "nope: unknown hyperparameter"},
		{[]string{"hparams", "decode", "alpha_low", "70000"}, 2, "outside the u16 range"},
		{[]string{"hparams", "decode", "alpha_low"}, 2, "accepts 2 arg"},
		{[]string{"hparams", "check", "liquid_alpha_enabled=1", "alpha_low=3277", "alpha_high=26214"}, 0, "accepted (runtime current, origin owner)"},
		{[]string{"hparams", "check", "--runtime", "v1", "liquid_alpha_enabled=1", "alpha_low=3277", "alpha_high=26214"}, 2, "alpha_high: alpha_high must be at least 52428"},
		{[]string{"hparams", "check", "bonds_moving_average=990000"}, 2, "BondsMovingAverageMaxReached"},
		{[]string{"hparams", "check", "--origin", "root", "bonds_moving_average=990000"}, 0, "accepted"},
		{[]string{"hparams", "check", "commit_reveal_period=0"}, 2, "commit_reveal_period"},
		{[]string{"hparams", "check", "--runtime", "v7", "kappa=1"}, 2, "--runtime: unknown runtime"},
		{[]string{"hparams", "check", "kappa"}, 2, "expected NAME=VALUE"},
		{[]string{"hparams", "check", "alpha_low=0.1"}, 2, "not an integer raw value"},
		{[]string{"hparams", "plan", "--netuid", "3", "alpha_low=0.05", "alpha_high=0.4"}, 0, "--param alpha_values --value 0.050004,0.400000"},
		{[]string{"hparams", "plan", "bonds_moving_average=0.99"}, 2, "BondsMovingAverageMaxReached"},
		{[]string{"hparams", "plan", "alpha_low=0.1", "alpha_low=0.2"}, 2, "given twice"},
		{[]string{"hparams", "list"}, 0, "alpha_sigmoid_steepness"},
		{[]string{"hparams", "from-btcli", "bonds_moving_avg", "4.878909776e-14"}, 0, "raw 900000 = 0.9\n"},
		{[]string{"hparams", "from-btcli", "alpha_sigmoid_steepness", "0.0152590219"}, 0, "raw 1000 = 10\n"},
		{[]string{"hparams", "from-btcli", "alpha_low", "abc"}, 2, "not a number"},
	}
	for _, tc := range tests {
		code, stdout, stderr := runCLI(t, tc.args...)
		if code != tc.code {
			t.Errorf("yuma %v: exit %d, want %d (stderr %q)", tc.args, code, tc.code, stderr)
			continue
		}
		where := stdout
		if tc.code != 0 {
			where = stderr
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("yuma %v: want one error line, got %q", tc.args, stderr)
			}
		}
		if !strings.Contains(where, tc.out) {
			t.Errorf("yuma %v: output %q does not contain %q", tc.args, where, tc.out)
		}
	}
}

func TestHparamsJSON(t *testing.T) {
	code, out, _ := runCLI(t, "hparams", "encode", "--json", "alpha_low", "0.1")
	var r struct {
		Name  string  `json:"name"`
		Raw   int64   `json:"raw"`
		Value float64 `json:"value"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Raw != 6554 || r.Name != "alpha_low" {
		t.Fatalf("encode --json: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "hparams", "check", "--json", "--runtime", "v1", "liquid_alpha_enabled=1", "alpha_low=0", "alpha_high=58982")
	var c struct {
		Accepted   bool `json:"accepted"`
		Violations []struct {
			Rule string `json:"rule"`
		} `json:"violations"`
	}
	if code != 2 || json.Unmarshal([]byte(out), &c) != nil || c.Accepted || c.Violations[0].Rule != "AlphaLowOutOfRange" {
		t.Fatalf("check --json: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "hparams", "plan", "--json", "alpha_low=0.1", "alpha_high=0.8")
	var p struct {
		Steps []struct {
			Extrinsic string           `json:"extrinsic"`
			Args      map[string]int64 `json:"args"`
		} `json:"steps"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &p) != nil || len(p.Steps) != 2 || p.Steps[1].Args["alpha_low"] != 6554 || p.Steps[1].Args["alpha_high"] != 52428 {
		t.Fatalf("plan --json: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "hparams", "list", "--json")
	var l []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &l) != nil || len(l) < 20 {
		t.Fatalf("list --json: %d", code)
	}
}

func TestHparamsPlanFromRecommendation(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "recommendation.json")
	doc := `{"complete":true,"recommendations":{"sn31":{"best":{"found":true,"reveal_period":2,"alpha_low":0.05,"alpha_high":0.4}}}}`
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "hparams", "plan", "--netuid", "31", "--recommendation", file, "commit_reveal_period=4")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, frag := range []string{"sudo_set_liquid_alpha_enabled", `"alpha_low": 3277, "alpha_high": 26214`, `"interval": 4`, "--param commit_reveal_weights_enabled --value True"} {
		if !strings.Contains(out, frag) {
			t.Errorf("plan output misses %q:\n%s", frag, out)
		}
	}
	if code, _, _ := runCLI(t, "hparams", "plan"); code != 2 {
		t.Errorf("plan without arguments: exit %d", code)
	}
	if code, _, stderr := runCLI(t, "hparams", "plan", "--recommendation", filepath.Join(dir, "missing.json")); code != 2 || !strings.Contains(stderr, "missing.json") {
		t.Errorf("missing file: exit %d %q", code, stderr)
	}
}
