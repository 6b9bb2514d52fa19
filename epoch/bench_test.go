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
	one := func(f func(r *rand.Rand, v, m int) Input) func(r *rand.Rand, v, m int) []Input {
		return func(r *rand.Rand, v, m int) []Input { return []Input{f(r, v, m)} }
	}
	inputs := []struct {
		name string
		make func(r *rand.Rand, v, m int) []Input // cycled through, one per epoch
	}{
		// A third of the weights non-zero, a fifth of the stake zero; the
		// same every epoch.
		{"sparse", one(randomInput)},
		// Every validator weighs every miner: its quality plus noise; the
		// same every epoch.
		{"dense", one(denseInput)},
		// The same miners, but the validators draw fresh noise every epoch
		// (eight draws, cycled): the consensus moves a little every epoch,
		// as with the simulator's noisy honest validators.
		{"dense-noisy", func(r *rand.Rand, v, m int) []Input { return noisyInputs(r, v, m, 8) }},
		// Two unrelated dense subnets alternating: the consensus jumps
		// across each column's whole range every epoch (the worst case for
		// the warm start).
		{"dense-reshuffled", func(r *rand.Rand, v, m int) []Input { return []Input{denseInput(r, v, m), denseInput(r, v, m)} }},
	}
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
					ins := kind.make(r, shape[0], shape[1])
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
	return noisyInputs(r, v, m, 1)[0]
}

// noisyInputs is n epochs of one subnet (the same stakes and miner
// qualities) whose validators draw fresh noise every epoch: each weighs
// miner j with its quality plus Gaussian noise of standard deviation 0.1
// (clipped at 0).
func noisyInputs(r *rand.Rand, v, m, n int) []Input {
	stake, quality := make([]float64, v), make([]float64, m)
	for j := range quality {
		quality[j] = r.Float64()
	}
	for i := range stake {
		stake[i] = 1 + r.Float64()*100
	}
	ins := make([]Input, n)
	for t := range ins {
		ins[t] = Input{Stake: stake, Weights: make([]float64, v*m)}
		for i := 0; i < v; i++ {
			for j := 0; j < m; j++ {
				ins[t].Weights[i*m+j] = max(0, quality[j]+0.1*r.NormFloat64())
			}
		}
	}
	return ins
}
