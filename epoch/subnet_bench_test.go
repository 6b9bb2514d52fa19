package epoch_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/yuma-go/yuma/chain"
	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/subnet"
)

// benchState is an n-uid subnet where every uid holds a permit, stake and a
// dense weight row over all uids, with bonds from a warm-up epoch.
func benchState(b *testing.B, n int, yuma, la string, eng subnet.Engine) *subnet.State {
	h := subnet.DefaultHyperparameters()
	h.Yuma, h.LiquidAlpha = yuma, la
	h.CommitReveal = false
	h.MaxAllowedValidators = uint16(n)
	h.Tempo = 10
	h.ActivityCutoff = 1 << 20
	r := rand.New(rand.NewPCG(1, uint64(n)))
	st := subnet.NewState(h)
	for i := 0; i < n; i++ {
		nr := subnet.Neuron{Stake: 1 + r.Uint64N(1<<30), LastUpdate: 5, ValidatorPermit: true}
		for j := 0; j < n; j++ {
			nr.Weights = append(nr.Weights, subnet.WeightEntry{UID: uint16(j), Value: uint16(r.IntN(65536))})
		}
		st.Neurons = append(st.Neurons, nr)
	}
	if _, err := st.Epoch(eng, 100, 1e9); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkSubnetEpoch times one epoch of the float subnet engine and of the
// chain engine on the same dense subnet.
func BenchmarkSubnetEpoch(b *testing.B) {
	for _, n := range []int{64, 256} {
		for _, v := range []struct{ yuma, la string }{{subnet.Yuma2, subnet.LiquidAlphaOff}, {subnet.Yuma3, subnet.LiquidAlphaOff}, {subnet.Yuma3, subnet.LiquidAlphaV2}} {
			for _, e := range []struct {
				name string
				eng  subnet.Engine
			}{{"float", epoch.NewSubnet()}, {"chain", chain.New()}} {
				b.Run(fmt.Sprintf("n=%d/%s-%s/%s", n, v.yuma, v.la, e.name), func(b *testing.B) {
					st := benchState(b, n, v.yuma, v.la, e.eng)
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						if _, err := e.eng.Epoch(st, 200, 1e9); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
