package sim

import (
	"context"
	"fmt"
	"math"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
)

// Options tune a run. The zero value runs the scenario's own variants on the
// float engine without progress reports.
type Options struct {
	// Runs, when not nil, replaces the scenario's list of runs (the CLI's
	// --yuma / --liquid-alpha flags).
	Runs []RunSpec
	// Progress is called after every epoch of every variant with
	// (epochs done, epochs x variants).
	Progress progress.Func
	// File names the scenario's source in error messages.
	File string
	// Engine overrides the engine (tests); nil means epoch.NewStepper.
	Engine epoch.Factory
}

// Result is everything one scenario run produced: the per-epoch series of
// every variant and their summaries. CLI files, charts and the web dashboard
// are all derived from it.
type Result struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Epochs      int      `json:"epochs"`
	Seed        uint64   `json:"seed"`
	Validators  []string `json:"validators"`
	Miners      []string `json:"miners"`
	// Stake is epochs x validators: the normalised stake share each epoch.
	Stake []float64 `json:"-"`
	// Signal is epochs x miners: the miners' true signal each epoch.
	Signal []float64 `json:"-"`
	// BondResets lists, per epoch, the miner columns reset before it.
	BondResets [][]int     `json:"-"`
	Variants   []RunResult `json:"-"`
}

// RunResult holds one variant's per-epoch series. Matrices are row-major:
// epoch-major, then validator, then miner.
type RunResult struct {
	Variant Variant
	// Weights is epochs x validators x miners: each submitted row normalised to
	// sum 1 (zero rows stay zero), i.e. what the engine used.
	Weights []float64
	// Bonds is epochs x validators x miners: the engine's bond matrix after
	// each epoch.
	Bonds []float64
	// Dividends and ValidatorTrust are epochs x validators.
	Dividends      []float64
	ValidatorTrust []float64
	// DividendPerStake is epochs x validators: dividend share / stake share
	// (NaN when the stake is zero).
	DividendPerStake []float64
	// Incentive and Consensus are epochs x miners.
	Incentive []float64
	Consensus []float64
	Summary   Summary
}

// Run executes every variant of the scenario and records the series. It
// checks ctx between epochs. Scenario problems are *badinput.Error values
// naming opts.File.
func Run(ctx context.Context, sc *Scenario, opts Options) (*Result, error) {
	m, err := sc.compile(opts.File, opts.Runs)
	if err != nil {
		return nil, err
	}
	factory := opts.Engine
	if factory == nil {
		factory = epoch.NewStepper
	}
	nv, nm, ne := len(m.validators), len(m.miners), m.epochs
	res := &Result{
		Name: sc.Name, Description: sc.Description, Epochs: ne, Seed: sc.Seed,
		Validators: m.validators, Miners: m.miners,
		Stake: m.stake, Signal: m.signal, BondResets: m.resets,
	}
	total := ne * len(m.runs)
	for k, v := range m.runs {
		eng, err := factory(v.Config, nv, nm)
		if err != nil {
			return nil, badinput.New(opts.File, "", fmt.Sprintf("runs[%d]", k), "variant %s: %v", v.Name, err)
		}
		rr, err := m.runOne(ctx, eng, v, func(done int) {
			if opts.Progress != nil {
				opts.Progress(k*ne+done, total)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("simulate %s, variant %s: %w", sc.Name, v.Name, err)
		}
		rr.Summary = summarise(res, rr)
		if w, ok := eng.(interface{ Warnings() []string }); ok {
			rr.Summary.Warnings = append(rr.Summary.Warnings, w.Warnings()...)
		}
		res.Variants = append(res.Variants, *rr)
	}
	return res, nil
}

// runOne runs one variant through every epoch.
func (m *model) runOne(ctx context.Context, eng epoch.Stepper, v Variant, report func(done int)) (*RunResult, error) {
	nv, nm, ne := len(m.validators), len(m.miners), m.epochs
	rr := &RunResult{
		Variant:          v,
		Weights:          make([]float64, ne*nv*nm),
		Bonds:            make([]float64, ne*nv*nm),
		Dividends:        make([]float64, ne*nv),
		ValidatorTrust:   make([]float64, ne*nv),
		DividendPerStake: make([]float64, ne*nv),
		Incentive:        make([]float64, ne*nm),
		Consensus:        make([]float64, ne*nm),
	}
	h := &History{
		validators: nv, miners: nm, signal: m.signal,
		weights: rr.Weights, consensus: rr.Consensus,
	}
	// sub holds this epoch's submitted (raw) rows, which the engine receives
	// as they are (compat modes normalise rows with their own conventions);
	// the history keeps the row-normalised copies.
	sub := make([]float64, nv*nm)
	for t := 0; t < ne; t++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, i := range m.order {
			row := sub[i*nm : (i+1)*nm]
			m.strategies[i].Weights(h, t, row)
			out := h.Weights(i, t)
			sum := 0.0
			for _, x := range row {
				sum += x
			}
			if sum > 0 {
				for j, x := range row {
					out[j] = x / sum
				}
			}
		}
		stake := m.stake[t*nv : (t+1)*nv]
		out, err := eng.Step(epoch.Input{Stake: stake, Weights: sub, ResetBonds: m.resets[t]})
		if err != nil {
			return nil, fmt.Errorf("epoch %d: %w", t, err)
		}
		if len(out.Consensus) != nm || len(out.Incentive) != nm || len(out.Dividends) != nv ||
			len(out.ValidatorTrust) != nv || len(out.Bonds) != nv*nm {
			return nil, fmt.Errorf("epoch %d: engine returned mis-sized result", t)
		}
		copy(rr.Consensus[t*nm:], out.Consensus)
		copy(rr.Incentive[t*nm:], out.Incentive)
		copy(rr.Dividends[t*nv:], out.Dividends)
		copy(rr.ValidatorTrust[t*nv:], out.ValidatorTrust)
		copy(rr.Bonds[t*nv*nm:], out.Bonds)
		for i := 0; i < nv; i++ {
			d := out.Dividends[i]
			if s := stake[i]; s > 0 {
				rr.DividendPerStake[t*nv+i] = d / s
			} else {
				rr.DividendPerStake[t*nv+i] = math.NaN()
			}
		}
		report(t + 1)
	}
	return rr, nil
}
