package paper

import (
	"github.com/yuma-go/yuma/epoch"
	"math"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
)

// Options configure Run. The zero value of each field means the paper's
// setting (peers-and-paper.md section 4.3).
type Options struct {
	Variant   Variant // notebook (the paper's rules)
	Rounds    int     // rounds per run: 20
	Lag       int     // the copier's lag in rounds: 5
	AlphaLow  float64 // alpha_low of Figs. 1-3: 0.1
	AlphaHigh float64 // alpha_high everywhere: 0.9
	// Step is the grid step of rho and delta in Figs. 1, 4 and 5: 0.05.
	Step float64
	// AlphaLows is the alpha_low grid of Figs. 4 and 5: 0.1, 0.2, ..., 0.9.
	AlphaLows []float64
	// MaxLag is the longest lag of the lag sweep (lags 1..MaxLag): 20.
	MaxLag int
	// SweepRounds is the horizon of the lag sweep: 40.
	SweepRounds int
	// SweepDelta is miner A's jump in the lag sweep: 0.5.
	SweepDelta float64
	// CopierStakes are the copier's stake shares in the lag sweep:
	// 0.01, 0.05, 0.1, 0.2, 0.3, 0.45. The honest j keeps 1% and c the rest.
	CopierStakes []float64
	// Take is the delegate take that copying must beat: 0.18.
	Take float64
	// Gamma is the discount of the long-term penalty Gamma(j,k) reported for
	// Figs. 2 and 3 (eqs. 20 and 24): 0.95.
	Gamma    float64
	Workers  int           // goroutines; <= 0 means all cores
	Progress progress.Func // called as grid jobs finish; may be nil
	// Engine builds engines; nil means the float engine of package epoch.
	Engine epoch.Factory
}

// Settings is the serialisable part of Options, as recorded in summary.json.
type Settings struct {
	Variant      Variant   `json:"variant"`
	Rounds       int       `json:"rounds"`
	Lag          int       `json:"lag"`
	Rho          float64   `json:"rho"`
	AlphaLow     float64   `json:"alpha_low"`
	AlphaHigh    float64   `json:"alpha_high"`
	Retention    float64   `json:"bonds_moving_average"`
	Kappa        float64   `json:"kappa"`
	BondsPenalty float64   `json:"bonds_penalty"`
	Stake        []float64 `json:"stake_j_k_c"`
	Step         float64   `json:"grid_step"`
	AlphaLows    []float64 `json:"alpha_low_grid"`
	MaxLag       int       `json:"sweep_max_lag"`
	SweepRounds  int       `json:"sweep_rounds"`
	SweepDelta   float64   `json:"sweep_delta"`
	CopierStakes []float64 `json:"sweep_copier_stakes"`
	Take         float64   `json:"take"`
	Gamma        float64   `json:"gamma"`
	Metric       string    `json:"figure_metric"`
}

// withDefaults fills zero fields with the paper's values.
func (o Options) withDefaults() Options {
	if o.Variant == "" {
		o.Variant = VariantNotebook
	}
	if o.Rounds == 0 {
		o.Rounds = 20
	}
	if o.Lag == 0 {
		o.Lag = 5
	}
	if o.AlphaLow == 0 {
		o.AlphaLow = 0.1
	}
	if o.AlphaHigh == 0 {
		o.AlphaHigh = 0.9
	}
	if o.Step == 0 {
		o.Step = 0.05
	}
	if o.AlphaLows == nil {
		o.AlphaLows = []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}
	}
	if o.MaxLag == 0 {
		o.MaxLag = 20
	}
	if o.SweepRounds == 0 {
		o.SweepRounds = 40
	}
	if o.SweepDelta == 0 {
		o.SweepDelta = 0.5
	}
	if o.CopierStakes == nil {
		o.CopierStakes = []float64{0.01, 0.05, 0.1, 0.2, 0.3, 0.45}
	}
	if o.Take == 0 {
		o.Take = 0.18
	}
	if o.Gamma == 0 {
		o.Gamma = 0.95
	}
	return o
}

// validate reports the first unusable option as a *badinput.Error naming the
// matching `yuma paper` flag.
func (o Options) validate() error {
	bad := func(field, format string, args ...any) error { return badinput.New("", "", field, format, args...) }
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if _, err := ParseVariant(string(o.Variant)); err != nil {
		return bad("--variant", "%v", err)
	}
	if o.Rounds < 1 || o.Rounds > 10000 {
		return bad("--rounds", "%d is not in [1, 10000]", o.Rounds)
	}
	if o.Lag < 1 || o.Lag > 10000 {
		return bad("--lag", "%d is not in [1, 10000]", o.Lag)
	}
	if !finite(o.AlphaHigh) || o.AlphaHigh <= 0 || o.AlphaHigh >= 1 {
		return bad("--alpha-high", "%v is not in (0, 1)", o.AlphaHigh)
	}
	if !finite(o.AlphaLow) || o.AlphaLow <= 0 || o.AlphaLow > o.AlphaHigh {
		return bad("--alpha-low", "%v is not in (0, alpha_high = %v]", o.AlphaLow, o.AlphaHigh)
	}
	if !finite(o.Step) || o.Step < 0.005 || o.Step > 0.5 {
		return bad("--step", "%v is not in [0.005, 0.5]", o.Step)
	}
	if len(o.AlphaLows) == 0 {
		return bad("--alpha-lows", "empty grid")
	}
	for i, a := range o.AlphaLows {
		if !finite(a) || a <= 0 || a > o.AlphaHigh {
			return bad("--alpha-lows", "value %d (%v) is not in (0, alpha_high = %v]", i, a, o.AlphaHigh)
		}
	}
	if o.MaxLag < 1 || o.MaxLag > 1000 {
		return bad("--max-lag", "%d is not in [1, 1000]", o.MaxLag)
	}
	if o.SweepRounds < 1 || o.SweepRounds > 10000 {
		return bad("--sweep-rounds", "%d is not in [1, 10000]", o.SweepRounds)
	}
	if !finite(o.SweepDelta) || o.SweepDelta <= 0 || o.SweepDelta > 0.5 {
		return bad("--sweep-delta", "%v is not in (0, 0.5]", o.SweepDelta)
	}
	if len(o.CopierStakes) == 0 {
		return bad("--copier-stakes", "empty list")
	}
	for i, s := range o.CopierStakes {
		if !finite(s) || s <= 0 || s >= 0.99 {
			return bad("--copier-stakes", "value %d (%v) is not in (0, 0.99)", i, s)
		}
	}
	if !finite(o.Take) || o.Take < 0 || o.Take >= 1 {
		return bad("--take", "%v is not in [0, 1)", o.Take)
	}
	if !finite(o.Gamma) || o.Gamma <= 0 || o.Gamma > 1 {
		return bad("--gamma", "%v is not in (0, 1]", o.Gamma)
	}
	return nil
}

func (o Options) settings() Settings {
	return Settings{
		Variant: o.Variant, Rounds: o.Rounds, Lag: o.Lag, Rho: 0,
		AlphaLow: o.AlphaLow, AlphaHigh: o.AlphaHigh, Retention: Retention,
		Kappa: 0.5, BondsPenalty: 1, Stake: []float64{1, 1, 98},
		Step: o.Step, AlphaLows: append([]float64(nil), o.AlphaLows...),
		MaxLag: o.MaxLag, SweepRounds: o.SweepRounds, SweepDelta: o.SweepDelta,
		CopierStakes: append([]float64(nil), o.CopierStakes...), Take: o.Take, Gamma: o.Gamma,
		Metric: "Figs. 1, 4, 5: mean of G_t(j,k) = D_t^j - D_t^k over rounds 0..rounds-1",
	}
}

// grid returns 0, step, 2*step, ... up to hi (inclusive, with rounding
// tolerance), each value rounded to 1e-9 so that 0.1 + 0.2 prints as 0.3.
func grid(lo, hi, step float64) []float64 {
	var out []float64
	for i := 0; ; i++ {
		x := math.Round((lo+float64(i)*step)*1e9) / 1e9
		if x > hi+1e-9 {
			return out
		}
		out = append(out, x)
	}
}
