package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func TestDiagnoseBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"netuid":1,"block":5,"n":2,"weights":[[0,[[7,1]]]]}`), 0o644)
	cases := []struct {
		args []string
		msg  string
	}{
		{[]string{"diagnose"}, "give exactly one input"},
		{[]string{"diagnose", "--dataset", "sn99"}, "unknown dataset"},
		{[]string{"diagnose", "--dataset", "sn31", "--alpha-low", "x"}, "--alpha-low"},
		{[]string{"diagnose", "--dataset", "sn31", "--alpha-low", "1.5"}, "outside (0, 1)"},
		{[]string{"diagnose", "--dataset", "sn31", "--reveal-periods", "5:1:1"}, "--reveal-periods"},
		{[]string{"diagnose", "--dataset", "sn31", "--copier-stake", "share:2"}, "--copier-stake"},
		{[]string{"diagnose", "--dataset", "sn31", "--shard", "4/4"}, "--shard"},
		{[]string{"diagnose", "--dataset", "sn31", "--shard", "auto"}, "JOB_COMPLETION_INDEX"},
		{[]string{"diagnose", "--dataset", "sn31", "--yuma", "yuma9"}, "--yuma"},
		{[]string{"diagnose", "--dataset", "sn31", "--reveal-periods", "95", "--tempos", "10"}, "history has 100 snapshots"},
		{[]string{"diagnose", "--snapshots", bad}, "destination uid 7 is not registered"},
		{[]string{"diagnose", "--snapshots", filepath.Join(dir, "missing")}, "missing"},
		{[]string{"diagnose", "--store", filepath.Join(dir, "s.db")}, "--netuid"},
		{[]string{"diagnose", "--store", filepath.Join(dir, "none.db"), "--netuid", "31"}, "cannot read the store"},
		{[]string{"diagnose", "merge", "--out", dir, filepath.Join(dir, "nothing")}, "no diagnostic result"},
		{[]string{"diagnose", "import", "--store", filepath.Join(dir, "s.db"), bad}, "bad.json"},
	}
	for _, tc := range cases {
		code, _, stderr := runCLI(t, tc.args...)
		if code != 2 || !strings.Contains(stderr, tc.msg) {
			t.Errorf("yuma %v: exit %d, stderr %q (want 2 and %q)", tc.args, code, stderr, tc.msg)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("yuma %v: want one error line, got %q", tc.args, stderr)
		}
	}
}

func TestDiagnoseImport(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "s.db")
	pt := filepath.Join("..", "..", "metagraph", "testdata", "netuid15_block4769998_4769998.pt")
	code, out, stderr := runCLI(t, "diagnose", "import", "--store", store, "--dataset", "sn15")
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"dataset sn15: 1 snapshots", "netuid 15: 1 snapshots, blocks 4769998-4769998"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
	// Importing again is idempotent.
	// Importing again (the same block from the original .pt) is idempotent.
	if code, out, _ := runCLI(t, "diagnose", "import", "--store", store, pt); code != 0 || !strings.Contains(out, "netuid 15: 1 snapshots") {
		t.Fatalf("re-import: %d %q", code, out)
	}
	// Export to snapshot files and diagnose from them.
	snaps := filepath.Join(dir, "snaps")
	if code, out, stderr := runCLI(t, "diagnose", "export", "--store", store, "--netuid", "15", "--out", snaps); code != 0 || !strings.Contains(out, "sn15: 1 snapshots") {
		t.Fatalf("export: %d %q %q", code, out, stderr)
	}
	if _, err := os.Stat(filepath.Join(snaps, "netuid15_block4769998.json.gz")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "diagnose", "--snapshots", snaps, "--no-png", "--tempos", "2", "--reveal-periods", "0", "--alpha-low", "0.5", "--alpha-high", "0.5", "--out", filepath.Join(dir, "d")); code != 0 {
		t.Fatalf("diagnose from exported files: %s", stderr)
	}
	// A store from a newer schema is refused with exit 2.
	db, err := sql.Open("sqlite", store)
	if err != nil {
		t.Fatal(err)
	}
	db.Exec("PRAGMA user_version = 42")
	db.Close()
	code, _, stderr = runCLI(t, "diagnose", "--store", store, "--netuid", "15")
	if code != 2 || !strings.Contains(stderr, "newer yuma") {
		t.Fatalf("newer store: exit %d, %q", code, stderr)
	}
}

func TestDiagnoseShardsMergeCLI(t *testing.T) {
	dir := t.TempDir()
	grid := []string{"--dataset", "sn31", "--alpha-low", "0.3,0.9", "--alpha-high", "0.9", "--reveal-periods", "0,2", "--tempos", "4", "--no-png"}
	whole := filepath.Join(dir, "whole")
	code, out, stderr := runCLI(t, append([]string{"diagnose", "--out", whole}, grid...)...)
	if code != 0 || !strings.Contains(out, "reveal period") || !strings.Contains(out, "G < 1 without liquid alpha") {
		t.Fatalf("diagnose: exit %d, %q, %q", code, out, stderr)
	}
	var shards []string
	for i := 0; i < 2; i++ {
		sd := filepath.Join(dir, "part"+string(rune('0'+i)))
		t.Setenv("JOB_COMPLETION_INDEX", string(rune('0'+i)))
		code, out, stderr := runCLI(t, append([]string{"diagnose", "--out", sd, "--shard", "auto", "--shard-count", "2"}, grid...)...)
		if code != 0 || !strings.Contains(out, "merge all shards") {
			t.Fatalf("shard %d: exit %d, %q, %q", i, code, out, stderr)
		}
		shards = append(shards, sd)
	}
	merged := filepath.Join(dir, "merged")
	if code, _, stderr := runCLI(t, append([]string{"diagnose", "merge", "--no-png", "--out", merged}, shards...)...); code != 0 {
		t.Fatalf("merge: %s", stderr)
	}
	files, _ := os.ReadDir(whole)
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(whole, f.Name()))
		b, _ := os.ReadFile(filepath.Join(merged, f.Name()))
		if string(a) != string(b) {
			t.Errorf("%s differs after merge", f.Name())
		}
	}
	if code, _, stderr := runCLI(t, "diagnose", "merge", "--out", merged, shards[0]); code != 2 || !strings.Contains(stderr, "shard is missing") {
		t.Errorf("merge of 1 of 2 shards: exit %d, %q", code, stderr)
	}
}

func TestDemoDiagnosticOnly(t *testing.T) {
	out := filepath.Join(t.TempDir(), "demo")
	code, stdout, stderr := runCLI(t, "demo", "--no-paper", "--no-png", "--out", out, "--tempos", "5", "--reveal-periods", "0,3", "--alpha-low", "0.5,0.9", "--alpha-high", "0.9")
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil || !strings.Contains(string(page), "<svg") || !strings.Contains(stdout, "report: ") {
		t.Fatalf("demo report missing: %v, %q", err, stdout)
	}
}
