package subnet

import (
	"math"
	"testing"
)

func TestEpochMasks(t *testing.T) {
	owner := 2
	h := DefaultHyperparameters()
	h.Tempo, h.ActivityCutoff, h.StakeThreshold, h.OwnerUID, h.CommitReveal = 10, 100, 5, &owner, true
	st := NewState(h)
	st.Neurons = []Neuron{
		{Stake: 10, RegisteredAt: 0, LastUpdate: 900, ValidatorPermit: true}, // active at 1000 (900 + 100)
		{Stake: 4, RegisteredAt: 0, LastUpdate: 899},                         // inactive, below the threshold
		{Stake: 1, RegisteredAt: 50, LastUpdate: 995},                        // owner: exempt, permitted
		{Stake: 7, RegisteredAt: 995, LastUpdate: 995, Commits: []Commit{{Block: 990}, {Block: 980}}},
	}
	m, err := st.EpochMasks(1000, true)
	if err != nil {
		t.Fatal(err)
	}
	wantActive := []bool{true, false, true, true}
	wantFiltered := []uint64{10, 0, 1, 7}
	wantPermit := []bool{true, false, true, false}
	for i := range st.Neurons {
		if m.Active[i] != wantActive[i] || m.Filtered[i] != wantFiltered[i] || m.PrevPermit[i] != wantPermit[i] {
			t.Errorf("uid %d: active %v filtered %d permit %v", i, m.Active[i], m.Filtered[i], m.PrevPermit[i])
		}
	}
	if m.Total != 18 || m.Owner != 2 || m.LastTempo != 990 {
		t.Errorf("total %d owner %d last tempo %d", m.Total, m.Owner, m.LastTempo)
	}
	if cb := st.CommitBlock(3); cb != 980 {
		t.Errorf("commit block %d, want 980", cb)
	}
	if cb := st.CommitBlock(0); cb != math.MaxUint64 {
		t.Errorf("no commits: %d", cb)
	}
	keep := []struct {
		i, j int
		cb   uint64
		want bool
	}{
		{0, 0, math.MaxUint64, false}, // self-weight
		{2, 2, math.MaxUint64, true},  // the owner keeps its self-weight
		{0, 2, math.MaxUint64, true},
		{0, 3, math.MaxUint64, false}, // 3 registered after 0 last set weights (outdated)
		{2, 3, math.MaxUint64, false}, // last update 995 <= registration 995
		{3, 2, 40, false},             // committed before 2 registered (column mask)
		{3, 2, 60, true},
		{0, 9, math.MaxUint64, false}, // not a uid
	}
	for _, k := range keep {
		if got := st.KeepWeight(&m, k.i, k.j, k.cb); got != k.want {
			t.Errorf("KeepWeight(%d, %d, %d) = %v", k.i, k.j, k.cb, got)
		}
	}
	if st.KeepBond(&m, 3) || !st.KeepBond(&m, 2) {
		t.Error("bond column mask: uid 3 registered after the last tempo must be dropped, uid 2 kept")
	}
	dense, _ := st.EpochMasks(1000, false)
	if dense.Owner != -1 || dense.Filtered[2] != 0 || dense.PrevPermit[2] {
		t.Errorf("dense path gives the owner exceptions: %+v", dense)
	}
	if _, err := NewState(h).EpochMasks(1, true); err == nil {
		t.Error("empty subnet accepted")
	}
}
