package chain

import (
	"math/rand/v2"
	"testing"

	"github.com/yuma-go/yuma/fixed"
)

// BenchmarkWeightedMedianCol times one column's kappa-weighted median over
// 64 validators with random scores and stakes.
func BenchmarkWeightedMedianCol(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	const k, cols = 64, 256
	scores := make([]fixed.I32F32, k*cols)
	for i := range scores {
		scores[i] = fixed.I32F32(rng.Int64N(int64(fixed.One)))
	}
	stakes := make([]fixed.I32F32, k)
	for i := range stakes {
		stakes[i] = fixed.I32F32(rng.Int64N(int64(fixed.One)))
	}
	normalize(stakes)
	var sum fixed.I32F32
	for _, s := range stakes {
		sum += s
	}
	part, spare := make([]scored, k), make([]scored, k)
	minority := sum - fixed.One/2
	for _, m := range []struct {
		name string
		f    func(scores, stakes []fixed.I32F32, part, spare []scored, minority, sum fixed.I32F32) fixed.I32F32
	}{{"loop", weightedMedianCol}, {"quantile", weightedMedianFast}} {
		b.Run(m.name, func(b *testing.B) {
			b.ReportAllocs()
			var acc fixed.I32F32
			for i := 0; i < b.N; i++ {
				c := i % cols
				acc += m.f(scores[c*k:(c+1)*k], stakes, part, spare, minority, sum)
			}
			_ = acc
		})
	}
}
