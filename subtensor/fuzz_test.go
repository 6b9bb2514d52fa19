package subtensor

import (
	"encoding/json"
	"strings"
	"testing"
)

// recordedBlobs returns the decoded hex results of recorded state_call and
// storage answers whose runtime method or storage item contains want.
func recordedBlobs(f *testing.F, want string, maxLen int) [][]byte {
	var out [][]byte
	for _, e := range recording(f).Entries {
		var p []any
		_ = json.Unmarshal(e.Params, &p)
		if len(p) == 0 {
			continue
		}
		s, _ := p[0].(string)
		if !strings.Contains(s, want) && !strings.Contains(e.Seed, want) {
			continue
		}
		var res string
		if json.Unmarshal(e.Result, &res) != nil {
			continue
		}
		b, err := HexBytes(res)
		if err == nil && len(b) <= maxLen {
			out = append(out, b)
		}
	}
	return out
}

func FuzzDecodeNeurons(f *testing.F) {
	for _, b := range recordedBlobs(f, "get_neurons_lite", 4000) {
		f.Add(b, false)
	}
	for _, b := range recordedBlobs(f, "get_neuron", 1000) {
		f.Add(b, true)
	}
	f.Add([]byte{0x04}, false)
	f.Fuzz(func(t *testing.T, b []byte, single bool) {
		if single {
			n, ok, err := DecodeNeuron(b)
			if err == nil && ok && n.UID == 0 && len(b) < 100 {
				t.Fatalf("a neuron cannot fit in %d bytes", len(b))
			}
			return
		}
		ns, err := DecodeNeuronsLite(b)
		if err == nil && len(ns)*100 > len(b) {
			t.Fatalf("%d neurons from %d bytes", len(ns), len(b))
		}
		_, _ = DecodeNeurons(b)
	})
}

func FuzzDecodeHyperparams(f *testing.F) {
	for _, b := range recordedBlobs(f, "get_subnet_hyperparams", 1000) {
		f.Add(b, false)
		f.Add(b, true)
	}
	f.Add([]byte{0}, true)
	f.Fuzz(func(t *testing.T, b []byte, v2 bool) {
		h, ok, err := DecodeHyperparams(b, v2)
		if err != nil && (ok || h != (SubnetHyperparams{})) {
			t.Fatalf("error with a value: %+v %v", h, err)
		}
	})
}

func FuzzDecodeMetagraph(f *testing.F) {
	// The recorded mechagraph is 196 KB; seed with its head and with small hand-made values.
	for _, b := range recordedBlobs(f, "get_selective_mechagraph", 1<<20) {
		f.Add(b[:512], true)
	}
	f.Add([]byte{1, 4, 0}, true)
	f.Add([]byte{1, 4}, false)
	f.Add([]byte{0}, false)
	f.Fuzz(func(t *testing.T, b []byte, selective bool) {
		m, ok, err := DecodeMetagraph(b, selective)
		if err == nil && ok && m.Scalars == nil {
			t.Fatal("ok metagraph without scalars map")
		}
	})
}

func FuzzDecodeSubnetState(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		s, ok, err := DecodeSubnetState(b)
		if err == nil && ok && len(s.Hotkeys)*32 > len(b) {
			t.Fatal("more hotkeys than bytes")
		}
	})
}

func FuzzDecodeStorageValues(f *testing.F) {
	for _, s := range []string{"040a00ffff", "00", "0110a1cf260000000000", "0801000100"} {
		b, _ := HexBytes(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if rows, err := DecodeWeightRow(b); err == nil && len(rows)*4+1 > len(b)+1 {
			t.Fatalf("%d entries from %d bytes", len(rows), len(b))
		}
		_, _ = DecodeU64Vec(b)
		_, _ = DecodeBoolVec(b)
	})
}
