package epoch

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzStep drives every variant with arbitrary stake and weights decoded from
// the fuzzer's bytes: Step never panics, rejects non-finite or negative input
// with an *InputError, and otherwise returns finite outputs whose incentive and
// dividends sum to 1 or 0 (at most 1 under yuma-simulation's epsilon guards),
// and, under the chain's rules, a consensus equal to the definition's.
func FuzzStep(f *testing.F) {
	f.Add(uint8(3), uint8(2), uint8(0), []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add(uint8(1), uint8(1), uint8(8), []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x7f})
	f.Add(uint8(4), uint8(5), uint8(11), []byte{255, 0, 255, 0, 1, 1, 1, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, v8, m8, variant uint8, data []byte) {
		v, m := int(v8%8)+1, int(m8%8)+1
		cfg := configWithDefaults(allVariants[int(variant)%len(allVariants)])
		e, err := New(cfg, v, m)
		if err != nil {
			t.Fatal(err)
		}
		next := func(k int) float64 {
			if len(data) == 0 {
				return 0
			}
			var b [8]byte
			for i := range b {
				b[i] = data[(k*8+i)%len(data)]
			}
			x := math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
			if k%3 == 0 { // also small, well-formed values
				return float64(binary.LittleEndian.Uint16(b[:2])) / 65535
			}
			return x
		}
		for ep := 0; ep < 3; ep++ {
			in := Input{Stake: make([]float64, v), Weights: make([]float64, v*m)}
			k := ep * 97
			bad := false
			for i := range in.Stake {
				in.Stake[i] = next(k)
				k++
				bad = bad || !(in.Stake[i] >= 0 && in.Stake[i] <= math.MaxFloat64)
			}
			for i := range in.Weights {
				in.Weights[i] = next(k)
				k++
				bad = bad || !(in.Weights[i] >= 0 && in.Weights[i] <= math.MaxFloat64)
			}
			res, err := e.Step(in)
			if bad {
				if err == nil || !IsInputError(err) {
					t.Fatalf("bad input accepted (err %v)", err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("valid input rejected: %v", err)
			}
			for _, s := range [][]float64{res.Incentive, res.Dividends} {
				total := 0.0
				for _, x := range s {
					if math.IsNaN(x) || x < 0 {
						t.Fatalf("%+v: output %v", cfg, s)
					}
					total += x
				}
				switch {
				case cfg.Compat == CompatYumaSimulation:
					// The simulator divides by Σ + 1e-6: tiny totals stay tiny.
					if total > 1+1e-9 {
						t.Fatalf("%+v: output sums to %v", cfg, total)
					}
				case total != 0 && math.Abs(total-1) > 1e-5:
					t.Fatalf("%+v: output sums to %v", cfg, total)
				}
			}
			if cfg.Compat == CompatChain { // others quantise the consensus
				for j := 0; j < m; j++ {
					if want, near := bruteConsensus(e.prevW, e.s, v, m, j, cfg.Params.Kappa); !near && res.Consensus[j] != want {
						t.Fatalf("%+v epoch %d: consensus[%d] = %v, want %v", cfg, ep, j, res.Consensus[j], want)
					}
				}
			}
			for _, x := range append(append([]float64{}, res.Consensus...), res.ValidatorTrust...) {
				if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
					t.Fatalf("%+v: consensus or trust %v", cfg, x)
				}
			}
		}
	})
}
