package paper

import (
	"context"
	"fmt"
	"math"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/penalty"
)

// DynamicsRow is one round of Fig. 2 or Fig. 3.
type DynamicsRow struct {
	T                    int     `json:"t"`
	WeightHonestA        float64 `json:"weight_honest_A"`
	WeightCopierA        float64 `json:"weight_copier_A"`
	DividendCopierFixed  float64 `json:"dividend_copier_fixed"`
	DividendCopierLiquid float64 `json:"dividend_copier_liquid"`
	PenaltyFixed         float64 `json:"penalty_fixed"`
	PenaltyLiquid        float64 `json:"penalty_liquid"`
	// Amplification is H_t = PenaltyLiquid / PenaltyFixed; NaN when the
	// fixed penalty is 0.
	Amplification float64 `json:"-"`
}

// Dynamics is Fig. 2 (delta 0.1) or Fig. 3 (delta 0.5).
type Dynamics struct {
	Delta float64       `json:"delta"`
	Rows  []DynamicsRow `json:"-"`
	// GammaFixed and GammaLiquid are the long-term penalties
	// sum_t gamma^(t+1) G_t over the run (eqs. 20 and 24).
	GammaFixed  float64 `json:"gamma_fixed"`
	GammaLiquid float64 `json:"gamma_liquid"`
}

// PenaltyCell is one (rho, delta) cell of Fig. 1: the mean penalty under
// liquid alpha with Options.AlphaLow.
type PenaltyCell struct {
	Rho, Delta, Penalty float64
}

// AlphaCell is one (delta, alpha_low) cell of Fig. 4 (rho 0).
type AlphaCell struct {
	Delta, AlphaLow, Penalty float64
}

// BestCell is one (rho, rho + delta) cell of Fig. 5: the alpha_low with the
// largest mean penalty (NaN on the diagonal, where there is no jump).
type BestCell struct {
	Rho, RhoPlusDelta, BestAlphaLow, Penalty float64
}

// LagCell is one (lag, copier stake) cell of the lag sweep.
type LagCell struct {
	Lag         int
	CopierStake float64
	// RateFixed and RateLiquid are the copier's dividend per stake over the
	// honest j's, accumulated over the sweep horizon (penalty.RelativeRate
	// on the summed dividends).
	RateFixed, RateLiquid float64
	// PenaltyFixed and PenaltyLiquid are 1 - rate: the copier's shortfall in
	// dividend per stake relative to j. Below 0 the copier out-earns j; above
	// the delegate take copying pays less than delegating to j.
	PenaltyFixed, PenaltyLiquid float64
}

// Result is everything `yuma paper` reports for one variant.
type Result struct {
	Variant  Variant
	Settings Settings
	Fig2     Dynamics
	Fig3     Dynamics
	Fig1     []PenaltyCell
	Fig4     []AlphaCell
	// Fig4Fixed holds the fixed-EMA mean penalty per delta of Fig. 4.
	Fig4Fixed []AlphaCell
	Fig5      []BestCell
	Lag       []LagCell
	Headlines []Headline
	Claims    []Claim
}

// job is one simulated run of the grid. Only the runs of Figs. 2 and 3 keep
// their whole trajectory; the others keep the two numbers they feed.
type job struct {
	cfg  epoch.Config
	set  Setting
	keep bool
}

// outcome is what a job leaves behind.
type outcome struct {
	meanG  float64     // mean of G_t over the rounds
	sumDiv [3]float64  // dividends of j, k, c summed over the rounds
	traj   *Trajectory // the whole run, for jobs with keep
}

// Run reproduces every figure of the paper's section 4.1 for opts.Variant,
// evaluates the headline numbers and the paper's claims, and runs the lag
// sweep. All runs are independent and go through one penalty.Grid.
func Run(ctx context.Context, opts Options) (*Result, error) {
	o := opts.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	newEngine := o.Engine
	if newEngine == nil {
		newEngine = epoch.NewStepper
	}
	fixed, liquid, err := o.Variant.configs(o.AlphaLow, o.AlphaHigh)
	if err != nil {
		return nil, err
	}
	withLow := func(a float64) epoch.Config {
		c := liquid
		c.Params.AlphaLow = a
		return c
	}
	paperStake := [3]float64{1, 1, 98}
	base := func(rho, delta float64) Setting {
		return Setting{Rho: rho, Delta: delta, Lag: o.Lag, Rounds: o.Rounds, Stake: paperStake}
	}

	var jobs []job
	add := func(c epoch.Config, s Setting) int { jobs = append(jobs, job{cfg: c, set: s}); return len(jobs) - 1 }
	keep := func(c epoch.Config, s Setting) int {
		jobs = append(jobs, job{cfg: c, set: s, keep: true})
		return len(jobs) - 1
	}

	// Figs. 2 and 3.
	f2f, f2l := keep(fixed, base(0, 0.1)), keep(liquid, base(0, 0.1))
	f3f, f3l := keep(fixed, base(0, 0.5)), keep(liquid, base(0, 0.5))

	// Fig. 1: rho in [0, 0.5], delta in [0, 0.5 - rho].
	type cellJob struct {
		rho, delta float64
		idx        int
	}
	var fig1 []cellJob
	for _, rho := range grid(0, 0.5, o.Step) {
		for _, d := range grid(0, 0.5-rho, o.Step) {
			fig1 = append(fig1, cellJob{rho, d, add(liquid, base(rho, d))})
		}
	}

	// Fig. 4: rho 0, delta grid x alpha_low grid, plus the fixed baseline.
	deltas := grid(0, 0.5, o.Step)
	fig4 := make([][]int, len(deltas))
	fig4fixed := make([]int, len(deltas))
	for di, d := range deltas {
		fig4fixed[di] = add(fixed, base(0, d))
		for _, a := range o.AlphaLows {
			fig4[di] = append(fig4[di], add(withLow(a), base(0, d)))
		}
	}

	// Fig. 5: (rho, rho + delta) over the square [0, 0.5]^2.
	axis := grid(0, 0.5, o.Step)
	type bestJob struct {
		x, y float64
		idx  []int
	}
	var fig5 []bestJob
	for _, x := range axis {
		for _, y := range axis {
			b := bestJob{x: x, y: y}
			if math.Abs(y-x) > o.Step/2 {
				for _, a := range o.AlphaLows {
					b.idx = append(b.idx, add(withLow(a), base(x, y-x)))
				}
			}
			fig5 = append(fig5, b)
		}
	}

	// Lag sweep.
	type lagJob struct {
		lag             int
		share           float64
		fixed, liquidIx int
	}
	var lags []lagJob
	for lag := 1; lag <= o.MaxLag; lag++ {
		for _, share := range o.CopierStakes {
			s := Setting{Rho: 0, Delta: o.SweepDelta, Lag: lag, Rounds: o.SweepRounds,
				Stake: [3]float64{1, 100 * share, 99 - 100*share}}
			lags = append(lags, lagJob{lag, share, add(fixed, s), add(liquid, s)})
		}
	}

	outs := make([]outcome, len(jobs))
	g := penalty.Grid{Total: len(jobs), Workers: o.Workers, Progress: o.Progress}
	err = g.Run(ctx, func(_ context.Context, i int) error {
		tr, err := simulate(newEngine, jobs[i].cfg, jobs[i].set)
		if err != nil {
			return fmt.Errorf("rho %v delta %v lag %d (%s, liquid alpha %s, alpha_low %v): %w",
				jobs[i].set.Rho, jobs[i].set.Delta, jobs[i].set.Lag, jobs[i].cfg.Yuma, jobs[i].cfg.LiquidAlpha, jobs[i].cfg.Params.AlphaLow, err)
		}
		g, err := tr.Penalty()
		if err != nil {
			return err
		}
		out := outcome{meanG: penalty.Mean(g)}
		for _, d := range tr.Dividends {
			for v := range out.sumDiv {
				out.sumDiv[v] += d[v]
			}
		}
		if jobs[i].keep {
			out.traj = &tr
		}
		outs[i] = out
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("paper %s: %w", o.Variant, err)
	}

	res := &Result{Variant: o.Variant, Settings: o.settings()}
	if res.Fig2, err = dynamics(0.1, o.Gamma, *outs[f2f].traj, *outs[f2l].traj); err != nil {
		return nil, err
	}
	if res.Fig3, err = dynamics(0.5, o.Gamma, *outs[f3f].traj, *outs[f3l].traj); err != nil {
		return nil, err
	}
	for _, c := range fig1 {
		res.Fig1 = append(res.Fig1, PenaltyCell{Rho: c.rho, Delta: c.delta, Penalty: outs[c.idx].meanG})
	}
	for di, d := range deltas {
		res.Fig4Fixed = append(res.Fig4Fixed, AlphaCell{Delta: d, AlphaLow: o.AlphaHigh, Penalty: outs[fig4fixed[di]].meanG})
		for ai, a := range o.AlphaLows {
			res.Fig4 = append(res.Fig4, AlphaCell{Delta: d, AlphaLow: a, Penalty: outs[fig4[di][ai]].meanG})
		}
	}
	for _, b := range fig5 {
		cell := BestCell{Rho: b.x, RhoPlusDelta: b.y, BestAlphaLow: math.NaN(), Penalty: math.NaN()}
		for ai, idx := range b.idx {
			m := outs[idx].meanG
			if math.IsNaN(cell.Penalty) || m > cell.Penalty {
				cell.Penalty, cell.BestAlphaLow = m, o.AlphaLows[ai]
			}
		}
		res.Fig5 = append(res.Fig5, cell)
	}
	for _, l := range lags {
		cell := LagCell{Lag: l.lag, CopierStake: l.share}
		if cell.RateFixed, cell.PenaltyFixed, err = lagMetrics(outs[l.fixed].sumDiv, jobs[l.fixed].set.Stake); err != nil {
			return nil, err
		}
		if cell.RateLiquid, cell.PenaltyLiquid, err = lagMetrics(outs[l.liquidIx].sumDiv, jobs[l.liquidIx].set.Stake); err != nil {
			return nil, err
		}
		res.Lag = append(res.Lag, cell)
	}
	res.Headlines = res.headlines()
	res.Claims = res.claims()
	return res, nil
}

// dynamics assembles Fig. 2 or 3 from the fixed and liquid runs.
func dynamics(delta, gamma float64, fixed, liquid Trajectory) (Dynamics, error) {
	gf, err := fixed.Penalty()
	if err != nil {
		return Dynamics{}, err
	}
	gl, err := liquid.Penalty()
	if err != nil {
		return Dynamics{}, err
	}
	h, err := penalty.Amplification(gl, gf)
	if err != nil {
		return Dynamics{}, err
	}
	d := Dynamics{Delta: delta, Rows: make([]DynamicsRow, len(gf))}
	if d.GammaFixed, err = penalty.Discounted(gf, gamma); err != nil {
		return Dynamics{}, err
	}
	if d.GammaLiquid, err = penalty.Discounted(gl, gamma); err != nil {
		return Dynamics{}, err
	}
	for t := range gf {
		d.Rows[t] = DynamicsRow{
			T: t, WeightHonestA: liquid.HonestA[t], WeightCopierA: liquid.CopierA[t],
			DividendCopierFixed: fixed.Dividends[t][rowCopier], DividendCopierLiquid: liquid.Dividends[t][rowCopier],
			PenaltyFixed: gf[t], PenaltyLiquid: gl[t], Amplification: h[t],
		}
	}
	return d, nil
}

// lagMetrics returns the copier's relative dividend rate over the whole run
// (summed dividends per stake, copier over the honest j) and the mean
// per-stake penalty (D^j/S^j - D^k/S^k) in units of the honest j's mean rate.
func lagMetrics(sum [3]float64, stake [3]float64) (rate, pen float64, err error) {
	rate, err = penalty.RelativeRate(sum[:], stake[:], rowCopier, []int{rowHonest})
	if err != nil {
		return 0, 0, fmt.Errorf("lag sweep: %w", err)
	}
	return rate, 1 - rate, nil
}
