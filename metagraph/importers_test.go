package metagraph_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/metagraph/datasets"
)

func TestFloatRowToU16(t *testing.T) {
	got, err := metagraph.FloatRowToU16([]float64{0.5, 0, 0.25, 0.25})
	if err != nil {
		t.Fatal(err)
	}
	want := []metagraph.Entry{{0, 65535}, {2, 32768}, {3, 32768}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if e, _ := metagraph.FloatRowToU16([]float64{0, 0}); e != nil {
		t.Fatalf("zero row gave %v", e)
	}
	for _, bad := range [][]float64{{1, -1}, {1, nan()}, {inf(), 1}} {
		if _, err := metagraph.FloatRowToU16(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestSN31Dataset(t *testing.T) {
	snaps, err := datasets.Load("sn31")
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 100 {
		t.Fatalf("%d snapshots, want 100", len(snaps))
	}
	if snaps[0].Block != 3600000 || snaps[99].Block != 3635640 {
		t.Fatalf("blocks %d..%d", snaps[0].Block, snaps[99].Block)
	}
	union := map[int]bool{}
	rereg := 0
	total := 0.0
	for i, s := range snaps {
		if s.N != 256 || len(s.ValidatorPermit) != 256 || len(s.LastUpdate) != 256 || len(s.BlockAtRegistration) != 256 {
			t.Fatalf("snapshot %d incomplete", i)
		}
		permits := 0
		for _, p := range s.ValidatorPermit {
			if p {
				permits++
			}
		}
		if permits != 64 {
			t.Fatalf("snapshot %d: %d permits, want 64", i, permits)
		}
		for _, r := range s.Weights {
			union[r.UID] = true
			if len(r.Entries) != 256 {
				t.Fatalf("row %d has %d entries", r.UID, len(r.Entries))
			}
		}
		if i > 0 {
			for u := range s.BlockAtRegistration {
				if s.BlockAtRegistration[u] != snaps[i-1].BlockAtRegistration[u] {
					rereg++
				}
			}
		}
	}
	for _, v := range snaps[0].Stake {
		total += v
	}
	if len(union) != 29 {
		t.Fatalf("union of validator rows = %d uids, want 29", len(union))
	}
	if rereg != 13 {
		t.Fatalf("re-registrations = %d, want 13", rereg)
	}
	if total < 4.95e6 || total > 4.96e6 {
		t.Fatalf("total stake %.0f TAO, want about 4.955 M", total)
	}
	// The whole history goes into a store in one transaction and comes back equal.
	st, err := metagraph.OpenStore(filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.PutAll(ctx, snaps); err != nil {
		t.Fatal(err)
	}
	back, err := st.Range(ctx, 31, 3600000, 3635640)
	if err != nil || len(back) != 100 || !reflect.DeepEqual(back[57], snaps[57]) {
		t.Fatalf("store round trip: %d snapshots, %v", len(back), err)
	}
}

func TestSN15DatasetAndPickleAgree(t *testing.T) {
	snaps, err := datasets.Load("sn15")
	if err != nil {
		t.Fatal(err)
	}
	js := snaps[0]
	if js.Netuid != 15 || js.Block != 4769998 || js.N != 256 || len(js.Weights) != 20 || len(js.Hotkeys) != 256 {
		t.Fatalf("sn15: netuid %d block %d n %d rows %d", js.Netuid, js.Block, js.N, len(js.Weights))
	}
	pt, err := metagraph.ReadPT(filepath.Join("testdata", "netuid15_block4769998_4769998.pt"))
	if err != nil {
		t.Fatal(err)
	}
	if pt.Netuid != 15 || pt.Block != 4769998 || pt.N != 256 {
		t.Fatalf("pt: netuid %d block %d n %d", pt.Netuid, pt.Block, pt.N)
	}
	if !reflect.DeepEqual(pt.Hotkeys, js.Hotkeys) {
		t.Fatal("hotkeys differ between .pt and JSON")
	}
	for i := range pt.Stake {
		if float32(pt.Stake[i]) != float32(js.Stake[i]) {
			t.Fatalf("stake[%d]: pt %v json %v", i, pt.Stake[i], js.Stake[i])
		}
	}
	if len(pt.Weights) != len(js.Weights) {
		t.Fatalf("rows: pt %d json %d", len(pt.Weights), len(js.Weights))
	}
	for r := range pt.Weights {
		a, b := pt.Weights[r], js.Weights[r]
		if a.UID != b.UID || len(a.Entries) != len(b.Entries) {
			t.Fatalf("row %d differs", r)
		}
		for k := range a.Entries {
			if a.Entries[k][0] != b.Entries[k][0] || abs(a.Entries[k][1]-b.Entries[k][1]) > 1 {
				t.Fatalf("row %d entry %d: pt %v json %v", a.UID, k, a.Entries[k], b.Entries[k])
			}
		}
	}
}

func TestPickleCorrupt(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join("testdata", "netuid15_block4769998_4769998.pt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := map[string][]byte{
		"truncated zip":    orig[:len(orig)/2],
		"tiny zip":         orig[:10],
		"garbage":          []byte("not a pickle at all"),
		"empty":            {},
		"pickle of int":    {0x80, 2, 'K', 5, '.'},
		"truncated pickle": {0x80, 2, '}', 'q', 0, '(', 'X', 6, 0, 0, 0, 'n', 'e'},
	}
	// Flip bytes inside the pickled data member (stored uncompressed).
	flipped := append([]byte(nil), orig...)
	i := bytes.Index(flipped, []byte("netuid"))
	if i > 0 {
		for k := i; k < i+400 && k < len(flipped); k += 7 {
			flipped[k] ^= 0x5a
		}
		cases["flipped"] = flipped
	}
	for name, data := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".pt")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := metagraph.ReadPT(p)
		if !badinput.Is(err) {
			t.Errorf("%s: want *badinput.Error, got %v", name, err)
		}
	}
	if _, err := metagraph.ReadPT(filepath.Join(dir, "missing.pt")); !badinput.Is(err) {
		t.Errorf("missing: %v", err)
	}
}

func TestImportBadSN31(t *testing.T) {
	for name, in := range map[string]string{
		"schema":   `{"schema":"x","n":1,"stake_rao":[1],"epochs":[{"block":1}]}`,
		"ragged":   `{"schema":"real-sn31-v1","n":2,"stake_rao":[1,2],"epochs":[{"block":1,"weights_u16":[{"uid":0,"w":[1]}]}]}`,
		"stake":    `{"schema":"real-sn31-v1","n":2,"stake_rao":[1],"epochs":[{"block":1}]}`,
		"no epoch": `{"schema":"real-sn31-v1","n":1,"stake_rao":[1],"epochs":[]}`,
		"order":    `{"schema":"real-sn31-v1","n":1,"stake_rao":[1],"epochs":[{"block":5},{"block":5}]}`,
		"uid":      `{"schema":"real-sn31-v1","n":1,"stake_rao":[1],"epochs":[{"block":5,"weights_u16":[{"uid":3,"w":[1]}]}]}`,
		"trunc":    `{"schema":"real-sn31-v1","n":1,`,
	} {
		if _, err := metagraph.ImportSN31(strings.NewReader(in), "x.json"); !badinput.Is(err) {
			t.Errorf("%s: want bad input, got %v", name, err)
		}
	}
	if _, err := datasets.Load("sn99"); !badinput.Is(err) {
		t.Errorf("unknown dataset: %v", err)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestPickleSDKStateDict reads a synthetic metagraph in the SDK's
// Metagraph.state_dict() layout, pickled without torch (numpy arrays and a
// pickled dataclass; generated by testdata/make_sdk_pickle.py).
func TestPickleSDKStateDict(t *testing.T) {
	s, err := metagraph.ReadPT(filepath.Join("testdata", "sdk_state_dict.pkl"))
	if err != nil {
		t.Fatal(err)
	}
	want := &metagraph.Snapshot{
		Netuid: 7, Block: 5000123, N: 4,
		Stake: []float64{1000, 250.5, 0, 3},
		Weights: []metagraph.Row{
			{UID: 0, Entries: []metagraph.Entry{{2, 65535}, {3, 21845}}},
			{UID: 1, Entries: []metagraph.Entry{{2, 65535}, {3, 65535}}},
		},
		Bonds: []metagraph.Row{
			{UID: 0, Entries: []metagraph.Entry{{2, 65535}, {3, 1200}}},
			{UID: 1, Entries: []metagraph.Entry{{2, 30000}, {3, 65535}}},
		},
		ValidatorPermit: []bool{true, true, false, false},
		LastUpdate:      []uint64{5000100, 5000050, 4000000, 3000000},
		Active:          []bool{true, true, true, false},
		Consensus:       []uint16{0, 0, 32768, 32768},
		Incentive:       []uint16{0, 0, 39321, 26214},
		Dividends:       []uint16{52428, 13107, 0, 0},
		ValidatorTrust:  []uint16{65535, 65535, 0, 0},
		Emission:        []uint64{500000000, 125000000, 250000000, 125000000},
	}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got  %+v\nwant %+v", s, want)
	}
}
