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
	for _, shape := range [][2]int{{64, 256}, {256, 1024}, {1024, 1024}} {
		for _, v := range variants {
			b.Run(fmt.Sprintf("%dx%d/%s", shape[0], shape[1], v.name), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 1))
				cfg := v.cfg
				cfg.Params = DefaultParams()
				e, err := New(cfg, shape[0], shape[1])
				if err != nil {
					b.Fatal(err)
				}
				in := randomInput(r, shape[0], shape[1])
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if _, err := e.Step(in); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "epochs/s")
			})
		}
	}
}
