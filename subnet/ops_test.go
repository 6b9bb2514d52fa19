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
