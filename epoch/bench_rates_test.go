package epoch

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkLiquidAlphaRates measures liquid alpha v2's sigmoid rate on 8,192
// distances (ns/op / 8192 = ns per rate).
func BenchmarkLiquidAlphaRates(b *testing.B) {
	st := v2State{lo: 0.7, hi: 0.9, k: 10, zMax: 20}
	r := rand.New(rand.NewPCG(1, 2))
	src := make([]float64, 8192)
	for i := range src {
		src[i] = r.Float64() * 0.01
	}
	d := make([]float64, len(src))
	for b.Loop() {
		copy(d, src)
		st.rates(d)
	}
}
