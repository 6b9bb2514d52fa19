package paper

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/yuma-go/yuma/internal/atomicfile"
)

// fig23Header is the exact header of fig2.csv and fig3.csv.
var fig23Header = []string{"t", "weight_honest_A", "weight_copier_A", "dividend_copier_fixed",
	"dividend_copier_liquid", "penalty_fixed", "penalty_liquid", "amplification"}

// num formats a float for CSV: shortest round-trip form, "NaN" for NaN.
func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func writeCSV(path string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(header); err != nil {
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, buf.Bytes()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// csvRows returns the rows of fig2.csv or fig3.csv (without the header).
func (d Dynamics) csvRows() [][]string {
	rows := make([][]string, len(d.Rows))
	for i, r := range d.Rows {
		rows[i] = []string{strconv.Itoa(r.T), num(r.WeightHonestA), num(r.WeightCopierA),
			num(r.DividendCopierFixed), num(r.DividendCopierLiquid), num(r.PenaltyFixed),
			num(r.PenaltyLiquid), num(r.Amplification)}
	}
	return rows
}

// Summary is the content of summary.json.
type Summary struct {
	Paper     string     `json:"paper"`
	Variant   Variant    `json:"variant"`
	Rules     string     `json:"rules"`
	Settings  Settings   `json:"settings"`
	Headlines []Headline `json:"headlines"`
	Claims    []Claim    `json:"claims"`
	// LagSweep gives, per copier stake share, the smallest lag at which the
	// copier's relative dividend rate falls below 1 and below 1 - take (0 when
	// it never does within 1..max lag).
	LagSweep []LagThreshold `json:"lag_sweep"`
	// LongTerm holds the discounted penalties Gamma(j,k) of Figs. 2 and 3.
	LongTerm []Dynamics `json:"long_term_penalty"`
}

// LagThreshold is where copying stops paying for one copier stake share.
type LagThreshold struct {
	CopierStake          float64 `json:"copier_stake"`
	FixedBelowOne        int     `json:"fixed_lag_rate_below_1"`
	FixedBelowTake       int     `json:"fixed_lag_rate_below_1_minus_take"`
	LiquidBelowOne       int     `json:"liquid_lag_rate_below_1"`
	LiquidBelowTake      int     `json:"liquid_lag_rate_below_1_minus_take"`
	RateFixedAtPaperLag  float64 `json:"rate_fixed_at_lag_5"`
	RateLiquidAtPaperLag float64 `json:"rate_liquid_at_lag_5"`
}

// LagThresholds summarises the lag sweep per copier stake share.
func (r *Result) LagThresholds() []LagThreshold {
	out := make([]LagThreshold, 0, len(r.Settings.CopierStakes))
	for _, share := range r.Settings.CopierStakes {
		th := LagThreshold{CopierStake: share, RateFixedAtPaperLag: math.NaN(), RateLiquidAtPaperLag: math.NaN()}
		for _, c := range r.Lag {
			if c.CopierStake != share {
				continue
			}
			if th.FixedBelowOne == 0 && c.RateFixed < 1 {
				th.FixedBelowOne = c.Lag
			}
			if th.FixedBelowTake == 0 && c.RateFixed < 1-r.Settings.Take {
				th.FixedBelowTake = c.Lag
			}
			if th.LiquidBelowOne == 0 && c.RateLiquid < 1 {
				th.LiquidBelowOne = c.Lag
			}
			if th.LiquidBelowTake == 0 && c.RateLiquid < 1-r.Settings.Take {
				th.LiquidBelowTake = c.Lag
			}
			if c.Lag == 5 {
				th.RateFixedAtPaperLag, th.RateLiquidAtPaperLag = c.RateFixed, c.RateLiquid
			}
		}
		out = append(out, th)
	}
	return out
}

// Summary returns the content of summary.json.
func (r *Result) Summary() Summary {
	return Summary{
		Paper:     "Amplifying the Weight-copying Penalty in Bittensor (Opentensor working paper, June 2024), section 4.1",
		Variant:   r.Variant,
		Rules:     r.Variant.Describe(),
		Settings:  r.Settings,
		Headlines: r.Headlines,
		Claims:    r.Claims,
		LagSweep:  r.LagThresholds(),
		LongTerm:  []Dynamics{r.Fig2, r.Fig3},
	}
}

// MarshalSummary returns summary.json's bytes. NaN values (which JSON cannot
// carry) are written as null.
func (r *Result) MarshalSummary() ([]byte, error) {
	s := r.Summary()
	for i := range s.LagSweep {
		// A paper lag outside the sweep leaves NaN; encode as 0 rather than fail.
		if math.IsNaN(s.LagSweep[i].RateFixedAtPaperLag) {
			s.LagSweep[i].RateFixedAtPaperLag = 0
		}
		if math.IsNaN(s.LagSweep[i].RateLiquidAtPaperLag) {
			s.LagSweep[i].RateLiquidAtPaperLag = 0
		}
	}
	for i := range s.Headlines {
		if math.IsNaN(s.Headlines[i].Reproduced) || math.IsInf(s.Headlines[i].Reproduced, 0) {
			s.Headlines[i].Reproduced = 0
			s.Headlines[i].Match = false
			s.Headlines[i].Note += " (not computable with these options)"
		}
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("summary.json: %w", err)
	}
	return append(b, '\n'), nil
}

// Write writes every output into dir (created if needed): fig1..fig5 and
// lag_sweep as CSV, PNG and SVG, summary.json and claims.md.
func (r *Result) Write(dir string) error { return r.write(dir, true) }

// write writes the outputs; withPNG false skips the PNG files (rasterising is
// slow under the race detector, so race-enabled tests check the SVGs only).
func (r *Result) write(dir string, withPNG bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("paper output: %w", err)
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	if err := writeCSV(p("fig2.csv"), fig23Header, r.Fig2.csvRows()); err != nil {
		return err
	}
	if err := writeCSV(p("fig3.csv"), fig23Header, r.Fig3.csvRows()); err != nil {
		return err
	}
	var rows [][]string
	for _, c := range r.Fig1 {
		rows = append(rows, []string{num(c.Rho), num(c.Delta), num(c.Penalty)})
	}
	if err := writeCSV(p("fig1.csv"), []string{"rho", "delta", "penalty"}, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, c := range r.Fig4 {
		rows = append(rows, []string{num(c.Delta), num(c.AlphaLow), num(c.Penalty)})
	}
	if err := writeCSV(p("fig4.csv"), []string{"delta", "alpha_low", "penalty"}, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, c := range r.Fig5 {
		rows = append(rows, []string{num(c.Rho), num(c.RhoPlusDelta), num(c.BestAlphaLow)})
	}
	if err := writeCSV(p("fig5.csv"), []string{"rho", "rho_plus_delta", "best_alpha_low"}, rows); err != nil {
		return err
	}
	rows = rows[:0]
	for _, c := range r.Lag {
		rows = append(rows, []string{strconv.Itoa(c.Lag), num(c.CopierStake), num(c.RateFixed), num(c.RateLiquid),
			num(c.PenaltyFixed), num(c.PenaltyLiquid)})
	}
	if err := writeCSV(p("lag_sweep.csv"), []string{"lag", "copier_stake", "rate_fixed", "rate_liquid",
		"relative_penalty_fixed", "relative_penalty_liquid"}, rows); err != nil {
		return err
	}
	for _, f := range r.figures() {
		var err error
		if withPNG {
			err = f.fig.WriteFiles(p(f.stem))
		} else {
			err = atomicfile.Write(p(f.stem)+".svg", func(w io.Writer) error {
				svg, err := f.fig.SVG()
				if err != nil {
					return err
				}
				_, err = w.Write(svg)
				return err
			})
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.stem, err)
		}
	}
	js, err := r.MarshalSummary()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(p("summary.json"), js); err != nil {
		return fmt.Errorf("summary.json: %w", err)
	}
	md := "# " + string(r.Variant) + ": " + r.Variant.Describe() + "\n\n" + r.HeadlineTable() + "\n" + ClaimsTable([]*Result{r}) +
		"\n## Lag sweep: where copying stops paying\n\n" + r.LagTable()
	if err := atomicfile.WriteFile(p("claims.md"), []byte(md)); err != nil {
		return fmt.Errorf("claims.md: %w", err)
	}
	return nil
}
