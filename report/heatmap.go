package report

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatMap is a grid of coloured cells with a colour bar, for values over two
// parameters (for example a penalty over rho and delta).
type HeatMap struct {
	Title, XLabel, YLabel string
	// ZLabel names the colour bar.
	ZLabel string
	// X and Y are the cell centres, strictly increasing and evenly spaced.
	X, Y []float64
	// Z[i][k] is the value at (X[k], Y[i]); NaN leaves the cell blank.
	Z [][]float64
	// LabelFormat, when not empty, prints each cell's value with this fmt
	// verb (e.g. "%.1f").
	LabelFormat string
	// Width and Height in centimetres; zero means 16 x 12.
	Width, Height float64
}

// heatGrid adapts a HeatMap to plotter.GridXYZ.
type heatGrid struct{ h *HeatMap }

func (g heatGrid) Dims() (c, r int)   { return len(g.h.X), len(g.h.Y) }
func (g heatGrid) Z(c, r int) float64 { return g.h.Z[r][c] }
func (g heatGrid) X(c int) float64    { return g.h.X[c] }
func (g heatGrid) Y(r int) float64    { return g.h.Y[r] }
func (h *HeatMap) zRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range h.Z {
		for _, z := range row {
			if !math.IsNaN(z) && !math.IsInf(z, 0) {
				lo, hi = math.Min(lo, z), math.Max(hi, z)
			}
		}
	}
	if lo > hi { // no finite value
		return 0, 1
	}
	if lo == hi {
		d := math.Max(math.Abs(lo)*0.01, 1e-12)
		return lo - d, hi + d
	}
	return lo, hi
}

func (h *HeatMap) check() error {
	if len(h.X) == 0 || len(h.Y) == 0 {
		return fmt.Errorf("heat map %q: empty axes", h.Title)
	}
	if len(h.Z) != len(h.Y) {
		return fmt.Errorf("heat map %q: %d rows of values for %d y values", h.Title, len(h.Z), len(h.Y))
	}
	for i, row := range h.Z {
		if len(row) != len(h.X) {
			return fmt.Errorf("heat map %q: row %d has %d values for %d x values", h.Title, i, len(row), len(h.X))
		}
	}
	for _, axis := range [][]float64{h.X, h.Y} {
		for k := 1; k < len(axis); k++ {
			if !(axis[k] > axis[k-1]) {
				return fmt.Errorf("heat map %q: axis values must increase", h.Title)
			}
		}
	}
	return nil
}

func (h HeatMap) build() (main, bar *plot.Plot, err error) {
	if err := h.check(); err != nil {
		return nil, nil, err
	}
	lo, hi := h.zRange()
	cmap := moreland.SmoothBlueRed()
	cmap.SetMin(lo)
	cmap.SetMax(hi)

	main = plot.New()
	main.Title.Text = h.Title
	main.X.Label.Text = h.XLabel
	main.Y.Label.Text = h.YLabel
	hm := plotter.NewHeatMap(heatGrid{&h}, cmap.Palette(255))
	hm.Min, hm.Max = lo, hi
	hm.NaN = color.White
	main.Add(hm)
	if h.LabelFormat != "" {
		var xys plotter.XYs
		var labels []string
		for i, row := range h.Z {
			for k, z := range row {
				if math.IsNaN(z) {
					continue
				}
				xys = append(xys, plotter.XY{X: h.X[k], Y: h.Y[i]})
				labels = append(labels, fmt.Sprintf(h.LabelFormat, z))
			}
		}
		if len(xys) > 0 {
			l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
			if err != nil {
				return nil, nil, err
			}
			for i := range l.TextStyle {
				l.TextStyle[i].XAlign = text.XCenter
				l.TextStyle[i].YAlign = text.YCenter
				l.TextStyle[i].Font.Size = vg.Points(7)
			}
			main.Add(l)
		}
	}

	bar = plot.New()
	bar.Add(&plotter.ColorBar{ColorMap: cmap, Vertical: true})
	bar.HideX()
	bar.Y.Label.Text = h.ZLabel
	bar.Y.Min, bar.Y.Max = lo, hi
	return main, bar, nil
}

func (h HeatMap) size() (vg.Length, vg.Length) {
	w, ht := h.Width, h.Height
	if w <= 0 {
		w = 16
	}
	if ht <= 0 {
		ht = 12
	}
	return vg.Length(w) * vg.Centimeter, vg.Length(ht) * vg.Centimeter
}

func (h HeatMap) draw(c vg.CanvasSizer) error {
	main, bar, err := h.build()
	if err != nil {
		return err
	}
	dc := draw.New(c)
	split := dc.Min.X + (dc.Max.X-dc.Min.X)*0.82
	left, right := dc, dc
	left.Max.X = split
	right.Min.X = split + vg.Millimeter*3
	right.Max.X -= vg.Millimeter * 2
	main.Draw(left)
	// Leave room for the main plot's title and x axis so the bar lines up.
	right.Max.Y -= vg.Millimeter * 7
	right.Min.Y += vg.Millimeter * 12
	bar.Draw(right)
	return nil
}

func (h HeatMap) dimensions() (vg.Length, vg.Length, error) {
	w, ht := h.size()
	return w, ht, nil
}

// RenderPNG writes the heat map as PNG (150 dpi) to w.
func (h HeatMap) RenderPNG(w io.Writer) error { return renderPNG(h, w) }

// RenderSVG writes the heat map as SVG to w.
func (h HeatMap) RenderSVG(w io.Writer) error { return renderSVG(h, w) }

// SVG returns the heat map as an SVG document (for inlining into HTML).
func (h HeatMap) SVG() ([]byte, error) { return svgBytes(h) }

// WriteFiles writes base+".png" and base+".svg" atomically.
func (h HeatMap) WriteFiles(base string) error { return writeFiles(h, base) }
