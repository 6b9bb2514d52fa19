package report

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPanelsRenderAllCharts(t *testing.T) {
	mk := func(title string) Chart {
		return Chart{Title: title, XLabel: "x", YLabel: "y", Series: []Series{{Name: "s", X: []float64{0, 1, 2}, Y: []float64{1, 0, 2}}}}
	}
	p := Panels{Charts: []Chart{mk("first panel"), mk("second panel"), mk("third panel")}, Cols: 2, Width: 8, Height: 6}
	svg, err := p.SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"first panel", "second panel", "third panel"} {
		if !bytes.Contains(svg, []byte(title)) {
			t.Errorf("SVG lacks %q", title)
		}
	}
	var buf bytes.Buffer
	if err := p.RenderPNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// 8 x 6 cm at 150 dpi.
	if b := img.Bounds(); b.Dx() != 472 || b.Dy() != 354 {
		t.Errorf("PNG is %v, want 472 x 354", b)
	}
	base := filepath.Join(t.TempDir(), "fig")
	if err := p.WriteFiles(base); err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".png", ".svg"} {
		if st, err := os.Stat(base + ext); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", ext, err)
		}
	}
}

func TestPanelsErrors(t *testing.T) {
	if _, err := (Panels{}).SVG(); err == nil {
		t.Error("no charts: no error")
	}
	bad := Chart{Series: []Series{{Name: "ragged", X: []float64{1, 2}, Y: []float64{1}}}}
	if err := (Panels{Charts: []Chart{bad}}).RenderPNG(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "ragged") {
		t.Errorf("ragged series: %v", err)
	}
}
