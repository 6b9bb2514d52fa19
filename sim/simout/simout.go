// Package simout turns a simulation result (sim.Result) into files: the long
// series.csv of every variant, summary.json, and the charts (PNG and SVG).
// The web dashboard uses the same SummaryOf and Charts functions, so files and
// pages never disagree.
package simout

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"

	"golang.org/x/sync/errgroup"

	"github.com/yuma-go/yuma/internal/atomicfile"
	"github.com/yuma-go/yuma/report"
	"github.com/yuma-go/yuma/sim"
)

// CSVHeader is the first line of series.csv.
const CSVHeader = "epoch,entity,kind,metric,value"

// WriteCSV writes one variant's series in long format, one line per
// (epoch, entity, metric). Validators (kind "validator") have the metrics
// stake, dividend, dividend_per_stake, validator_trust, weight:<miner> and
// bond:<miner>; miners (kind "miner") have signal, consensus and incentive.
func WriteCSV(w io.Writer, res *sim.Result, rr *sim.RunResult) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	nv, nm := len(res.Validators), len(res.Miners)
	vNames := make([]string, nv)
	for i, n := range res.Validators {
		vNames[i] = csvField(n)
	}
	mNames := make([]string, nm)
	weightKey := make([]string, nm)
	bondKey := make([]string, nm)
	for j, n := range res.Miners {
		mNames[j] = csvField(n)
		weightKey[j] = csvField("weight:" + n)
		bondKey[j] = csvField("bond:" + n)
	}
	var buf []byte
	line := func(t int, entity, kind, metric string, v float64) {
		buf = buf[:0]
		buf = strconv.AppendInt(buf, int64(t), 10)
		buf = append(buf, ',')
		buf = append(buf, entity...)
		buf = append(buf, ',')
		buf = append(buf, kind...)
		buf = append(buf, ',')
		buf = append(buf, metric...)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
		buf = append(buf, '\n')
		_, _ = bw.Write(buf)
	}
	_, _ = bw.WriteString(CSVHeader + "\n")
	for t := 0; t < res.Epochs; t++ {
		for i := 0; i < nv; i++ {
			k := t*nv + i
			line(t, vNames[i], "validator", "stake", res.Stake[k])
			line(t, vNames[i], "validator", "dividend", rr.Dividends[k])
			line(t, vNames[i], "validator", "dividend_per_stake", rr.DividendPerStake[k])
			line(t, vNames[i], "validator", "validator_trust", rr.ValidatorTrust[k])
			for j := 0; j < nm; j++ {
				line(t, vNames[i], "validator", weightKey[j], rr.Weights[k*nm+j])
			}
			for j := 0; j < nm; j++ {
				line(t, vNames[i], "validator", bondKey[j], rr.Bonds[k*nm+j])
			}
		}
		for j := 0; j < nm; j++ {
			k := t*nm + j
			line(t, mNames[j], "miner", "signal", res.Signal[k])
			line(t, mNames[j], "miner", "consensus", rr.Consensus[k])
			line(t, mNames[j], "miner", "incentive", rr.Incentive[k])
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write series: %w", err)
	}
	return nil
}

// csvField quotes s when it holds a comma, quote or line break (RFC 4180).
func csvField(s string) string {
	for _, r := range s {
		if r == ',' || r == '"' || r == '\n' || r == '\r' {
			q := []byte{'"'}
			for _, c := range []byte(s) {
				if c == '"' {
					q = append(q, '"')
				}
				q = append(q, c)
			}
			return string(append(q, '"'))
		}
	}
	return s
}

// Summary is the content of summary.json.
type Summary struct {
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
	Epochs      int              `json:"epochs"`
	Seed        uint64           `json:"seed"`
	Validators  []string         `json:"validators"`
	Miners      []string         `json:"miners"`
	BondResets  []BondReset      `json:"bond_resets"`
	Variants    []VariantSummary `json:"variants"`
}

// BondReset records one bond reset of the run.
type BondReset struct {
	Epoch int    `json:"epoch"`
	Miner string `json:"miner"`
}

// VariantSummary is one variant's configuration and figures.
type VariantSummary struct {
	Name    string      `json:"name"`
	Config  Config      `json:"config"`
	Summary sim.Summary `json:"summary"`
	// Files lists the variant's output files relative to the scenario folder.
	Files []string `json:"files,omitempty"`
}

// Config is an engine configuration in the scenario file's vocabulary.
type Config struct {
	Yuma                  string  `json:"yuma"`
	LiquidAlpha           string  `json:"liquid_alpha"`
	Compat                string  `json:"compat"`
	Kappa                 float64 `json:"kappa"`
	BondsPenalty          float64 `json:"bonds_penalty"`
	BondsMovingAverage    float64 `json:"bonds_moving_average"`
	AlphaLow              float64 `json:"alpha_low"`
	AlphaHigh             float64 `json:"alpha_high"`
	AlphaSigmoidSteepness float64 `json:"alpha_sigmoid_steepness"`
	LiquidAlphaWeights    string  `json:"liquid_alpha_weights"`
	LiquidAlphaConsensus  string  `json:"liquid_alpha_consensus"`
	WinnerTakesAll        bool    `json:"winner_takes_all"`
	DecayRate             float64 `json:"decay_rate"`
	CapacityAlpha         float64 `json:"capacity_alpha"`
}

// SummaryOf builds the summary of a result.
func SummaryOf(res *sim.Result) Summary {
	s := Summary{
		Name: res.Name, Description: res.Description, Epochs: res.Epochs, Seed: res.Seed,
		Validators: res.Validators, Miners: res.Miners, BondResets: []BondReset{},
	}
	for t, cols := range res.BondResets {
		for _, j := range cols {
			s.BondResets = append(s.BondResets, BondReset{Epoch: t, Miner: res.Miners[j]})
		}
	}
	for _, rr := range res.Variants {
		c, p := rr.Variant.Config, rr.Variant.Config.Params
		weights := "raw"
		if p.LiquidAlphaEffectiveWeights {
			weights = "effective"
		}
		s.Variants = append(s.Variants, VariantSummary{
			Name: rr.Variant.Name,
			Config: Config{
				Yuma: string(c.Yuma), LiquidAlpha: string(c.LiquidAlpha), Compat: string(c.Compat),
				Kappa: p.Kappa, BondsPenalty: p.BondsPenalty, BondsMovingAverage: p.BondsMovingAverage,
				AlphaLow: p.AlphaLow, AlphaHigh: p.AlphaHigh, AlphaSigmoidSteepness: p.AlphaSigmoidSteepness,
				LiquidAlphaWeights: weights, LiquidAlphaConsensus: string(p.LiquidAlphaConsensus),
				WinnerTakesAll: p.WinnerTakesAll, DecayRate: p.DecayRate, CapacityAlpha: p.CapacityAlpha,
			},
			Summary: rr.Summary,
		})
	}
	return s
}

// NamedChart is a chart with the file base name it is written under.
type NamedChart struct {
	Name  string
	Chart report.Chart
}

// MaxSeries bounds the lines per chart; larger charts keep the series with
// the largest mean value and say so in the title.
const MaxSeries = 24

// Charts returns one variant's charts: weights, dividends, dividend per
// stake, bonds and incentives, each against the epoch.
func Charts(res *sim.Result, rr *sim.RunResult) []NamedChart {
	nv, nm, ne := len(res.Validators), len(res.Miners), res.Epochs
	xs := make([]float64, ne)
	for t := range xs {
		xs[t] = float64(t)
	}
	col := func(data []float64, stride, off int) []float64 {
		y := make([]float64, ne)
		for t := range y {
			y[t] = data[t*stride+off]
		}
		return y
	}
	var weights, bonds, divs, dps, incs []report.Series
	for i, v := range res.Validators {
		divs = append(divs, report.Series{Name: v, X: xs, Y: col(rr.Dividends, nv, i)})
		dps = append(dps, report.Series{Name: v, X: xs, Y: col(rr.DividendPerStake, nv, i)})
		for j, m := range res.Miners {
			name := v + " → " + m
			weights = append(weights, report.Series{Name: name, X: xs, Y: col(rr.Weights, nv*nm, i*nm+j)})
			bonds = append(bonds, report.Series{Name: name, X: xs, Y: col(rr.Bonds, nv*nm, i*nm+j)})
		}
	}
	for j, m := range res.Miners {
		incs = append(incs, report.Series{Name: m, X: xs, Y: col(rr.Incentive, nm, j)})
	}
	title := func(what string) string { return fmt.Sprintf("%s: %s (%s)", res.Name, what, rr.Variant.Name) }
	mk := func(name, what, ylabel string, s []report.Series) NamedChart {
		s, note := topSeries(s)
		return NamedChart{Name: name, Chart: report.Chart{Title: title(what) + note, XLabel: "epoch", YLabel: ylabel, Series: s}}
	}
	return []NamedChart{
		mk("weights", "weights", "weight (row-normalised)", weights),
		mk("dividends", "dividends", "dividend share", divs),
		mk("dividend_per_stake", "dividend per stake", "dividend share / stake share", dps),
		mk("bonds", "bonds", "bond", bonds),
		mk("incentives", "incentives", "incentive share", incs),
	}
}

// topSeries keeps the MaxSeries series with the largest mean (ignoring NaN).
func topSeries(s []report.Series) ([]report.Series, string) {
	if len(s) <= MaxSeries {
		return s, ""
	}
	mean := func(y []float64) float64 {
		sum, n := 0.0, 0
		for _, v := range y {
			if !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		if n == 0 {
			return math.Inf(-1)
		}
		return sum / float64(n)
	}
	idx := make([]int, len(s))
	means := make([]float64, len(s))
	for i := range s {
		idx[i] = i
		means[i] = mean(s[i].Y)
	}
	sort.SliceStable(idx, func(a, b int) bool { return means[idx[a]] > means[idx[b]] })
	keep := idx[:MaxSeries]
	sort.Ints(keep)
	out := make([]report.Series, 0, MaxSeries)
	for _, i := range keep {
		out = append(out, s[i])
	}
	return out, fmt.Sprintf(", top %d of %d", MaxSeries, len(s))
}

// WriteOptions tune WriteAll.
type WriteOptions struct {
	// NoCharts skips chart rendering (the slow part).
	NoCharts bool
}

// WriteAll writes a result under dir: dir/summary.json, dir/index.html and, per variant,
// dir/<variant>/series.csv and dir/<variant>/<chart>.png and .svg. Every file
// is written atomically; charts are rendered on up to GOMAXPROCS goroutines.
// It returns the paths written.
func WriteAll(ctx context.Context, dir string, res *sim.Result, opts WriteOptions) ([]string, error) {
	var written []string
	sum := SummaryOf(res)
	for k, rr := range res.Variants {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		vdir := filepath.Join(dir, rr.Variant.Name)
		if err := os.MkdirAll(vdir, 0o755); err != nil {
			return written, fmt.Errorf("create %s: %w", vdir, err)
		}
		csvPath := filepath.Join(vdir, "series.csv")
		if err := atomicfile.Write(csvPath, func(w io.Writer) error { return WriteCSV(w, res, &res.Variants[k]) }); err != nil {
			return written, fmt.Errorf("write %s: %w", csvPath, err)
		}
		written = append(written, csvPath)
		files := []string{filepath.Join(rr.Variant.Name, "series.csv")}
		if !opts.NoCharts {
			charts := Charts(res, &res.Variants[k])
			g, gctx := errgroup.WithContext(ctx)
			g.SetLimit(runtime.GOMAXPROCS(0))
			for _, nc := range charts {
				base := filepath.Join(vdir, nc.Name)
				g.Go(func() error {
					if err := gctx.Err(); err != nil {
						return err
					}
					if err := nc.Chart.WriteFiles(base); err != nil {
						return fmt.Errorf("chart %s: %w", base, err)
					}
					return nil
				})
			}
			if err := g.Wait(); err != nil {
				return written, err
			}
			for _, nc := range charts {
				base := filepath.Join(vdir, nc.Name)
				written = append(written, base+".png", base+".svg")
				files = append(files, filepath.Join(rr.Variant.Name, nc.Name+".png"), filepath.Join(rr.Variant.Name, nc.Name+".svg"))
			}
		}
		sum.Variants[k].Files = files
	}
	data, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return written, fmt.Errorf("encode summary: %w", err)
	}
	p := filepath.Join(dir, "summary.json")
	if err := atomicfile.WriteFile(p, append(data, '\n')); err != nil {
		return written, fmt.Errorf("write %s: %w", p, err)
	}
	written = append(written, p)
	idx := filepath.Join(dir, "index.html")
	if err := atomicfile.Write(idx, func(w io.Writer) error { return WriteIndex(w, sum, !opts.NoCharts) }); err != nil {
		return written, fmt.Errorf("write %s: %w", idx, err)
	}
	return append(written, idx), nil
}
