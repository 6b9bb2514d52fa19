package diagnose

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/metagraph"
)

// synthetic builds a 4-uid history: uids 0 and 1 are validators, 2 and 3 miners.
func synthetic(epochs int) []*metagraph.Snapshot {
	var out []*metagraph.Snapshot
	for e := 0; e < epochs; e++ {
		b := uint64(10000 + 360*e)
		out = append(out, &metagraph.Snapshot{
			Netuid: 7, Block: b, N: 4,
			Stake:               []float64{100, 50, 0, 0},
			ValidatorPermit:     []bool{true, true, false, false},
			LastUpdate:          []uint64{b - 10, b - 10, 0, 0},
			BlockAtRegistration: []uint64{1, 1, 5, 5},
			Weights: []metagraph.Row{
				{UID: 0, Entries: []metagraph.Entry{{0, 65535}, {2, 65535}, {3, 30000}}},
				{UID: 1, Entries: []metagraph.Entry{{2, 20000}, {3, 65535}}},
			},
		})
	}
	return out
}

func TestMasks(t *testing.T) {
	snaps := synthetic(6)
	// uid 1 stops setting weights after epoch 1: its stored row stays, and it
	// is masked once last_update + cutoff < block.
	for e := 2; e < 6; e++ {
		snaps[e].LastUpdate[1] = snaps[1].Block - 10
	}
	// miner 3 re-registers at epoch 4: uid 0's weights were set before it.
	for e := 4; e < 6; e++ {
		snaps[e].BlockAtRegistration[3] = snaps[4].Block - 5
		snaps[e].LastUpdate[0] = snaps[4].Block - 100
	}
	o := DefaultOptions()
	o.ActivityCutoff = 500
	h, err := buildHistory(Source{Name: "syn", Snapshots: snaps}, &o, 6)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.vals) != 2 || h.vals[0] != 0 || h.vals[1] != 1 {
		t.Fatalf("validators %v", h.vals)
	}
	n := h.n
	// Self-weight of uid 0 removed.
	if h.weights[0][0] != 0 || h.weights[0][2] != 65535 {
		t.Fatalf("epoch 0 row 0 = %v", h.weights[0][:n])
	}
	// uid 1 is active while last_update + 500 >= block: epochs 0..2 (its
	// update at block(1)-10 is 370 blocks old at epoch 2), masked from epoch 3.
	for e, want := range []bool{true, true, true, false, false, false} {
		act := h.active[e][1] > 0
		rowSet := h.weights[e][n+3] > 0
		if act != want || rowSet != want {
			t.Errorf("epoch %d: uid 1 active %v row %v, want %v", e, act, rowSet, want)
		}
	}
	// Outdated: uid 0's weight on the re-registered miner 3 is dropped.
	if h.weights[4][3] != 0 || h.weights[3][3] == 0 {
		t.Errorf("outdated mask: epoch 3 w03 = %v, epoch 4 w03 = %v", h.weights[3][3], h.weights[4][3])
	}
	// Re-registration resets column 3 at epoch 4 only.
	if len(h.resets[4]) != 1 || h.resets[4][0] != 3 || len(h.resets[5]) != 0 {
		t.Errorf("resets %v", h.resets)
	}
	// The snapshot's own activity_cutoff wins over the flag: with 300 blocks
	// uid 1 (updated at block(1)-10) is already inactive at epoch 2.
	for _, sn := range snaps {
		sn.Hyperparameters = map[string]any{"activity_cutoff": float64(300)}
	}
	h, err = buildHistory(Source{Name: "syn", Snapshots: snaps}, &o, 6)
	if err != nil {
		t.Fatal(err)
	}
	if h.active[1][1] == 0 || h.active[2][1] != 0 {
		t.Fatalf("snapshot activity_cutoff ignored: %v %v", h.active[1], h.active[2])
	}
	// Without permits, the top-k by stake are validators.
	for _, s := range snaps {
		s.ValidatorPermit = nil
	}
	o.MaxValidators = 1
	h, err = buildHistory(Source{Name: "syn", Snapshots: snaps}, &o, 6)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.vals) != 1 || h.vals[0] != 0 || !strings.Contains(strings.Join(h.warnings, ";"), "no validator permits") {
		t.Fatalf("top-k permits: vals %v warnings %v", h.vals, h.warnings)
	}
}

func TestGapsAndStatic(t *testing.T) {
	snaps := synthetic(8)
	snaps = append(snaps[:3], snaps[4:]...) // a missing block
	o := DefaultOptions()
	h, err := buildHistory(Source{Name: "gap", Snapshots: snaps}, &o, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.warnings) != 1 || !strings.Contains(h.warnings[0], "gap of 720 blocks") {
		t.Fatalf("warnings %v", h.warnings)
	}
	h, err = buildHistory(Source{Name: "one", Snapshots: snaps[:1]}, &o, 7)
	if err != nil || !h.static || len(h.blocks) != 7 {
		t.Fatalf("static: %v %+v", err, h)
	}
}

func TestCopierTopAndSeveralSubnets(t *testing.T) {
	o := smallOptions(sn31(t), Source{Name: "syn", Snapshots: synthetic(20)})
	o.Copier = CopierTop
	o.CopierStake = CopierStake{Mode: StakeShare, Value: 0.05}
	res, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Subnets) != 2 || res.Total != 2*4*3 {
		t.Fatalf("subnets %d total %d", len(res.Subnets), res.Total)
	}
	syn := res.Subnets[1]
	// share 0.05 of 150 active stake: 150 * 0.05 / 0.95.
	if d := syn.CopierStake - 150*0.05/0.95; d > 1e-9 || d < -1e-9 {
		t.Fatalf("copier stake %v", syn.CopierStake)
	}
	// A copier of the top validator, on a static network, with rp 0 earns
	// exactly what that validator earns per stake: G >= 1.
	if g := float64(syn.Baseline[0].GLast); g < 1-1e-9 {
		t.Fatalf("top copier at rp 0: G = %v", g)
	}
	sec, err := res.HTMLSection()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Summary (Table 1 style)", "sn31 (netuid 31)", "syn (netuid 7)", "<svg"} {
		if !strings.Contains(string(sec), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	csv := string(res.summaryCSV())
	if strings.Count(csv, "\n") != 3 {
		t.Fatalf("summary.csv:\n%s", csv)
	}
}

func TestSubnetParams(t *testing.T) {
	snaps := synthetic(12)
	for _, s := range snaps {
		s.Hyperparameters = map[string]any{"kappa": float64(32767), "bonds_moving_average": uint64(975000), "bonds_penalty": 0}
	}
	o := smallOptions(Source{Name: "syn", Snapshots: snaps})
	o.RevealPeriods = []int{0, 2}
	o.Tempos = 4
	res, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Subnets[0].Params
	if math.Abs(p.Kappa-32767.0/65535) > 1e-12 || p.BondsMovingAverage != 0.975 || p.BondsPenalty != 0 {
		t.Fatalf("subnet params not used: %+v", p)
	}
	if !strings.Contains(strings.Join(res.Subnets[0].Warnings, ";"), "bonds_moving_average 0.975") {
		t.Fatalf("warnings %v", res.Subnets[0].Warnings)
	}
	o.NotebookParams = true
	res, err = Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Subnets[0].Params != DefaultOptions().Params {
		t.Fatalf("--notebook-params ignored: %+v", res.Subnets[0].Params)
	}
}
