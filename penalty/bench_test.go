package penalty

import (
	"context"
	"testing"
)

// BenchmarkGridOverhead measures the runner's cost per (trivial) job.
func BenchmarkGridOverhead(b *testing.B) {
	out := make([]float64, 10000)
	b.ReportAllocs()
	for b.Loop() {
		if err := (Grid{Total: len(out)}).Run(context.Background(), square(out)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImmediate measures G_t over a 1000-epoch, 64-validator trace.
func BenchmarkImmediate(b *testing.B) {
	tr := Trace{Dividends: make([][]float64, 1000)}
	for t := range tr.Dividends {
		tr.Dividends[t] = make([]float64, 64)
		tr.Dividends[t][0], tr.Dividends[t][1] = 0.5, 0.5
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Immediate(tr, 0, 1, 0.01); err != nil {
			b.Fatal(err)
		}
	}
}
