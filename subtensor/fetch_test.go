package subtensor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/subtensor/subtensortest"
)

// addEmptyWeightScans answers the Weights and Bonds key scans of netuid 1 at
// the metagraph seed's block with "no keys". The recording has no spec-343
// Weights/Bonds reads, so this part of the answer is synthetic; the scan
// itself is tested against recorded spec-208 data in TestRecordedLegacySpec208.
func addEmptyWeightScans(add func(string, []any, any), pageSize int) {
	for _, item := range []string{ItemWeights, ItemBonds} {
		prefix := Hex(StorageKey(Pallet, item, U16LE(1)))
		add("state_getKeysPaged", []any{prefix, pageSize, prefix, mgHash}, []string{})
	}
}

func TestSnapshotAndFetchFromRecording(t *testing.T) {
	c, rp, srv := replay(t, Options{}, "metagraph")
	addEmptyWeightScans(rp.Add, 1000)
	ctx := ctxT(t)

	store, err := metagraph.OpenStore(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var calls []int
	opt := FetchOptions{Netuid: 1, From: 6852690, Tempos: 1, Tempo: 99, Concurrency: 2,
		Progress: func(done, total int) { calls = append(calls, done*100+total) }}
	res, err := Fetch(ctx, c, store, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Fetched) != 1 || res.Fetched[0] != 6852690 || len(res.Skipped) != 0 {
		t.Fatalf("result %+v", res)
	}
	if len(calls) != 2 || calls[1] != 101 {
		t.Errorf("progress calls %v", calls)
	}
	s, err := store.Get(ctx, 1, 6852690)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 1024 || s.Netuid != 1 || s.RuntimeSpec != 343 || s.Hotkeys[0] != "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ" {
		t.Fatalf("snapshot n=%d netuid=%d spec=%d hk0=%s", s.N, s.Netuid, s.RuntimeSpec, s.Hotkeys[0])
	}
	st, _, err := c.SubnetState(ctx, 1, mgHash)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < s.N; i++ {
		if s.Stake[i] != float64(st.TotalStake[i])/1e9 || s.BlockAtRegistration[i] != st.BlockAtRegistration[i] {
			t.Fatalf("uid %d stake %v vs total_stake %d", i, s.Stake[i], st.TotalStake[i])
		}
	}
	if len(s.Weights) != 0 || len(s.Bonds) != 0 || s.LastUpdate[0] == 0 {
		t.Errorf("weights %d bonds %d last_update[0] %d", len(s.Weights), len(s.Bonds), s.LastUpdate[0])
	}
	hp := s.Hyperparameters
	want := map[string]any{"tempo": 99.0, "kappa": 32767.0, "alpha_low": 45875.0, "alpha_high": 58982.0,
		"bonds_moving_average": 900000.0, "max_allowed_validators": 128.0, "activity_cutoff": 5000.0,
		"commit_reveal": true, "commit_reveal_period": 1.0, "liquid_alpha_enabled": false}
	for k, v := range want {
		if hp[k] != v {
			t.Errorf("hyperparameter %s = %v (%T), want %v", k, hp[k], hp[k], v)
		}
	}
	if ou, ok := hp["owner_uid"].(float64); ok && s.Hotkeys[int(ou)] != "5HCFWvRqzSHWRPecN7q8J6c7aKQnrCZTMHstPv39xL1wgDHh" {
		t.Errorf("owner_uid %v points at %s", ou, s.Hotkeys[int(ou)])
	}

	// Second run: everything is in the store, nothing is asked of the node.
	before := srv.Requests.Load()
	res, err = Fetch(ctx, c, store, opt)
	if err != nil || len(res.Skipped) != 1 || len(res.Fetched) != 0 {
		t.Fatalf("rerun %+v %v", res, err)
	}
	if srv.Requests.Load() != before {
		t.Errorf("rerun sent %d requests", srv.Requests.Load()-before)
	}

	// Two tempos: the first block is skipped, the second is not in the recording.
	opt.Tempos = 2
	res, err = Fetch(ctx, c, store, opt)
	if err == nil || !strings.Contains(err.Error(), "block 6852789") {
		t.Fatalf("want an error for the unrecorded block, got %v", err)
	}
	var re *RPCError
	if !errors.As(err, &re) || len(res.Skipped) != 1 {
		t.Errorf("err %T %+v", err, res)
	}
}

func TestFetchOptions(t *testing.T) {
	if got := (FetchOptions{From: 10, Tempos: 3, Tempo: 360}).Blocks(); len(got) != 3 || got[2] != 730 {
		t.Errorf("blocks %v", got)
	}
	if _, err := Fetch(context.Background(), nil, nil, FetchOptions{}); err == nil {
		t.Error("empty options accepted")
	}
}

func TestRecordedTempo(t *testing.T) {
	c, _, _ := replay(t, Options{}, "tempo")
	v, ok, err := c.Tempo(ctxT(t), 23, "0x03a008636efbe7706f79f2c7d7d4e85ff26a3e67922e5fefab71e7f6d9dab43d")
	if err != nil || !ok || v != 1000 {
		t.Fatalf("Tempo[23] = %d ok=%v err=%v", v, ok, err)
	}
}

// With Tempo 0 the fetcher reads Tempo[netuid] at From. The metagraph seed
// did not record that read; the answer given here (99) is the tempo field of
// the recorded SelectiveMetagraph at the same block.
func TestFetchAutoTempo(t *testing.T) {
	c, rp, _ := replay(t, Options{}, "metagraph")
	addEmptyWeightScans(rp.Add, 1000)
	rp.Add("state_getStorage", []any{Hex(StorageKey(Pallet, ItemTempo, U16LE(1))), mgHash}, "0x6300")
	store, err := metagraph.OpenStore(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	res, err := Fetch(ctxT(t), c, store, FetchOptions{Netuid: 1, From: 6852690, Tempos: 1})
	if err != nil || res.Tempo != 99 || len(res.Fetched) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	// Netuid 2's tempo is not in the recording: a node error, reported.
	if _, err := Fetch(ctxT(t), c, store, FetchOptions{Netuid: 2, From: 6852690, Tempos: 1}); err == nil || !strings.Contains(err.Error(), "subnet tempo") {
		t.Fatalf("err %v", err)
	}
}

func TestCleanRows(t *testing.T) {
	rows := []metagraph.Row{
		{UID: 3, Entries: []metagraph.Entry{{1, 5}, {9, 7}, {1, 6}, {0, 0}}},
		{UID: 9, Entries: []metagraph.Entry{{1, 1}}},
		{UID: 0, Entries: nil},
	}
	got := cleanRows(rows, 4)
	if len(got) != 2 || got[0].UID != 0 || got[1].UID != 3 || len(got[1].Entries) != 2 ||
		got[1].Entries[0] != (metagraph.Entry{1, 5}) || got[1].Entries[1] != (metagraph.Entry{0, 0}) {
		t.Fatalf("cleanRows %+v", got)
	}
}

// TestSnapshotLegacyRuntime builds a snapshot through the old-runtime paths
// (spec 208: Vec<u8>-wrapped answers, no get_subnet_state, no metagraph API,
// hyperparameters v1 only) from the recorded testnet seeds of netuid 23. The
// seeds were recorded at neighbouring blocks 3,264,154..3,264,158, so the fake
// block hash H below stands for all of them: neurons and hyperparameters at
// the best block, Weights at 3,264,158, Bonds at 3,264,154. The composite is
// only used to exercise the decoding and fallback paths.
func TestSnapshotLegacyRuntime(t *testing.T) {
	rp := subtensortest.NewReplayer(recording(t), "neurons_lite", "get_subnet_hyperparameters", "weights", "bonds")
	const H = "0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	const parent = "0x747c46b08af3b7bbfb04647b4befdf7be9c58946e1a01b171af76bdc5d37cce6"
	weightsAt := "0x1b3f85dc8c83cada6d1782c955973a509a37c62af3d6ba29f5fd816aee37eb3b"
	bondsAt := "0xba206b08f55118c21e6e243702052edcecd48e89d951fa05213adde358473da0"
	weightsPrefix := Hex(StorageKey(Pallet, ItemWeights))
	handler := func(method string, params json.RawMessage) subtensortest.Reply {
		var p []any
		_ = json.Unmarshal(params, &p)
		reply := func(v any) subtensortest.Reply {
			b, _ := json.Marshal(v)
			return subtensortest.Reply{Result: b}
		}
		switch method {
		case "chain_getBlockHash":
			return reply(H)
		case "chain_getHeader":
			return reply(map[string]string{"parentHash": parent, "number": "0x31ce9d"})
		case "state_call":
			p = p[:2] // recorded without a block hash (best block)
		case "state_getStorage":
			// Not recorded: hand-built values to test the two extra reads.
			switch p[0] {
			case Hex(StorageKey(Pallet, ItemBondsPenalty, U16LE(23))):
				return reply("0xff7f")
			case Hex(StorageKey(Pallet, ItemYuma3On, Blake2_128Concat(U16LE(23)))):
				return reply("0x01")
			}
		case "state_getKeysPaged", "state_queryStorageAt":
			key := fmt.Sprint(p[0])
			if method == "state_queryStorageAt" {
				key = fmt.Sprint(p[0].([]any)[0])
			}
			if strings.HasPrefix(key, weightsPrefix) {
				p[len(p)-1] = weightsAt
			} else {
				p[len(p)-1] = bondsAt
			}
		}
		b, _ := json.Marshal(p)
		return rp.Handle(method, b)
	}
	c, _ := fakeNode(t, handler, Options{PageSize: 100})
	s, err := c.Snapshot(ctxT(t), 23, 3264157)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 19 || s.RuntimeSpec != 208 || s.Hotkeys[5] != "5DkzsviNQr4ZePXMmEfNPDcE7cQ9cVyepmQbgUw6YT3odcwh" {
		t.Fatalf("n %d spec %d", s.N, s.RuntimeSpec)
	}
	if s.Stake[5] != 3.009998 || s.BlockAtRegistration != nil || !s.ValidatorPermit[5] || s.LastUpdate[5] != 1970459 {
		t.Errorf("stake %v bar %v", s.Stake[5], s.BlockAtRegistration)
	}
	if len(s.Weights) != 1 || s.Weights[0].UID != 10 || s.Weights[0].Entries[0] != (metagraph.Entry{10, 65535}) || len(s.Bonds) != 19 {
		t.Errorf("weights %+v bonds %d", s.Weights, len(s.Bonds))
	}
	hp := s.Hyperparameters
	if hp["tempo"] != uint64(1000) || hp["max_allowed_validators"] != uint64(64) || hp["commit_reveal"] != false || hp["alpha_low"] != uint64(45875) {
		t.Errorf("hyperparameters %v", hp)
	}
	if _, has := hp["alpha_sigmoid_steepness"]; has {
		t.Error("v2-only field invented for a v1 runtime")
	}
	if hp["bonds_penalty"] != uint64(32767) || s.YumaVersion != "yuma3" || hp["yuma3_enabled"] != true {
		t.Errorf("storage reads: bonds_penalty %v yuma %q", hp["bonds_penalty"], s.YumaVersion)
	}
	if err := s.Validate(""); err != nil {
		t.Error(err)
	}
}
