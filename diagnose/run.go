package diagnose

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/penalty"
)

// subnetRun is one history with what is shared by all its grid cells.
type subnetRun struct {
	h           *history
	params      epoch.Params // the options' parameters, with the subnet's own where known
	warm        int          // first scored epoch (largest reveal period)
	copierRows  [][]float64  // per epoch: the copier's source row (consensus or top validator)
	copierStake float64
	honest      []bool // validators counted as honest in the cumulative metric
}

// job is one grid cell: a subnet, a combination and a reveal period.
type job struct {
	subnet int
	combo  [3]float64
	rp     int
}

// Run executes the diagnostic. Long work reports to prog (may be nil) and
// stops when ctx is cancelled. Bad options or bad snapshots give a
// *badinput.Error.
func Run(ctx context.Context, o Options, prog progress.Func) (*Result, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if prog == nil {
		prog = progress.Nop
	}
	newEngine := o.Engine
	if newEngine == nil {
		newEngine = epoch.NewStepper
	}
	maxRP := slices.Max(o.RevealPeriods)
	epochs := maxRP + o.Tempos
	res := &Result{Version: resultVersion, Config: o.config(), Shard: o.Shard.String()}
	runs := make([]*subnetRun, len(o.Sources))
	for si, src := range o.Sources {
		h, err := buildHistory(src, &o, epochs)
		if err != nil {
			return nil, err
		}
		sr, err := prepareSubnet(ctx, h, &o, maxRP, newEngine)
		if err != nil {
			return nil, err
		}
		runs[si] = sr
		sub := &Subnet{
			Name: h.name, Netuid: h.netuid, N: h.n,
			FirstBlock: h.blocks[sr.warm], LastBlock: h.blocks[epochs-1],
			Epochs: o.Tempos, Validators: append([]int(nil), h.vals...),
			CopierStake: sr.copierStake, Params: sr.params, Warnings: h.warnings,
		}
		if o.Window == WindowNotebook {
			first, _ := sr.window(&o, slices.Min(o.RevealPeriods))
			sub.FirstBlock = h.blocks[first] // the windows span the whole history
		}
		sub.HonestMask = append([]bool(nil), sr.honest...)
		for _, ok := range sr.honest {
			if ok {
				sub.Honest++
			}
		}
		// The no-liquid-alpha baseline per reveal period: cheap, so every
		// shard computes it (the merge checks that they agree).
		for _, rp := range o.RevealPeriods {
			cell, err := runCell(ctx, sr, &o, newEngine, sr.baseConfig(&o), rp)
			if err != nil {
				return nil, err
			}
			row := cell.row(-1, rp, 0, 0, 0, false)
			sub.Stake = cell.sumS
			sub.Baseline = append(sub.Baseline, row)
		}
		res.Subnets = append(res.Subnets, sub)
	}

	combos := o.combos()
	if o.LiquidAlpha == epoch.LiquidAlphaOff {
		combos = nil // the baseline is the whole answer
	}
	var jobs []job
	for si := range runs {
		for _, c := range combos {
			for _, rp := range o.RevealPeriods {
				jobs = append(jobs, job{si, c, rp})
			}
		}
	}
	out := make([]*Row, len(jobs))
	grid := penalty.Grid{Total: len(jobs), Workers: o.Workers, Shard: o.Shard, Progress: prog}
	err := grid.Run(ctx, func(ctx context.Context, i int) error {
		j := jobs[i]
		cfg := runs[j.subnet].baseConfig(&o)
		cfg.LiquidAlpha = o.LiquidAlpha
		cfg.Params.AlphaLow, cfg.Params.AlphaHigh = j.combo[0], j.combo[1]
		if o.LiquidAlpha == epoch.LiquidAlphaV2 {
			cfg.Params.AlphaSigmoidSteepness = j.combo[2]
		}
		cell, err := runCell(ctx, runs[j.subnet], &o, newEngine, cfg, j.rp)
		if err != nil {
			return err
		}
		row := cell.row(i, j.rp, j.combo[0], j.combo[1], j.combo[2], true)
		out[i] = &row
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, r := range out {
		if r != nil {
			res.Subnets[jobs[i].subnet].Rows = append(res.Subnets[jobs[i].subnet].Rows, *r)
		}
	}
	res.Total = len(jobs)
	res.finalize()
	return res, nil
}

func (o *Options) baseConfig() epoch.Config {
	return epoch.Config{Yuma: o.Yuma, LiquidAlpha: epoch.LiquidAlphaOff, Compat: o.Compat, Params: o.Params}
}

// baseConfig is the options' configuration with the subnet's own consensus
// parameters, when its snapshots carry them (see subnetParams).
func (sr *subnetRun) baseConfig(o *Options) epoch.Config {
	c := o.baseConfig()
	c.Params = sr.params
	return c
}

// prepareSubnet runs the honest network once (no copier, no liquid alpha) to
// record the consensus trajectory the copier copies, and fixes the copier's
// stake and the honest set.
func prepareSubnet(ctx context.Context, h *history, o *Options, warm int, newEngine epoch.Factory) (*subnetRun, error) {
	V, n := len(h.vals), h.n
	sr := &subnetRun{h: h, warm: warm, params: o.Params}
	if !o.NotebookParams {
		var used []string
		sr.params, used = subnetParams(h.hyper, o.Params)
		if len(used) > 0 {
			h.warnings = append(h.warnings, "the subnet's own "+strings.Join(used, ", ")+" from its last snapshot are used (--notebook-params to use the notebook's)")
		}
	}
	epochs := len(h.blocks)
	sr.copierRows = make([][]float64, epochs)
	switch o.Copier {
	case CopierConsensus:
		eng, err := newEngine(sr.baseConfig(o), V, n)
		if err != nil {
			return nil, fmt.Errorf("float engine: %w", err)
		}
		for e := 0; e < epochs; e++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r, err := eng.Step(epoch.Input{Stake: h.active[e], Weights: h.weights[e], ResetBonds: h.resets[e]})
			if err != nil {
				return nil, fmt.Errorf("%s: honest replay at block %d: %w", h.name, h.blocks[e], err)
			}
			row := append([]float64(nil), r.Consensus...)
			if o.Compat == epoch.CompatNotebook {
				quantiseU16(row) // the notebook's server_consensus_weight
			}
			sr.copierRows[e] = row
		}
	case CopierTop:
		for e := 0; e < epochs; e++ {
			best := -1
			for r := 0; r < V; r++ {
				if h.active[e][r] > 0 && (best < 0 || h.active[e][r] > h.active[e][best]) {
					best = r
				}
			}
			row := make([]float64, n)
			if best >= 0 {
				copy(row, h.weights[e][best*n:(best+1)*n])
			}
			sr.copierRows[e] = row
		}
	}
	sr.honest = honestIn(h, warm, epochs)
	// Copier stake, from the first scored epoch.
	var act []float64
	total := 0.0
	for r := 0; r < V; r++ {
		if a := h.active[warm][r]; a > 0 {
			total += a
			if h.voting[warm][r] {
				act = append(act, a)
			}
		}
	}
	if len(act) == 0 {
		return nil, badinput.New(h.name, fmt.Sprintf("block %d", h.blocks[warm]), "validators",
			"no active validator with a permit, stake and weights at the first scored epoch")
	}
	switch o.CopierStake.Mode {
	case StakeMedian:
		sr.copierStake = penalty.Median(act)
	case StakeShare:
		sr.copierStake = o.CopierStake.Value / (1 - o.CopierStake.Value) * total
	case StakeTAO:
		sr.copierStake = o.CopierStake.Value
	}
	return sr, nil
}

// honestIn marks the validators voting (active, with weights) in at least
// half of the epochs [from, to).
func honestIn(h *history, from, to int) []bool {
	out := make([]bool, len(h.vals))
	for r := range out {
		k := 0
		for e := from; e < to; e++ {
			if h.voting[e][r] {
				k++
			}
		}
		out[r] = 2*k >= to-from && k > 0
	}
	return out
}

// window returns the scored epochs [from, to) of a reveal period: the common
// window [largest reveal period, + tempos) or, in the notebook's mode, [rp, rp + tempos).
func (sr *subnetRun) window(o *Options, rp int) (int, int) {
	if o.Window == WindowNotebook {
		return rp, rp + o.Tempos
	}
	return sr.warm, sr.warm + o.Tempos
}

// cellOut is one engine run over the scored window.
type cellOut struct {
	g      []float64 // G per scored epoch
	sumD   []float64 // cumulative dividends per validator, copier last
	sumS   []float64 // cumulative stake per validator, copier last
	honest []bool
}

func runCell(ctx context.Context, sr *subnetRun, o *Options, newEngine epoch.Factory, cfg epoch.Config, rp int) (*cellOut, error) {
	h := sr.h
	V, n := len(h.vals), h.n
	eng, err := newEngine(cfg, V+1, n)
	if err != nil {
		return nil, fmt.Errorf("float engine: %w", err)
	}
	w := make([]float64, (V+1)*n)
	stake := make([]float64, V+1)
	from, to := sr.window(o, rp)
	out := &cellOut{sumD: make([]float64, V+1), sumS: make([]float64, V+1), honest: sr.honest}
	if from != sr.warm {
		out.honest = honestIn(h, from, to)
	}
	ratios := make([]float64, 0, V)
	for t := from; t < to; t++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		copy(w, h.weights[t])
		copy(w[V*n:], sr.copierRows[t-rp])
		copy(stake, h.active[t])
		stake[V] = sr.copierStake
		in := epoch.Input{Stake: stake, Weights: w}
		if t > from {
			in.ResetBonds = h.resets[t]
		}
		r, err := eng.Step(in)
		if err != nil {
			return nil, fmt.Errorf("%s: block %d, reveal period %d: %w", h.name, h.blocks[t], rp, err)
		}
		if len(r.Dividends) != V+1 {
			return nil, fmt.Errorf("float engine returned %d dividends, want %d", len(r.Dividends), V+1)
		}
		ratios = ratios[:0]
		for i := 0; i < V; i++ {
			d := r.Dividends[i]
			out.sumD[i] += d
			out.sumS[i] += h.stake[t][i]
			if h.voting[t][i] {
				ratios = append(ratios, d/h.stake[t][i])
			}
		}
		out.sumD[V] += r.Dividends[V]
		out.sumS[V] += sr.copierStake
		out.g = append(out.g, safeDiv(r.Dividends[V]/sr.copierStake, penalty.Median(ratios)))
	}
	return out, nil
}

// row summarises a cell. la marks a liquid-alpha cell (compared with the
// baseline later, in finalize).
func (c *cellOut) row(index, rp int, lo, hi, k float64, la bool) Row {
	V := len(c.sumD) - 1
	var ratios []float64
	for i := 0; i < V; i++ {
		if c.honest[i] && c.sumS[i] > 0 {
			ratios = append(ratios, c.sumD[i]/c.sumS[i])
		}
	}
	copierRatio := c.sumD[V] / c.sumS[V]
	mean, cnt := 0.0, 0
	for _, g := range c.g {
		if !math.IsNaN(g) {
			mean += g
			cnt++
		}
	}
	if cnt > 0 {
		mean /= float64(cnt)
	} else {
		mean = math.NaN()
	}
	better := 0
	for _, r := range ratios {
		if r > copierRatio {
			better++
		}
	}
	total := 0.0
	for _, d := range c.sumD {
		total += d
	}
	div := make([]Num, len(c.sumD))
	for i, d := range c.sumD {
		div[i] = Num(safeDiv(d, total))
	}
	return Row{
		Index: index, RevealPeriod: rp, AlphaLow: lo, AlphaHigh: hi, Steepness: k, LiquidAlpha: la,
		GLast: Num(c.g[len(c.g)-1]), GMean: Num(mean), GCumulative: Num(safeDiv(copierRatio, penalty.Median(ratios))),
		CopierRank: better + 1, CopierShare: div[V], Dividends: div,
	}
}

func safeDiv(a, b float64) float64 {
	if b == 0 || math.IsNaN(b) {
		return math.NaN()
	}
	return a / b
}

// quantiseU16 normalises row to sum 1 and rounds each share to a multiple of
// 1/65535, as the notebooks stored the consensus the copier copies.
func quantiseU16(row []float64) {
	sum := 0.0
	for _, v := range row {
		sum += v
	}
	if sum == 0 {
		return
	}
	for i, v := range row {
		row[i] = math.Round(v/sum*65535) / 65535
	}
}

// subnetParams overrides the consensus parameters with the subnet's own
// hyperparameters when a snapshot carries them in chain units: kappa (u16
// fraction), bonds_moving_average (per 1e6), bonds_penalty (u16 fraction). It
// returns the parameters and the names it used.
func subnetParams(hp map[string]any, p epoch.Params) (epoch.Params, []string) {
	var used []string
	if v, ok := hyperUint(hp, "kappa"); ok && v <= 65535 {
		p.Kappa = float64(v) / 65535
		used = append(used, fmt.Sprintf("kappa %.4g", p.Kappa))
	}
	if v, ok := hyperUint(hp, "bonds_moving_average"); ok && v <= 1000000 {
		p.BondsMovingAverage = float64(v) / 1e6
		used = append(used, fmt.Sprintf("bonds_moving_average %.4g", p.BondsMovingAverage))
	}
	if v, ok := hyperUint(hp, "bonds_penalty"); ok && v <= 65535 {
		p.BondsPenalty = float64(v) / 65535
		used = append(used, fmt.Sprintf("bonds_penalty %.4g", p.BondsPenalty))
	}
	return p, used
}
