package report

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHeatMapRenders(t *testing.T) {
	h := HeatMap{
		Title: "penalty map", XLabel: "delta", YLabel: "rho", ZLabel: "G",
		X: []float64{0, 0.25, 0.5}, Y: []float64{0, 0.5},
		Z:           [][]float64{{0.1, 0.2, math.NaN()}, {0.3, 0.4, 0.5}},
		LabelFormat: "%.2f",
		Width:       6, Height: 5,
	}
	svg, err := h.SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"penalty map", "0.40", "rho"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	// The NaN cell carries no label.
	if bytes.Contains(svg, []byte("NaN")) {
		t.Error("SVG prints NaN")
	}
	base := filepath.Join(t.TempDir(), "h")
	if err := h.WriteFiles(base); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(base + ".svg"); err != nil {
		t.Error(err)
	}
	f, err := os.Open(base + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Fatal(err)
	}
	// Constant and all-NaN maps still render.
	for _, z := range [][][]float64{{{1, 1, 1}, {1, 1, 1}}, {{math.NaN(), math.NaN(), math.NaN()}, {math.NaN(), math.NaN(), math.NaN()}}} {
		h.Z = z
		if _, err := h.SVG(); err != nil {
			t.Errorf("%v: %v", z, err)
		}
	}
}

func TestHeatMapRejectsBadShapes(t *testing.T) {
	cases := map[string]HeatMap{
		"empty":      {},
		"rows":       {X: []float64{0, 1}, Y: []float64{0}, Z: [][]float64{}},
		"ragged":     {X: []float64{0, 1}, Y: []float64{0}, Z: [][]float64{{1}}},
		"decreasing": {X: []float64{1, 0}, Y: []float64{0}, Z: [][]float64{{1, 2}}},
	}
	for name, h := range cases {
		if err := h.RenderSVG(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "heat map") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
