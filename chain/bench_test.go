package chain

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/yuma-go/yuma/subnet"
)

// benchState is a subnet of n uids whose first nv validators hold permits and
// weigh every uid (dense rows), after one warm-up epoch so bonds exist.
func benchState(b *testing.B, nv, n int, yuma, la string) *subnet.State {
	h := subnet.DefaultHyperparameters()
	h.Yuma, h.LiquidAlpha, h.CommitReveal, h.Tempo = yuma, la, false, 1
	h.MaxAllowedValidators = uint16(nv)
	h.AlphaLow, h.AlphaHigh = 6553, 19660
	rng := rand.New(rand.NewPCG(uint64(nv), uint64(n)))
	st := randomState(rng, n, nv, h, false)
	if _, err := st.Epoch(New(), 2, 1_000_000_000); err != nil {
		b.Fatal(err)
	}
	return st
}

func BenchmarkChainEpoch(b *testing.B) {
	for _, sz := range [][2]int{{64, 256}, {256, 1024}, {1024, 1024}} {
		for _, m := range []struct{ yuma, la string }{
			{subnet.Yuma2, subnet.LiquidAlphaOff}, {subnet.Yuma3, subnet.LiquidAlphaOff}, {subnet.Yuma3, subnet.LiquidAlphaV2},
		} {
			name := fmt.Sprintf("%dx%d/%s-la-%s", sz[0], sz[1], m.yuma, m.la)
			b.Run(name, func(b *testing.B) {
				st := benchState(b, sz[0], sz[1], m.yuma, m.la)
				eng := New()
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := eng.Epoch(st, 3, 1_000_000_000); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
