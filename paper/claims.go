package paper

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Claim is one qualitative statement of the paper, checked on a Result.
type Claim struct {
	ID       string `json:"id"`
	Claim    string `json:"claim"`
	Holds    bool   `json:"holds"`
	Evidence string `json:"evidence"`
}

// material is the relative size below which a difference does not count as
// an effect (1%): equal runs differ by rounding noise, not by a cut.
const material = 0.01

// claims evaluates the paper's statements on this variant's numbers.
func (r *Result) claims() []Claim {
	var cs []Claim
	add := func(id, claim string, holds bool, format string, args ...any) {
		cs = append(cs, Claim{ID: id, Claim: claim, Holds: holds, Evidence: fmt.Sprintf(format, args...)})
	}
	f5, l5 := r.Fig3.DividendAt(5)
	add("cut_delta05", "Liquid alpha cuts the copier's dividend at t = 5 for delta 0.5 (paper: 0.0071 -> 0.0053)",
		(f5-l5)/f5 > material, "D_5^k %.5f -> %.5f (%+.1f%%)", f5, l5, 100*(l5-f5)/f5)

	f5b, l5b := r.Fig2.DividendAt(5)
	cut1, cut5 := (f5b-l5b)/f5b, (f5-l5)/f5
	add("small_cut_delta01", "For delta 0.1 the cut at t = 5 is small (paper: 6%), smaller than for delta 0.5",
		cut1 > material && cut1 < cut5, "cut %.1f%% for delta 0.1 vs %.1f%% for delta 0.5", 100*cut1, 100*cut5)

	last := min(18, len(r.Fig3.Rows)-1)
	minH := r.Fig3.minAmp(1, last)
	add("h_above_one_delta05", fmt.Sprintf("For delta 0.5 liquid alpha amplifies the penalty in every round 1..%d (H_t > 1)", last),
		minH > 1+material, "min H_t over rounds 1..%d = %.2f (last round of the first stretch with H_t > 1: %s)", last, minH, roundText(r.Fig3.LastAboveOne()))

	below := r.Fig2.FirstBelowOne(1)
	minH2 := r.Fig2.minAmp(1, len(r.Fig2.Rows)-1)
	add("h_below_one_delta01", "For delta 0.1 the amplification turns into a reduction in later rounds (H_t < 1: liquid alpha helps the copier)",
		below >= 0 && minH2 < 1-material, "first round with H_t < 1: %s; min H_t = %.2f", roundText(below), minH2)

	mono, pos, worst := r.fig1Shape()
	add("fig1_monotone", "Fig. 1: the penalty G is positive and increases with the jump delta, for every rho",
		mono && pos, "positive in every cell with delta > 0: %v; non-decreasing in delta: %v%s", pos, mono, worst)

	fix4, a4, best4 := r.Fig4Best(0.4)
	add("fig4_gain_delta04", "Fig. 4: for delta 0.4 a well-chosen alpha_low raises G well above the fixed EMA (paper: +69%, 0.0012 -> 0.0020)",
		best4 > fix4*1.2, "G %.5f -> %.5f at alpha_low %.1f (%+.0f%%)", fix4, best4, a4, 100*(best4-fix4)/fix4)

	_, a1, best1 := r.Fig4Best(0.1)
	add("fig4_optimum_delta01", "Fig. 4: for delta 0.1 the best alpha_low is 0.7, not the lowest value",
		math.Abs(a1-0.7) < 1e-9, "best alpha_low %.1f (G %.5f)", a1, best1)

	same, total := r.fig5Symmetry()
	add("fig5_symmetry", "Fig. 5: the best alpha_low at (rho, rho + delta) = (x, y) equals the one at (0.5 - x, 0.5 - y)",
		total > 0 && same == total, "%d of %d mirrored cell pairs agree", same, total)
	return cs
}

func roundText(t int) string {
	if t < 0 {
		return "none"
	}
	return fmt.Sprintf("t = %d", t)
}

func (d Dynamics) minAmp(from, to int) float64 {
	m := math.Inf(1)
	for _, r := range d.Rows {
		if r.T >= from && r.T <= to && !math.IsNaN(r.Amplification) {
			m = math.Min(m, r.Amplification)
		}
	}
	return m
}

// fig1Shape checks Fig. 1: G > 0 for delta > 0 and G non-decreasing in delta
// for each rho (with a tolerance of 1e-9 for rounding).
func (r *Result) fig1Shape() (monotone, positive bool, worst string) {
	monotone, positive = true, true
	for i, c := range r.Fig1 {
		if c.Delta > 0 && c.Penalty <= 0 {
			if positive {
				worst += fmt.Sprintf("; G = %.2g at rho %g delta %g", c.Penalty, c.Rho, c.Delta)
			}
			positive = false
		}
		if i > 0 && r.Fig1[i-1].Rho == c.Rho && c.Penalty < r.Fig1[i-1].Penalty-1e-9 {
			if monotone {
				worst += fmt.Sprintf("; G falls from %.5f to %.5f at rho %g delta %g", r.Fig1[i-1].Penalty, c.Penalty, c.Rho, c.Delta)
			}
			monotone = false
		}
	}
	return monotone, positive, worst
}

// fig5Symmetry counts off-diagonal cells whose best alpha_low equals that of
// the mirrored cell (0.5 - x, 0.5 - y).
func (r *Result) fig5Symmetry() (same, total int) {
	type key struct{ x, y int64 }
	k := func(x, y float64) key { return key{int64(math.Round(x * 1e6)), int64(math.Round(y * 1e6))} }
	best := make(map[key]float64, len(r.Fig5))
	for _, c := range r.Fig5 {
		best[k(c.Rho, c.RhoPlusDelta)] = c.BestAlphaLow
	}
	for _, c := range r.Fig5 {
		if math.IsNaN(c.BestAlphaLow) {
			continue
		}
		m, ok := best[k(0.5-c.Rho, 0.5-c.RhoPlusDelta)]
		if !ok {
			continue
		}
		total++
		if m == c.BestAlphaLow {
			same++
		}
	}
	return same, total
}

// ClaimsTable renders the claims of one or more variants as a markdown table:
// one row per claim, one column per variant ("holds" / "fails" with the
// evidence).
func ClaimsTable(results []*Result) string {
	if len(results) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| claim of the paper |")
	for _, r := range results {
		fmt.Fprintf(&b, " %s |", r.Variant)
	}
	b.WriteString("\n|---|")
	for range results {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for i, c := range results[0].Claims {
		fmt.Fprintf(&b, "| %s |", c.Claim)
		for _, r := range results {
			if i >= len(r.Claims) {
				b.WriteString(" |")
				continue
			}
			verdict := "fails"
			if r.Claims[i].Holds {
				verdict = "holds"
			}
			fmt.Fprintf(&b, " **%s**: %s |", verdict, r.Claims[i].Evidence)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// HeadlineTable renders the headline numbers as a markdown table.
func (r *Result) HeadlineTable() string {
	var b strings.Builder
	b.WriteString("| headline | paper | reproduced | match |\n|---|---|---|---|\n")
	for _, h := range r.Headlines {
		m := "no"
		if h.Match {
			m = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", h.Description, strconv.FormatFloat(h.Paper, 'g', -1, 64), fmtNum(h.Reproduced), m)
	}
	return b.String()
}

// fmtNum prints a number with up to 5 significant decimals.
func fmtNum(x float64) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case x == math.Trunc(x) && math.Abs(x) < 1e6:
		return fmt.Sprintf("%.0f", x)
	case math.Abs(x) < 0.1:
		return fmt.Sprintf("%.5f", x)
	default:
		return fmt.Sprintf("%.2f", x)
	}
}

// LagTable renders the lag sweep's thresholds as a markdown table: per copier
// stake share, the smallest lag at which the copier's relative dividend rate
// drops below 1 and below 1 - take, without and with liquid alpha, and the
// rates at the paper's lag of 5.
func (r *Result) LagTable() string {
	var b strings.Builder
	take := 1 - r.Settings.Take
	fmt.Fprintf(&b, "| copier stake | rate < 1 from lag (fixed / liquid) | rate < %.2f from lag (fixed / liquid) | rate at lag 5 (fixed / liquid) |\n|---|---|---|---|\n", take)
	lag := func(l int) string {
		if l == 0 {
			return fmt.Sprintf("> %d", r.Settings.MaxLag)
		}
		return strconv.Itoa(l)
	}
	for _, th := range r.LagThresholds() {
		fmt.Fprintf(&b, "| %g%% | %s / %s | %s / %s | %s / %s |\n", 100*th.CopierStake,
			lag(th.FixedBelowOne), lag(th.LiquidBelowOne), lag(th.FixedBelowTake), lag(th.LiquidBelowTake),
			fmtRate(th.RateFixedAtPaperLag), fmtRate(th.RateLiquidAtPaperLag))
	}
	return b.String()
}

func fmtRate(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", x)
}
