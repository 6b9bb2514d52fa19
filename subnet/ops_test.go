package subnet

import (
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
)

func TestMaxUpscaleU16(t *testing.T) {
	cases := []struct{ in, want []uint16 }{
		{[]uint16{16383, 32767, 49149, 65535}, []uint16{16383, 32767, 49149, 65535}},
		{[]uint16{32767, 32767}, []uint16{65535, 65535}},
		{[]uint16{0, 0}, []uint16{0, 0}},
		{[]uint16{1, 2}, []uint16{32768, 65535}}, // 1*65535/2 = 32767.5 rounds away from zero
		{[]uint16{1, 3}, []uint16{21845, 65535}},
		{[]uint16{100, 40000}, []uint16{164, 65535}}, // 100*trunc(65535/40000) = 163.8375
		{[]uint16{0, 65535, 0}, []uint16{0, 65535, 0}},
	}
	for _, c := range cases {
		got := MaxUpscaleU16(c.in)
		for k := range got {
			if got[k] != c.want[k] {
				t.Errorf("MaxUpscaleU16(%v) = %v, want %v", c.in, got, c.want)
				break
			}
		}
	}
}

func TestOpsRejectBadInput(t *testing.T) {
	h := DefaultHyperparameters()
	h.CommitReveal = false
	st := NewState(h)
	if err := st.Register(1, 0, 10); err != nil {
		t.Fatal(err)
	}
	if err := st.Register(1, 1, 0); err != nil {
		t.Fatal(err)
	}
	st.Neurons[0].ValidatorPermit = true
	cases := []struct {
		name  string
		err   error
		field string
	}{
		{"gap", st.Register(1, 5, 0), "uid"},
		{"unknown uid", st.SetWeights(2, 0, []int{7}, []int{1}), "uids[0]"},
		{"ragged", st.SetWeights(2, 0, []int{0, 1}, []int{1}), "values"},
		{"dup", st.SetWeights(2, 0, []int{1, 1}, []int{1, 2}), "uids[1]"},
		{"too big", st.SetWeights(2, 0, []int{1}, []int{65536}), "values[0]"},
		{"negative", st.SetWeights(2, 0, []int{1}, []int{-1}), "values[0]"},
		{"no permit", st.SetWeights(2, 1, []int{0}, []int{1}), "uid"},
		{"backwards", st.SetStake(1, 0, 5), "block"},
		{"reset off", st.ResetBonds(3, 0), "reset_bonds"},
		{"commit off", st.Commit(3, 0, []int{1}, []int{1}), "commit"},
		{"stake unknown", st.SetStake(3, 9, 5), "uid"},
		{"beyond max", (&State{Neurons: make([]Neuron, MaxNeurons)}).Register(0, MaxNeurons, 1), "uid"},
	}
	for _, c := range cases {
		e, ok := c.err.(*badinput.Error)
		if !ok {
			t.Errorf("%s: got %v, want *badinput.Error", c.name, c.err)
			continue
		}
		if e.Field != c.field {
			t.Errorf("%s: field %q, want %q (%v)", c.name, e.Field, c.field, e)
		}
	}
	// A lone self-weight is allowed without a permit.
	if err := st.SetWeights(3, 1, []int{1}, []int{5}); err != nil {
		t.Fatalf("self weight: %v", err)
	}
	if got := st.Neurons[1].Weights; len(got) != 1 || got[0].Value != 65535 || st.Neurons[1].LastUpdate != 3 {
		t.Fatalf("stored self weight %+v, last update %d", got, st.Neurons[1].LastUpdate)
	}
}

func TestReplaceClearsNeuron(t *testing.T) {
	h := DefaultHyperparameters()
	h.CommitReveal = false
	st := NewState(h)
	_ = st.Register(0, 0, 5)
	_ = st.Register(0, 1, 5)
	st.Neurons[0].ValidatorPermit = true
	if err := st.SetWeights(1, 0, []int{1, 0}, []int{0, 7}); err != nil {
		t.Fatal(err)
	}
	if w := st.Neurons[0].Weights; w[0] != (WeightEntry{1, 0}) || w[1] != (WeightEntry{0, 65535}) {
		t.Fatalf("caller order / explicit zero not kept: %+v", w)
	}
	if err := st.Register(4, 0, 9); err != nil {
		t.Fatal(err)
	}
	nr := st.Neurons[0]
	if nr.Stake != 9 || nr.RegisteredAt != 4 || nr.LastUpdate != 4 || nr.Weights != nil || nr.ValidatorPermit {
		t.Fatalf("replace left %+v", nr)
	}
}

// recorder is an Engine that records the weight rows it sees.
type recorder struct{ seen [][]WeightEntry }

func (r *recorder) Epoch(st *State, block, emission uint64) (EpochOutput, error) {
	r.seen = append(r.seen, append([]WeightEntry(nil), st.Neurons[0].Weights...))
	n := st.N()
	return EpochOutput{ValidatorPermit: make([]bool, n), StoredBonds: make([][]BondEntry, n)}, nil
}

func TestCommitRevealTiming(t *testing.T) {
	h := DefaultHyperparameters()
	h.CommitRevealPeriod = 2
	owner := 0
	h.OwnerUID = &owner // the owner may weigh without a permit
	st := NewState(h)
	_ = st.Register(0, 0, 1)
	_ = st.Register(0, 1, 1)
	rec := &recorder{}
	if err := st.Commit(5, 0, []int{1}, []int{7}); err != nil {
		t.Fatal(err)
	}
	if st.Neurons[0].LastUpdate != 5 {
		t.Fatalf("LastUpdate = %d, want the commit block 5", st.Neurons[0].LastUpdate)
	}
	for b := uint64(6); b <= 8; b++ {
		if _, err := st.Epoch(rec, b, 1); err != nil {
			t.Fatal(err)
		}
	}
	// Committed in epoch 0 with period 2: hidden in epoch 0, revealed before epoch 1.
	if len(rec.seen[0]) != 0 || len(rec.seen[1]) != 1 || rec.seen[1][0] != (WeightEntry{1, 65535}) {
		t.Fatalf("reveal timing: %+v", rec.seen)
	}
	if st.Neurons[0].LastUpdate != 5 || len(st.Neurons[0].Commits) != 0 {
		t.Fatalf("after reveal: last update %d, pending %d", st.Neurons[0].LastUpdate, len(st.Neurons[0].Commits))
	}
	for k := 0; k < MaxPendingCommits; k++ {
		if err := st.Commit(9, 0, []int{1}, []int{1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Commit(9, 0, []int{1}, []int{1}); err == nil {
		t.Fatal("an 11th pending commit must be refused")
	}
	// A commit revealed for a validator that is no longer allowed to weigh is dropped.
	st.Hyper.OwnerUID = nil
	before := append([]WeightEntry(nil), st.Neurons[0].Weights...)
	for b := uint64(10); b <= 12; b++ {
		if _, err := st.Epoch(rec, b, 1); err != nil {
			t.Fatal(err)
		}
	}
	if len(st.Neurons[0].Commits) != 0 || len(st.Neurons[0].Weights) != len(before) {
		t.Fatalf("refused reveals should be dropped: pending %d weights %+v", len(st.Neurons[0].Commits), st.Neurons[0].Weights)
	}
}

func TestEpochNeedsMatchingEngineOutput(t *testing.T) {
	st := NewState(DefaultHyperparameters())
	_ = st.Register(0, 0, 1)
	bad := engineFunc(func(*State, uint64, uint64) (EpochOutput, error) { return EpochOutput{}, nil })
	if _, err := st.Epoch(bad, 1, 1); err == nil {
		t.Fatal("an engine returning the wrong number of permits must be an error")
	}
}

type engineFunc func(*State, uint64, uint64) (EpochOutput, error)

func (f engineFunc) Epoch(st *State, b, e uint64) (EpochOutput, error) { return f(st, b, e) }
