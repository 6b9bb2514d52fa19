package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/subtensor"
	"github.com/yuma-go/yuma/subtensor/subtensortest"
)

// TestFetchEndToEnd runs `yuma fetch` against a loopback node that replays
// the recorded finney metagraph seed (block 6852690, netuid 1). The recording
// has no spec-343 Weights/Bonds scans, so the node answers those with "no
// keys" (synthetic, see docs/fetch.md).
func TestFetchEndToEnd(t *testing.T) {
	rec, err := subtensortest.Load(filepath.Join("..", "..", "testdata", "rpc", "finney-recorded.json"))
	if err != nil {
		t.Fatal(err)
	}
	rp := subtensortest.NewReplayer(rec, "metagraph")
	const hash = "0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0"
	for _, item := range []string{subtensor.ItemWeights, subtensor.ItemBonds} {
		prefix := subtensor.Hex(subtensor.StorageKey(subtensor.Pallet, item, subtensor.U16LE(1)))
		rp.Add("state_getKeysPaged", []any{prefix, 1000, prefix, hash}, []string{})
	}
	srv := subtensortest.NewServer(rp.Handle)
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "store.db")
	args := []string{"fetch", "--url", srv.URL(), "--netuid", "1", "--from", "6852690", "--tempos", "1", "--tempo", "99", "--store", db}

	code, out, stderr := runCLI(t, args...)
	if code != 0 || !strings.Contains(out, "fetched 1, skipped 0") {
		t.Fatalf("exit %d out %q err %q", code, out, stderr)
	}
	code, out, _ = runCLI(t, append(args, "--json")...)
	var r struct{ Fetched, Skipped []uint64 }
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || len(r.Fetched) != 0 || len(r.Skipped) != 1 {
		t.Fatalf("rerun: exit %d out %q", code, out)
	}
	st, err := metagraph.OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Get(context.Background(), 1, 6852690)
	if err != nil || s.N != 1024 || s.Hyperparameters["tempo"] != 99.0 {
		t.Fatalf("stored snapshot: %v", err)
	}

	// A block beyond the recording fails with exit 1 and says how to resume.
	code, _, stderr = runCLI(t, "fetch", "--url", srv.URL(), "--netuid", "1", "--from", "6852690", "--tempos", "2", "--tempo", "99", "--store", db)
	if code != 1 || !strings.Contains(stderr, "rerun to resume") {
		t.Errorf("exit %d stderr %q", code, stderr)
	}
}

func TestFetchFlags(t *testing.T) {
	for _, args := range [][]string{
		{"fetch"},
		{"fetch", "--url", "http://x", "--netuid", "1", "--tempos", "1", "--store", "s"},
		{"fetch", "--url", "ws://x", "--tempos", "1", "--store", "s"},
		{"fetch", "--url", "ws://x", "--netuid", "70000", "--tempos", "1", "--store", "s"},
		{"fetch", "--url", "ws://x", "--netuid", "1", "--store", "s"},
		{"fetch", "--url", "ws://x", "--netuid", "1", "--tempos", "1"},
		{"fetch", "--url", "ws://x", "--netuid", "1", "--from", "5", "--tempos", "1", "--store", "s", "--concurrency", "0"},
		{"fetch", "--url", "ws://x", "--netuid", "1", "--from", "5", "--tempos", "1", "--store", "s", "--tempo", "-1"},
		{"fetch", "--url", "ws://x", "--netuid", "1", "--from", "5", "--tempos", "1", "--store", "s", "--rate", "NaN"},
		{"fetch", "--url", "ws://x", "--netuid", "1", "--tempos", "1", "--store", "s"}, // no --from
	} {
		code, _, stderr := runCLI(t, args...)
		if code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("yuma %v: exit %d stderr %q", args, code, stderr)
		}
	}
}
