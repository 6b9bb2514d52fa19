package epoch

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkStep measures one epoch per iteration at the shapes for
// yuma2, yuma3 and yuma3 with liquid alpha v2 (ns/op = ns per epoch).
func BenchmarkStep(b *testing.B) {
	variants := []struct {
		name string
		cfg  Config
	}{
		{"yuma2", Config{Yuma: Yuma2}},
		{"yuma3", Config{Yuma: Yuma3}},
		{"yuma3-lav2", Config{Yuma: Yuma3, LiquidAlpha: LiquidAlphaV2}},
	}
	inputs := []struct {
		name string
		make func(r *rand.Rand, v, m int) Input
	}{
		{"sparse", randomInput}, // a third of the weights non-zero, a fifth of the stake zero
		{"dense", denseInput},   // every validator weighs every miner (noisy honest validators)
		{"dense-moving", denseInput},
	}
	// The inputs above repeat every epoch; "dense-moving" alternates two
	// independent dense inputs, so the consensus moves every epoch and the
	// selection's warm start rarely hits.
	for _, shape := range [][2]int{{64, 256}, {256, 1024}, {1024, 1024}} {
		for _, v := range variants {
			for _, kind := range inputs {
				b.Run(fmt.Sprintf("%dx%d/%s/%s", shape[0], shape[1], v.name, kind.name), func(b *testing.B) {
					r := rand.New(rand.NewPCG(1, 1))
					cfg := v.cfg
					cfg.Params = DefaultParams()
					e, err := New(cfg, shape[0], shape[1])
					if err != nil {
						b.Fatal(err)
					}
					ins := []Input{kind.make(r, shape[0], shape[1])}
					if kind.name == "dense-moving" {
						ins = append(ins, kind.make(r, shape[0], shape[1]))
					}
					b.ReportAllocs()
					b.ResetTimer()
					k := 0
					for b.Loop() {
						if _, err := e.Step(ins[k%len(ins)]); err != nil {
							b.Fatal(err)
						}
						k++
					}
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "epochs/s")
				})
			}
		}
	}
}

// denseInput is a subnet of noisy honest validators: every validator weighs
// every miner with its true quality plus noise.
func denseInput(r *rand.Rand, v, m int) Input {
	in := Input{Stake: make([]float64, v), Weights: make([]float64, v*m)}
	quality := make([]float64, m)
	for j := range quality {
		quality[j] = r.Float64()
	}
	for i := range in.Stake {
		in.Stake[i] = 1 + r.Float64()*100
		for j := 0; j < m; j++ {
			in.Weights[i*m+j] = max(0, quality[j]+0.1*r.NormFloat64())
		}
	}
	return in
}
