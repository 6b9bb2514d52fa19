// Package report draws charts (PNG and SVG, with gonum/plot) and assembles
// self-contained HTML reports from them.
package report

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one named line of a chart. X and Y have equal length; NaN values
// break the line.
type Series struct {
	Name   string
	X, Y   []float64
	Dashed bool
	// Points draws markers instead of a line (for scatter plots).
	Points bool
}

// Chart is a line (or scatter) chart with a title, axis labels and a legend.
type Chart struct {
	Title          string
	XLabel, YLabel string
	Series         []Series
	// HLines draws horizontal reference lines (e.g. thresholds), labelled in the legend.
	HLines []Reference
	// Width and Height in centimetres; zero means 16 x 10.
	Width, Height float64
	// YMin/YMax fix the y range when YMin < YMax.
	YMin, YMax float64
}

// Reference is a labelled horizontal line.
type Reference struct {
	Name string
	Y    float64
}

// Palette is the colour cycle used for series, chosen to stay distinguishable
// for common colour-vision deficiencies.
var palette = []color.RGBA{
	{0, 114, 178, 255}, {230, 159, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255},
	{86, 180, 233, 255}, {213, 94, 0, 255}, {240, 228, 66, 255}, {0, 0, 0, 255},
	{120, 120, 120, 255}, {150, 75, 0, 255},
}

// SeriesColor returns the colour of the i-th series.
func SeriesColor(i int) color.Color { return palette[i%len(palette)] }

func (c Chart) build() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = c.Title
	p.X.Label.Text = c.XLabel
	p.Y.Label.Text = c.YLabel
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	for i, s := range c.Series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("chart %q: series %q has %d x values and %d y values", c.Title, s.Name, len(s.X), len(s.Y))
		}
		xys := make(plotter.XYs, 0, len(s.X))
		flush := func(first bool) error {
			if len(xys) == 0 {
				return nil
			}
			col := SeriesColor(i)
			if s.Points {
				sc, err := plotter.NewScatter(xys)
				if err != nil {
					return err
				}
				sc.GlyphStyle.Color = col
				sc.GlyphStyle.Radius = vg.Points(2)
				sc.GlyphStyle.Shape = draw.CircleGlyph{}
				p.Add(sc)
				if first {
					p.Legend.Add(s.Name, sc)
				}
			} else {
				l, err := plotter.NewLine(xys)
				if err != nil {
					return err
				}
				l.Color = col
				l.Width = vg.Points(1.5)
				if s.Dashed {
					l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
				}
				p.Add(l)
				if first {
					p.Legend.Add(s.Name, l)
				}
			}
			xys = xys[:0]
			return nil
		}
		first := true
		for k := range s.X {
			if math.IsNaN(s.Y[k]) || math.IsInf(s.Y[k], 0) || math.IsNaN(s.X[k]) {
				if len(xys) > 0 {
					if err := flush(first); err != nil {
						return nil, err
					}
					first = false
				}
				continue
			}
			xys = append(xys, plotter.XY{X: s.X[k], Y: s.Y[k]})
		}
		if err := flush(first); err != nil {
			return nil, err
		}
	}
	for k, r := range c.HLines {
		fn := plotter.NewFunction(func(float64) float64 { return r.Y })
		fn.Color = color.RGBA{100, 100, 100, 255}
		fn.Dashes = []vg.Length{vg.Points(2), vg.Points(2 + float64(k))}
		p.Add(fn)
		p.Legend.Add(r.Name, fn)
	}
	if c.YMin < c.YMax {
		p.Y.Min, p.Y.Max = c.YMin, c.YMax
	}
	return p, nil
}

func (c Chart) size() (vg.Length, vg.Length) {
	w, h := c.Width, c.Height
	if w <= 0 {
		w = 16
	}
	if h <= 0 {
		h = 10
	}
	return vg.Length(w) * vg.Centimeter, vg.Length(h) * vg.Centimeter
}

func (c Chart) dimensions() (vg.Length, vg.Length, error) {
	w, h := c.size()
	return w, h, nil
}

func (c Chart) draw(canvas vg.CanvasSizer) error {
	p, err := c.build()
	if err != nil {
		return err
	}
	p.Draw(draw.New(canvas))
	return nil
}

// RenderPNG writes the chart as PNG (150 dpi) to w.
func (c Chart) RenderPNG(w io.Writer) error { return renderPNG(c, w) }

// RenderSVG writes the chart as SVG to w.
func (c Chart) RenderSVG(w io.Writer) error { return renderSVG(c, w) }

// SVG returns the chart as an SVG document (for inlining into HTML).
func (c Chart) SVG() ([]byte, error) { return svgBytes(c) }

// WriteFiles writes base+".png" and base+".svg" atomically.
func (c Chart) WriteFiles(base string) error { return writeFiles(c, base) }
