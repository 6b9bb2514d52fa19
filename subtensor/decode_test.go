package subtensor

import (
	"encoding/json"
	"testing"

	"github.com/yuma-go/yuma/subtensor/scale"
)

func TestDecodeHyperparamsV2HandBuilt(t *testing.T) {
	var e scale.Encoder
	e.U8(1) // Some
	for _, v := range []uint64{10, 32767, 7200, 1, 65535, 360, 1, 2, 3, 100, 112, 5000} {
		e.Compact(v)
	}
	e.Bool(true)
	for _, v := range []uint64{2, 500000, 100000000000, 975000, 1, 10, 64, 58000, 10000000, 3} {
		e.Compact(v)
	}
	e.Bool(true)
	e.Compact(26214)
	e.Compact(3277)
	e.Bool(true)
	e.U64(uint64(1500) << 32) // steepness 1500 as I32F32
	e.Compact(3)
	e.Bool(true)
	e.Bool(false)
	e.Bool(true)
	e.Bool(false)
	h, ok, err := DecodeHyperparams(e.Buf, true)
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	if h.Tempo != 360 || h.BondsMovingAvg != 975000 || h.CommitRevealPeriod != 3 || h.AlphaHigh != 26214 || h.AlphaLow != 3277 ||
		!h.LiquidAlphaEnabled || !h.V2 || h.AlphaSigmoidSteepness != 1500 || h.YumaVersion != 3 || !h.SubnetIsActive ||
		h.TransfersEnabled || !h.BondsResetEnabled || h.UserLiquidityEnabled || h.MaxValidators != 64 {
		t.Errorf("%+v", h)
	}
	hp := map[string]any{}
	structHyperparams(h, hp)
	if hp["alpha_sigmoid_steepness"] != int64(1500) || hp["yuma3_enabled"] != true || hp["bonds_reset"] != true {
		t.Errorf("snapshot names %v", hp)
	}
	// The same bytes are not a v1 struct (6 bytes left over), and None decodes as absent.
	if _, _, err := DecodeHyperparams(e.Buf, false); err == nil {
		t.Error("v2 bytes accepted as v1")
	}
	if _, ok, err := DecodeHyperparams([]byte{0}, true); ok || err != nil {
		t.Errorf("None: ok=%v err=%v", ok, err)
	}
	if _, ok, err := DecodeHyperparams([]byte{0}, false); ok || err != nil {
		t.Errorf("empty legacy vec: ok=%v err=%v", ok, err)
	}
}

// metagraphKinds gives the wire kind of every Metagraph field 1..73.
func metagraphKind(idx int) string {
	switch {
	case idx == 1 || idx == 2:
		return "vec"
	case idx == 3:
		return "option"
	case idx == 5 || idx == 6:
		return "account"
	case idx == 21:
		return "i96f32"
	case boolFields[idx]:
		return "bool"
	case idx >= 52:
		return "vec"
	}
	return "compact"
}

func TestDecodePlainAndSelectiveMetagraphHandBuilt(t *testing.T) {
	build := func(selective bool, last int, present func(int) bool) []byte {
		var e scale.Encoder
		e.U8(1)
		e.Compact(7) // netuid
		for idx := 1; idx < last; idx++ {
			if selective {
				if !present(idx) {
					e.U8(0)
					continue
				}
				e.U8(1)
			}
			switch metagraphKind(idx) {
			case "vec", "option":
				if idx == 59 { // last_update: two uids
					e.Compact(2)
					e.Compact(100)
					e.Compact(1 << 40)
					continue
				}
				e.U8(0)
			case "account":
				e.Buf = append(e.Buf, make([]byte, 32)...)
			case "i96f32":
				e.U64(3 << 31) // 1.5
				e.U64(0)
			case "bool":
				e.Bool(true)
			default:
				e.Compact(uint64(idx) * 1000)
			}
		}
		return e.Buf
	}
	m, ok, err := DecodeMetagraph(build(false, 72, nil), false)
	if err != nil || !ok {
		t.Fatalf("plain: ok=%v err=%v", ok, err)
	}
	if m.Netuid != 7 || m.Scalars["tempo"] != 8000 || m.Scalars["alpha_low"] != 50000 || m.Scalars["liquid_alpha_enabled"] != 1 ||
		m.MovingPrice != 1.5 || len(m.LastUpdate) != 2 || m.LastUpdate[1] != 1<<40 || m.Present[72] || !m.Present[71] {
		t.Errorf("plain %+v", m)
	}
	even := func(i int) bool { return i%2 == 0 }
	s, ok, err := DecodeMetagraph(build(true, MetagraphFields, even), true)
	if err != nil || !ok {
		t.Fatalf("selective: ok=%v err=%v", ok, err)
	}
	for i := 0; i < MetagraphFields; i++ {
		if s.Present[i] != even(i) {
			t.Fatalf("field %d present=%v", i, s.Present[i])
		}
	}
	if _, has := s.Scalars["tempo"]; !has || s.Scalars["tempo"] != 8000 {
		t.Errorf("tempo %v", s.Scalars)
	}
	if _, has := s.Scalars["last_step"]; has {
		t.Error("absent field decoded")
	}
	// Truncating anywhere is an error, never a panic.
	full := build(true, MetagraphFields, func(int) bool { return true })
	for cut := 0; cut < len(full); cut++ {
		if _, _, err := DecodeMetagraph(full[:cut], true); err == nil && cut > 0 {
			t.Fatalf("truncated at %d accepted", cut)
		}
	}
}

func TestDecodeNeuronsVecFromRecordedNeuron(t *testing.T) {
	var blob []byte
	for _, e := range recording(t).Entries {
		if e.Seed == "get_neuron_for_pubkey_and_subnet" && e.Method == "state_call" {
			var res string
			_ = json.Unmarshal(e.Result, &res)
			blob, _ = HexBytes(res)
		}
	}
	if len(blob) != 406 {
		t.Fatalf("recorded neuron has %d bytes", len(blob))
	}
	// Vec<NeuronInfo> with two copies of the recorded neuron (drop its Option tag).
	vec := append([]byte{8}, blob[1:]...)
	vec = append(vec, blob[1:]...)
	ns, err := DecodeNeurons(vec)
	if err != nil || len(ns) != 2 || ns[1].UID != 29 || len(ns[1].Weights) != 5 || len(ns[0].Bonds) != 32 {
		t.Fatalf("neurons %d %v", len(ns), err)
	}
	if _, err := DecodeNeurons(vec[:len(vec)-1]); err == nil {
		t.Error("truncated vector accepted")
	}
	if _, ok, err := DecodeNeuron([]byte{0}); ok || err != nil {
		t.Errorf("None neuron: %v %v", ok, err)
	}
}

func TestDecodeLegacyNeuronRPC(t *testing.T) {
	var raw []byte
	for _, e := range recording(t).Entries {
		if e.Seed == "neuron_for_uid" && e.Method == "neuronInfo_getNeuron" {
			var ints []int
			if err := json.Unmarshal(e.Result, &ints); err != nil {
				t.Fatal(err)
			}
			for _, v := range ints {
				raw = append(raw, byte(v))
			}
		}
	}
	n, ok, err := DecodeNeuron(raw)
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	if n.UID != 5 || n.Netuid != 23 || n.Hotkey.SS58() != "5DkzsviNQr4ZePXMmEfNPDcE7cQ9cVyepmQbgUw6YT3odcwh" ||
		n.LastUpdate != 1970459 || !n.ValidatorPermit || len(n.Weights) != 0 || len(n.Bonds) != 0 {
		t.Errorf("%+v", n)
	}
}
