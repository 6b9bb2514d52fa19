package web

import (
	"net/http"
	"net/url"
	"testing"
)

// BenchmarkExploreRun measures one explorer request: case01 (40 epochs,
// 3 validators, 2 miners) under two variants, with eight SVG charts.
func BenchmarkExploreRun(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	form := url.Values{"case": {"case01"}, "yuma": {"yuma2", "yuma3"}, "liquid_alpha": {"off"}}
	b.ReportAllocs()
	for b.Loop() {
		rec := postForm(b, h, "/explore", form, true)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkMetagraphValidator measures the validator view of the bundled
// SN31 data (256 uids): one chain-exact epoch, the explanation table and its
// chart.
func BenchmarkMetagraphValidator(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	b.ReportAllocs()
	for b.Loop() {
		rec := get(b, h, "/metagraph?source=dataset:sn31")
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
