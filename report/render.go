package report

import (
	"bytes"
	"io"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/yuma-go/yuma/internal/atomicfile"
)

// figure is what every figure kind (Chart, HeatMap, Panels) provides: its
// size and a way to draw itself on a canvas. The output formats below are
// written once for all of them.
type figure interface {
	dimensions() (w, h vg.Length, err error)
	draw(c vg.CanvasSizer) error
}

// renderPNG writes f as PNG (150 dpi) to w.
func renderPNG(f figure, w io.Writer) error {
	width, height, err := f.dimensions()
	if err != nil {
		return err
	}
	canvas := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(150))}
	if err := f.draw(canvas); err != nil {
		return err
	}
	_, err = canvas.WriteTo(w)
	return err
}

// renderSVG writes f as an SVG document to w.
func renderSVG(f figure, w io.Writer) error {
	width, height, err := f.dimensions()
	if err != nil {
		return err
	}
	canvas := vgsvg.New(width, height)
	if err := f.draw(canvas); err != nil {
		return err
	}
	_, err = canvas.WriteTo(w)
	return err
}

// svgBytes returns f as an SVG document (for inlining into HTML).
func svgBytes(f figure) ([]byte, error) {
	var buf bytes.Buffer
	if err := renderSVG(f, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeFiles writes base+".png" and base+".svg" atomically.
func writeFiles(f figure, base string) error {
	if err := atomicfile.Write(base+".png", func(w io.Writer) error { return renderPNG(f, w) }); err != nil {
		return err
	}
	return atomicfile.Write(base+".svg", func(w io.Writer) error { return renderSVG(f, w) })
}
