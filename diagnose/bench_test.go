package diagnose

import (
	"context"
	"github.com/yuma-go/yuma/epoch"
	"testing"
)

// BenchmarkNotebookGrid runs the notebook's largest grid (5 alpha_low x 5
// alpha_high, alpha_low <= alpha_high, x 16 reveal periods x 30 tempos) on
// SN31's 256 uids with the production float engine.
func BenchmarkNotebookGrid(b *testing.B) {
	src := sn31(b)
	o := DefaultOptions()
	o.Sources = []Source{src}
	if _, err := epoch.NewStepper(o.baseConfig(), 2, 2); err != nil {
		b.Skipf("float engine unavailable: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), o, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNotebookGridOracle is the same grid on the test oracle (a naive
// O(V^2 M) consensus), for comparison.
func BenchmarkNotebookGridOracle(b *testing.B) {
	o := DefaultOptions()
	o.Sources = []Source{sn31(b)}
	o.Engine = newOracle
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), o, nil); err != nil {
			b.Fatal(err)
		}
	}
}
