package sim

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
)

// fakeEngine is a transparent stand-in for the float engine: consensus is the
// stake-weighted mean of the row-normalised weights, incentive the consensus
// normalised, dividends the stake shares, validator trust 1 - epoch/100, and
// every bond entry the number of epochs run since the column's last reset.
// It records the inputs it saw.
type fakeEngine struct {
	v, m   int
	t      int
	age    []float64 // per miner
	inputs []epoch.Input
	res    epoch.Result
}

func newFake(v, m int) *fakeEngine {
	return &fakeEngine{v: v, m: m, age: make([]float64, m), res: epoch.Result{
		Consensus: make([]float64, m), Incentive: make([]float64, m),
		Dividends: make([]float64, v), ValidatorTrust: make([]float64, v), Bonds: make([]float64, v*m),
	}}
}

func (f *fakeEngine) Step(in epoch.Input) (epoch.Result, error) {
	f.inputs = append(f.inputs, epoch.Input{
		Stake: slices.Clone(in.Stake), Weights: slices.Clone(in.Weights), ResetBonds: slices.Clone(in.ResetBonds),
	})
	for _, j := range in.ResetBonds {
		f.age[j] = 0
	}
	for j := range f.age {
		f.age[j]++
	}
	clear(f.res.Consensus)
	total := 0.0
	for i := 0; i < f.v; i++ {
		row := in.Weights[i*f.m : (i+1)*f.m]
		sum := 0.0
		for _, w := range row {
			sum += w
		}
		for j, w := range row {
			if sum > 0 {
				f.res.Consensus[j] += in.Stake[i] * w / sum
			}
			f.res.Bonds[i*f.m+j] = f.age[j]
		}
		f.res.Dividends[i] = in.Stake[i]
		f.res.ValidatorTrust[i] = 1 - float64(f.t)/100
	}
	for _, c := range f.res.Consensus {
		total += c
	}
	for j, c := range f.res.Consensus {
		f.res.Incentive[j] = c / total
	}
	f.t++
	return f.res, nil
}

func fakeFactory(engines *[]*fakeEngine) epoch.Factory {
	return func(cfg epoch.Config, v, m int) (epoch.Stepper, error) {
		f := newFake(v, m)
		*engines = append(*engines, f)
		return f, nil
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12 }

func TestRunRecordsSeriesAndStrategies(t *testing.T) {
	sc, err := ParseScenario("cr.yaml", []byte(`
name: cr
epochs: 12
seed: 5
runs: [{yuma: yuma2}, {yuma: yuma3, liquid_alpha: v2}]
miners:
  - {name: a, signal: {type: piecewise, points: [[0, 0.1], [4, 0.5]]}}
  - {name: b, signal: {type: step, before: 0.6, after: 0.2, at: 6}}
  - {name: c, signal: {type: noisy, mean: 0.3, sigma: 0.1}}
validators:
  - {name: honest, stake_tao: 60, strategy: {type: honest}}
  - {name: copier, stake_tao: 20, strategy: {type: consensus_copier, lag: 3}}
  - {name: follower, stake_tao: 10, strategy: {type: copy, target: late, lag: 0}}
  - {name: late, stake_tao: 10, strategy: {type: late_mover, delay: 2},
     stake_changes: [{epoch: 5, stake_tao: 30}]}
bond_resets: [{epoch: 7, miner: b}]
`))
	if err != nil {
		t.Fatal(err)
	}
	var engines []*fakeEngine
	var calls [][2]int
	res, err := Run(context.Background(), sc, Options{
		Engine:   fakeFactory(&engines),
		Progress: func(done, total int) { calls = append(calls, [2]int{done, total}) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Variants) != 2 || res.Variants[0].Variant.Name != "yuma2" || res.Variants[1].Variant.Name != "yuma3-la-v2" {
		t.Fatalf("variants %+v", res.Variants)
	}
	if len(calls) != 24 || calls[23] != [2]int{24, 24} || calls[12] != [2]int{13, 24} {
		t.Fatalf("progress calls %v", calls)
	}
	const nv, nm = 4, 3
	// Stake in TAO is normalised; the change applies from epoch 5.
	for tt, want := range map[int][]float64{0: {0.6, 0.2, 0.1, 0.1}, 5: {0.5, 1.0 / 6, 1.0 / 12, 0.25}, 11: {0.5, 1.0 / 6, 1.0 / 12, 0.25}} {
		for i, w := range want {
			if got := res.Stake[tt*nv+i]; !near(got, w) {
				t.Fatalf("stake[%d][%d] = %v, want %v", tt, i, got, w)
			}
		}
	}
	// Signals: piecewise linear, step, noisy (same draws in every call).
	if !near(res.Signal[2*nm+0], 0.3) || !near(res.Signal[5*nm+0], 0.5) || res.Signal[5*nm+1] != 0.6 || res.Signal[6*nm+1] != 0.2 {
		t.Fatalf("signals %v", res.Signal[:7*nm])
	}
	for _, e := range engines {
		for tt, in := range e.inputs {
			row := func(v int) []float64 { return in.Weights[v*nm : (v+1)*nm] }
			if !slices.Equal(row(0), res.Signal[tt*nm:(tt+1)*nm]) {
				t.Fatalf("honest at %d: %v", tt, row(0))
			}
			// Consensus copier: epoch-0 signal before the lag, then C_{t-3}.
			want := res.Signal[:nm]
			if tt >= 3 {
				c := make([]float64, nm)
				for i := 0; i < nv; i++ {
					r := e.inputs[tt-3].Weights[i*nm : (i+1)*nm]
					s := r[0] + r[1] + r[2]
					for j := range c {
						if s > 0 {
							c[j] += e.inputs[tt-3].Stake[i] * r[j] / s
						}
					}
				}
				want = c
			}
			for j := range want {
				if !near(row(1)[j], want[j]) {
					t.Fatalf("copier at %d: %v, want %v", tt, row(1), want)
				}
			}
			// Late mover reports the signal of t-2; the lag-0 follower copies it.
			lt := max(tt-2, 0)
			lateRow := row(3)
			ls := lateRow[0] + lateRow[1] + lateRow[2]
			for j := range lateRow {
				if !near(row(2)[j], lateRow[j]/ls) {
					t.Fatalf("follower at %d: %v, want late's normalised row %v", tt, row(2), lateRow)
				}
			}
			if !slices.Equal(row(3), res.Signal[lt*nm:(lt+1)*nm]) {
				t.Fatalf("late/follower at %d: %v %v", tt, row(3), row(2))
			}
			wantReset := tt == 7
			if (len(in.ResetBonds) == 1 && in.ResetBonds[0] == 1) != wantReset || (!wantReset && len(in.ResetBonds) != 0) {
				t.Fatalf("resets at %d: %v", tt, in.ResetBonds)
			}
		}
	}
	// The recorded series are the engine's outputs; weights are row-normalised.
	rr := res.Variants[1]
	for tt := 0; tt < 12; tt++ {
		for i := 0; i < nv; i++ {
			if !near(rr.Dividends[tt*nv+i], res.Stake[tt*nv+i]) || !near(rr.DividendPerStake[tt*nv+i], 1) {
				t.Fatalf("dividends at %d", tt)
			}
			s := 0.0
			for j := 0; j < nm; j++ {
				s += rr.Weights[(tt*nv+i)*nm+j]
			}
			if !near(s, 1) {
				t.Fatalf("weights row %d,%d sums to %v", tt, i, s)
			}
		}
		if !near(rr.ValidatorTrust[tt*nv], 1-float64(tt)/100) {
			t.Fatalf("validator trust at %d", tt)
		}
	}
	// Column b was reset before epoch 7: its bond age restarts there.
	if got := rr.Bonds[(7*nv+0)*nm+1]; got != 1 {
		t.Fatalf("bond of b at epoch 7 = %v, want 1", got)
	}
	if got := rr.Bonds[(7*nv+0)*nm+0]; got != 8 {
		t.Fatalf("bond of a at epoch 7 = %v, want 8", got)
	}
	s := rr.Summary
	if !near(s.TotalDividends[0], s.TotalStake[0]) || !near(s.MeanDividendPerStake[0], 1) || !near(s.MeanRelativeDividend[0], 0) {
		t.Fatalf("summary %+v", s)
	}
	for i, g := range s.RelativeDividendRate {
		if !near(g, 1) {
			t.Fatalf("relative dividend rate of %d = %v, want 1 when paid pro rata", i, g)
		}
	}
	if !near(s.FinalBonds[2][1], 5) || len(s.ZeroConsensusEpochs) != 0 {
		t.Fatalf("summary bonds %v zero %v", s.FinalBonds, s.ZeroConsensusEpochs)
	}
}

func TestRunIsDeterministicAndVariantIndependent(t *testing.T) {
	sc, _ := Lookup("case21", CatalogueOptions{})
	var e1, e2 []*fakeEngine
	r1, err := Run(context.Background(), sc, Options{Engine: fakeFactory(&e1)})
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Run(context.Background(), sc, Options{Engine: fakeFactory(&e2), Runs: []RunSpec{{Yuma: "yuma2c"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r1.Variants[0].Weights, r2.Variants[0].Weights) || !slices.Equal(r1.Variants[0].Weights, r1.Variants[2].Weights) {
		t.Fatal("noisy weights differ between runs or variants")
	}
	// Client-side WTA: every row is one-hot.
	for k := 0; k < len(r1.Variants[0].Weights); k += 2 {
		w := r1.Variants[0].Weights[k : k+2]
		if !(w[0] == 1 && w[1] == 0 || w[0] == 0 && w[1] == 1) {
			t.Fatalf("row %v not one-hot", w)
		}
	}
	// The better server (0.6 vs 0.55) wins most votes of the low-noise validator.
	wins := 0
	for tt := 0; tt < CaseEpochs; tt++ {
		if r1.Variants[0].Weights[tt*3*2] == 1 {
			wins++
		}
	}
	if wins < CaseEpochs/2 {
		t.Fatalf("low-noise validator picked S1 only %d times of %d", wins, CaseEpochs)
	}
}

func TestRunHonoursContext(t *testing.T) {
	sc, _ := Lookup("case01", CatalogueOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var e []*fakeEngine
	if _, err := Run(ctx, sc, Options{Engine: fakeFactory(&e)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

func TestRunRejectsBadVariantOverride(t *testing.T) {
	sc, _ := Lookup("case01", CatalogueOptions{})
	var e []*fakeEngine
	_, err := Run(context.Background(), sc, Options{Engine: fakeFactory(&e), Runs: []RunSpec{{Yuma: "yuma7"}}})
	if err == nil || !badinput.Is(err) {
		t.Fatalf("want bad input, got %v", err)
	}
}

func TestRelativeDividendRate(t *testing.T) {
	// Three validators with equal stake; per-stake dividends 0.5, 1, 1.5 at
	// epoch 0 and 1, 1, 1 at epoch 1; a fourth has no stake at epoch 0.
	res := &Result{Validators: []string{"a", "b", "c", "d"}, Epochs: 2,
		Stake: []float64{0.25, 0.25, 0.5, 0, 0.25, 0.25, 0.25, 0.25}}
	rr := &RunResult{DividendPerStake: []float64{0.5, 1, 1.25, math.NaN(), 1, 1, 1, 1}}
	g := relativeRate(res, rr)
	// a: epoch 0: 0.5 / median(1, 1.25) = 0.5/1.125; epoch 1: 1.
	want := []float64{(0.5/1.125 + 1) / 2, (1/0.875 + 1) / 2, (1.25/0.75 + 1) / 2, 1}
	for i := range want {
		if !near(g[i], want[i]) {
			t.Fatalf("G[%d] = %v, want %v", i, g[i], want[i])
		}
	}
}

func TestSignalsAndStrategies(t *testing.T) {
	// The paper's miner A at rho 0.1, delta 0.3: 0.1, 0.2, 0.3, 0.4, 0.4.
	a := Piecewise{Points: [][2]float64{{0, 0.1}, {3, 0.4}}}
	for tt, want := range []float64{0.1, 0.2, 0.3, 0.4, 0.4} {
		if got := a.Value(tt); !near(got, want) {
			t.Fatalf("piecewise(%d) = %v, want %v", tt, got, want)
		}
	}
	n := Noisy{Mean: 0.5, Sigma: 0.2, Seed: 9, Stream: 1}
	sum, sq := 0.0, 0.0
	for tt := 0; tt < 4000; tt++ {
		v := n.Value(tt)
		if v != n.Value(tt) || v < 0 {
			t.Fatal("noisy signal not deterministic or negative")
		}
		sum += v
		sq += v * v
	}
	mean := sum / 4000
	sd := math.Sqrt(sq/4000 - mean*mean)
	if math.Abs(mean-0.5) > 0.02 || math.Abs(sd-0.2) > 0.02 {
		t.Fatalf("noisy signal mean %v sd %v", mean, sd)
	}
	w := []float64{0.2, 0.7, 0.7, 0.1}
	argmaxOneHot(w)
	if !slices.Equal(w, []float64{0, 1, 0, 0}) {
		t.Fatalf("argmax %v", w)
	}
	z := []float64{0, 0}
	argmaxOneHot(z)
	if !slices.Equal(z, []float64{0, 0}) {
		t.Fatalf("argmax of zeros %v", z)
	}
	f := Fixed{From: []int{0, 3, 7}, Rows: [][]float64{{1}, {2}, {3}}}
	for tt, want := range []float64{1, 1, 1, 2, 2, 2, 2, 3, 3} {
		d := []float64{0}
		f.Weights(nil, tt, d)
		if d[0] != want {
			t.Fatalf("fixed at %d = %v, want %v", tt, d[0], want)
		}
	}
}
