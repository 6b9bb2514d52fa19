package report

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestChartWritesPNGAndSVG(t *testing.T) {
	c := Chart{
		Title: "test", XLabel: "x", YLabel: "y",
		Series: []Series{
			{Name: "a", X: []float64{0, 1, 2}, Y: []float64{0, 1, 4}},
			{Name: "gap", X: []float64{0, 1, 2}, Y: []float64{1, math.NaN(), 3}, Dashed: true},
			{Name: "pts", X: []float64{0, 2}, Y: []float64{2, 2}, Points: true},
		},
		HLines: []Reference{{Name: "threshold", Y: 1}},
	}
	base := filepath.Join(t.TempDir(), "c")
	if err := c.WriteFiles(base); err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile(base + ".png")
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("png missing or malformed: %v", err)
	}
	svg, err := os.ReadFile(base + ".svg")
	if err != nil || !strings.Contains(string(svg), "<svg") || !strings.Contains(string(svg), "threshold") {
		t.Fatalf("svg missing legend: %v", err)
	}
}

func TestChartRejectsRaggedSeries(t *testing.T) {
	c := Chart{Series: []Series{{Name: "bad", X: []float64{1, 2}, Y: []float64{1}}}}
	if err := c.RenderSVG(&bytes.Buffer{}); err == nil {
		t.Fatal("want error for ragged series")
	}
}
