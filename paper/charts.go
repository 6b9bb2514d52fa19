package paper

import (
	"fmt"
	"math"

	"github.com/yuma-go/yuma/report"
)

// figure is anything that renders to PNG/SVG (a report.Chart or report.Panels).
type figure interface {
	WriteFiles(base string) error
	SVG() ([]byte, error)
}

// namedFigure is one figure with its file stem and caption.
type namedFigure struct {
	stem, caption string
	fig           figure
}

func (r *Result) figures() []namedFigure {
	return []namedFigure{
		{"fig1", "Fig. 1: immediate weight-copying penalty G (20-round mean) over the initial signal rho and the jump delta of miner A, liquid alpha on.", r.fig1Chart()},
		{"fig2", "Fig. 2: dynamics for delta 0.1 (rho 0): weights on miner A, the copier's dividend share, the penalty with and without liquid alpha, and the amplification H.", r.Fig2.panels(r.Settings)},
		{"fig3", "Fig. 3: the same for delta 0.5.", r.Fig3.panels(r.Settings)},
		{"fig4", "Fig. 4: mean penalty G against alpha_low for each jump delta (rho 0); alpha_low = alpha_high = 0.9 is liquid alpha switched off.", r.fig4Chart()},
		{"fig5", "Fig. 5: the alpha_low that maximises G, over (rho, rho + delta), alpha_high 0.9.", r.fig5Chart()},
		{"lag_sweep", "Lag sweep: the copier's dividend per stake relative to the honest validator, against its lag, for several stake shares.", r.lagChart()},
	}
}

func (d Dynamics) panels(s Settings) report.Panels {
	n := len(d.Rows)
	t := make([]float64, n)
	col := func(f func(DynamicsRow) float64) []float64 {
		out := make([]float64, n)
		for i, r := range d.Rows {
			out[i] = f(r)
		}
		return out
	}
	for i := range t {
		t[i] = float64(i)
	}
	head := fmt.Sprintf("rho = 0.00, delta = %.2f", d.Delta)
	return report.Panels{Cols: 2, Charts: []report.Chart{
		{Title: "Weight on miner A | " + head, XLabel: "round t", YLabel: "weight", YMin: 0, YMax: 0.7,
			Series: []report.Series{
				{Name: "honest j (= consensus)", X: t, Y: col(func(r DynamicsRow) float64 { return r.WeightHonestA })},
				{Name: fmt.Sprintf("copier k (lag %d)", s.Lag), X: t, Y: col(func(r DynamicsRow) float64 { return r.WeightCopierA }), Dashed: true},
			}},
		{Title: "Copier's dividend share D_t^k", XLabel: "round t", YLabel: "dividend share",
			Series: []report.Series{
				{Name: "without liquid alpha", X: t, Y: col(func(r DynamicsRow) float64 { return r.DividendCopierFixed })},
				{Name: fmt.Sprintf("with liquid alpha (alpha_low %.1f)", s.AlphaLow), X: t, Y: col(func(r DynamicsRow) float64 { return r.DividendCopierLiquid })},
			}},
		{Title: "Weight-copying penalty G_t(j,k)", XLabel: "round t", YLabel: "D^j - D^k",
			Series: []report.Series{
				{Name: "without liquid alpha", X: t, Y: col(func(r DynamicsRow) float64 { return r.PenaltyFixed })},
				{Name: "with liquid alpha", X: t, Y: col(func(r DynamicsRow) float64 { return r.PenaltyLiquid })},
			}},
		{Title: "Amplification H_t", XLabel: "round t", YLabel: "H = G(liquid) / G(fixed)",
			Series: []report.Series{{Name: "H_t", X: t, Y: col(func(r DynamicsRow) float64 { return r.Amplification }), Points: true}},
			HLines: []report.Reference{{Name: "H = 1", Y: 1}}},
	}}
}

// tenths reports whether x is a multiple of 0.1 (the values drawn as lines).
func tenths(x float64) bool { return math.Abs(x*10-math.Round(x*10)) < 1e-6 }

// heat arranges cells (rho, x, value) on the rho x x grid of a heat map.
func heat(rhos, xs []float64, cells func(yield func(rho, x, z float64))) [][]float64 {
	idx := func(axis []float64, v float64) int {
		for i, a := range axis {
			if math.Abs(a-v) < 1e-9 {
				return i
			}
		}
		return -1
	}
	z := make([][]float64, len(rhos))
	for i := range z {
		z[i] = make([]float64, len(xs))
		for k := range z[i] {
			z[i][k] = math.NaN()
		}
	}
	cells(func(rho, x, v float64) {
		if i, k := idx(rhos, rho), idx(xs, x); i >= 0 && k >= 0 {
			z[i][k] = v
		}
	})
	return z
}

// cellLabels returns format when the grid is coarse enough (at most 21 cells
// a side) for a value printed in every cell to stay legible, else "".
func cellLabels(axis []float64, format string) string {
	if len(axis) > 21 {
		return ""
	}
	return format
}

func (r *Result) fig1Chart() report.HeatMap {
	axis := grid(0, 0.5, r.Settings.Step)
	return report.HeatMap{
		Title:  fmt.Sprintf("Difference in dividend vs change in weight (Fig. 1), alpha_low %.1f", r.Settings.AlphaLow),
		XLabel: "jump delta of miner A", YLabel: "initial signal rho of miner A", ZLabel: "mean G = D^j - D^k",
		X: axis, Y: axis, LabelFormat: cellLabels(axis, "%.4f"), Width: 20, Height: 14,
		Z: heat(axis, axis, func(yield func(rho, x, z float64)) {
			for _, c := range r.Fig1 {
				yield(c.Rho, c.Delta, c.Penalty)
			}
		}),
	}
}

func (r *Result) fig4Chart() report.Panels {
	c := report.Chart{Title: fmt.Sprintf("Penalty vs alpha_low, rho = 0, alpha_high = %.1f (Fig. 4)", r.Settings.AlphaHigh),
		XLabel: "alpha_low", YLabel: "mean G"}
	best := report.Chart{Title: "Optimal alpha_low vs signal jump delta (rho = 0)", XLabel: "jump delta of miner A", YLabel: "best alpha_low",
		YMin: 0, YMax: 1}
	opt := report.Series{Name: "alpha_low maximising mean G", Points: true}
	for _, f := range r.Fig4Fixed {
		if f.Delta == 0 {
			continue
		}
		_, a, _ := r.Fig4Best(f.Delta)
		opt.X = append(opt.X, f.Delta)
		opt.Y = append(opt.Y, a)
		if !tenths(f.Delta) {
			continue
		}
		s := report.Series{Name: fmt.Sprintf("delta = %.1f", f.Delta)}
		for _, cell := range r.Fig4 {
			if cell.Delta == f.Delta {
				s.X = append(s.X, cell.AlphaLow)
				s.Y = append(s.Y, cell.Penalty)
			}
		}
		c.Series = append(c.Series, s)
	}
	best.Series = []report.Series{opt}
	return report.Panels{Cols: 2, Charts: []report.Chart{c, best}}
}

func (r *Result) fig5Chart() report.HeatMap {
	axis := grid(0, 0.5, r.Settings.Step)
	return report.HeatMap{
		Title:  fmt.Sprintf("Optimal alpha_low, alpha_high = %.1f (Fig. 5)", r.Settings.AlphaHigh),
		XLabel: "rho + delta (final signal of miner A)", YLabel: "rho (initial signal of miner A)", ZLabel: "best alpha_low",
		X: axis, Y: axis, LabelFormat: cellLabels(axis, "%.1f"), Width: 18, Height: 14,
		Z: heat(axis, axis, func(yield func(rho, x, z float64)) {
			for _, c := range r.Fig5 {
				yield(c.Rho, c.RhoPlusDelta, c.BestAlphaLow)
			}
		}),
	}
}

func (r *Result) lagChart() report.Panels {
	lo := 1 - r.Settings.Take
	for _, cell := range r.Lag {
		lo = math.Min(lo, math.Min(cell.RateFixed, cell.RateLiquid))
	}
	mk := func(title string, rate func(LagCell) float64) report.Chart {
		c := report.Chart{Title: title, XLabel: "copier's lag (rounds)", YLabel: "copier D/S over honest D/S",
			YMin: math.Floor(lo*20-0.5) / 20, YMax: 1.05, Height: 14,
			HLines: []report.Reference{{Name: "1: nominators prefer honest below", Y: 1},
				{Name: fmt.Sprintf("1 - take (%.2f): copying stops paying below", 1-r.Settings.Take), Y: 1 - r.Settings.Take}}}
		for _, share := range r.Settings.CopierStakes {
			s := report.Series{Name: fmt.Sprintf("copier stake %g%%", 100*share)}
			for _, cell := range r.Lag {
				if cell.CopierStake == share {
					s.X = append(s.X, float64(cell.Lag))
					s.Y = append(s.Y, rate(cell))
				}
			}
			c.Series = append(c.Series, s)
		}
		return c
	}
	head := fmt.Sprintf(" | %s, delta %.1f, %d rounds", r.Variant, r.Settings.SweepDelta, r.Settings.SweepRounds)
	return report.Panels{Cols: 2, Height: 14, Charts: []report.Chart{
		mk("Fixed bond EMA"+head, func(c LagCell) float64 { return c.RateFixed }),
		mk("Liquid alpha"+head, func(c LagCell) float64 { return c.RateLiquid }),
	}}
}
