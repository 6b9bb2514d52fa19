package report

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Panels lays several charts out in one image, row by row, like the
// sub-figures of a paper's figure.
type Panels struct {
	Charts []Chart
	// Cols is the number of charts per row; zero means 2.
	Cols int
	// Width and Height of the whole image in centimetres; zero means 16 cm per
	// column and 10 cm per row.
	Width, Height float64
}

func (p Panels) layout() (rows, cols int, w, h vg.Length, err error) {
	if len(p.Charts) == 0 {
		return 0, 0, 0, 0, fmt.Errorf("panels: no charts")
	}
	cols = p.Cols
	if cols <= 0 {
		cols = 2
	}
	cols = min(cols, len(p.Charts))
	rows = (len(p.Charts) + cols - 1) / cols
	wc, hc := p.Width, p.Height
	if wc <= 0 {
		wc = 16 * float64(cols)
	}
	if hc <= 0 {
		hc = 10 * float64(rows)
	}
	return rows, cols, vg.Length(wc) * vg.Centimeter, vg.Length(hc) * vg.Centimeter, nil
}

func (p Panels) draw(c vg.CanvasSizer) error {
	rows, cols, _, _, err := p.layout()
	if err != nil {
		return err
	}
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
	}
	for i, ch := range p.Charts {
		pl, err := ch.build()
		if err != nil {
			return err
		}
		grid[i/cols][i%cols] = pl
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(grid, tiles, draw.New(c))
	for r := range grid {
		for k, pl := range grid[r] {
			if pl != nil {
				pl.Draw(canvases[r][k])
			}
		}
	}
	return nil
}

func (p Panels) dimensions() (vg.Length, vg.Length, error) {
	_, _, w, h, err := p.layout()
	return w, h, err
}

// RenderPNG writes the panels as PNG (150 dpi) to w.
func (p Panels) RenderPNG(w io.Writer) error { return renderPNG(p, w) }

// RenderSVG writes the panels as SVG to w.
func (p Panels) RenderSVG(w io.Writer) error { return renderSVG(p, w) }

// SVG returns the panels as an SVG document (for inlining into HTML).
func (p Panels) SVG() ([]byte, error) { return svgBytes(p) }

// WriteFiles writes base+".png" and base+".svg" atomically.
func (p Panels) WriteFiles(base string) error { return writeFiles(p, base) }
