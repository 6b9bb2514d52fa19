package paper

import (
	"context"
	"github.com/yuma-go/yuma/epoch"
	"testing"
)

func benchEngine(b *testing.B) epoch.Factory {
	_, liquid, _ := VariantNotebook.configs(0.1, 0.9)
	if _, err := epoch.NewStepper(liquid, 3, miners); err != nil {
		b.Logf("epoch engine unavailable (%v); benchmarking the test oracle", err)
		return newOracle
	}
	return epoch.NewStepper
}

// BenchmarkSimulate measures one 20-round run of the paper's setting.
func BenchmarkSimulate(b *testing.B) {
	eng := benchEngine(b)
	_, liquid, _ := VariantNotebook.configs(0.1, 0.9)
	s := Setting{Rho: 0, Delta: 0.5, Lag: 5, Rounds: 20, Stake: [3]float64{1, 1, 98}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := simulate(eng, liquid, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun measures the whole reproduction (all five figures on the
// default grids plus the lag sweep), without writing files.
func BenchmarkRun(b *testing.B) {
	eng := benchEngine(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), Options{Engine: eng}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite measures rendering every output (CSV, PNG, SVG, JSON).
func BenchmarkWrite(b *testing.B) {
	r, err := Run(context.Background(), Options{Engine: benchEngine(b)})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Write(dir); err != nil {
			b.Fatal(err)
		}
	}
}
