// Package diagnose is the weight-copying diagnostic on a subnet's real
// history: it replays the snapshots through the float engine with the chain's
// masks, inserts a synthetic copier that lags the reveal period, sweeps
// alpha_low x alpha_high x reveal period (x steepness for liquid alpha v2) and
// reports the copier's relative dividend rate G per combination, the effect on
// honest validators and a recommendation (interfaces.md section 5).
package diagnose

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/penalty"
)

// Source is one subnet history to diagnose.
type Source struct {
	Name      string                // shown in reports, e.g. "sn31" or a store path
	Snapshots []*metagraph.Snapshot // one per tempo, any order (sorted by block)
}

// Copier kinds.
const (
	CopierConsensus = "consensus" // copies the consensus of epoch t - reveal period
	CopierTop       = "top"       // copies the top-stake validator's row of epoch t - reveal period
)

// Copier-stake modes.
const (
	StakeMedian = "median" // median honest validator stake
	StakeShare  = "share"  // the given share of all stake, e.g. 0.05
	StakeTAO    = "tao"    // an absolute amount in the snapshots' stake units
)

// Scoring windows.
const (
	WindowCommon   = "common"   // every reveal period scored on the same epochs [largest rp, + tempos)
	WindowNotebook = "notebook" // reveal period rp scored on epochs [rp, rp + tempos), as the notebook did
)

// Metrics usable for the recommendation.
const (
	MetricLast       = "last"
	MetricMean       = "mean"
	MetricCumulative = "cumulative"
)

// CopierStake says how much stake the synthetic copier holds.
type CopierStake struct {
	Mode  string  // StakeMedian, StakeShare or StakeTAO
	Value float64 // share in (0, 1) or TAO amount; unused for median
}

// String formats the stake as the --copier-stake flag does.
func (c CopierStake) String() string {
	switch c.Mode {
	case StakeShare, StakeTAO:
		return c.Mode + ":" + strconv.FormatFloat(c.Value, 'g', -1, 64)
	}
	return StakeMedian
}

// ParseCopierStake parses "median", "share:0.05" or "tao:1000".
func ParseCopierStake(s string) (CopierStake, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == StakeMedian {
		return CopierStake{Mode: StakeMedian}, nil
	}
	mode, val, ok := strings.Cut(s, ":")
	v, err := strconv.ParseFloat(val, 64)
	if !ok || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return CopierStake{}, badinput.New("", "", "--copier-stake", "%q: want median, share:F or tao:X", s)
	}
	switch mode {
	case StakeShare:
		if v <= 0 || v >= 1 {
			return CopierStake{}, badinput.New("", "", "--copier-stake", "share %v must be in (0, 1)", v)
		}
	case StakeTAO:
		if v <= 0 {
			return CopierStake{}, badinput.New("", "", "--copier-stake", "tao %v must be positive", v)
		}
	default:
		return CopierStake{}, badinput.New("", "", "--copier-stake", "%q: want median, share:F or tao:X", s)
	}
	return CopierStake{Mode: mode, Value: v}, nil
}

// Options configure a diagnostic run. The zero values of the grid fields
// select the notebook's grid (see DefaultOptions).
type Options struct {
	Sources []Source

	AlphaLow      []float64
	AlphaHigh     []float64
	RevealPeriods []int
	Steepness     []float64 // only for liquid alpha v2

	Yuma        epoch.YumaVersion
	LiquidAlpha epoch.LiquidAlphaMode
	Compat      epoch.Compat
	Params      epoch.Params // base parameters; AlphaLow/AlphaHigh/Steepness are set per combination

	Tempos      int // scored epochs per run (30)
	Copier      string
	CopierStake CopierStake
	Take        float64 // validator take, threshold 1 - Take (0.18)
	Metric      string  // which G the recommendation uses (cumulative)
	Window      string  // WindowCommon (default) or WindowNotebook

	ActivityCutoff uint64 // blocks, when the snapshots carry no activity_cutoff hyperparameter (5000)
	// NotebookParams ignores the subnet's own kappa, bonds_moving_average and
	// bonds_penalty (when its snapshots carry them) in favour of Params.
	NotebookParams bool
	MaxValidators  int // permits derived as top-k by stake when snapshots have none (64)

	Shard   penalty.Shard
	Workers int
	Engine  epoch.Factory // nil means epoch.New
}

// DefaultOptions returns the notebook's setup: alpha_low and alpha_high in
// {0.1, 0.3, 0.5, 0.7, 0.9}, reveal periods 0, 1, 3, ..., 29, 30 tempos, Yuma 2
// with the notebooks' liquid alpha (v1-paper), a consensus copier with the
// median validator stake, take 18%.
func DefaultOptions() Options {
	p := baseParams()
	return Options{
		AlphaLow:       []float64{0.1, 0.3, 0.5, 0.7, 0.9},
		AlphaHigh:      []float64{0.1, 0.3, 0.5, 0.7, 0.9},
		RevealPeriods:  []int{0, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29},
		Steepness:      []float64{p.AlphaSigmoidSteepness},
		Yuma:           epoch.Yuma2,
		LiquidAlpha:    epoch.LiquidAlphaV1Paper,
		Compat:         epoch.CompatChain,
		Params:         p,
		Tempos:         30,
		Copier:         CopierConsensus,
		CopierStake:    CopierStake{Mode: StakeMedian},
		Take:           0.18,
		Metric:         MetricCumulative,
		Window:         WindowCommon,
		ActivityCutoff: 5000,
		MaxValidators:  64,
	}
}

// validate checks the options and fills defaults for empty fields.
func (o *Options) validate() error {
	d := DefaultOptions()
	if len(o.Sources) == 0 {
		return badinput.New("", "", "input", "no subnet history given (use --dataset, --snapshots or --store)")
	}
	if o.AlphaLow == nil {
		o.AlphaLow = d.AlphaLow
	}
	if o.AlphaHigh == nil {
		o.AlphaHigh = d.AlphaHigh
	}
	if o.RevealPeriods == nil {
		o.RevealPeriods = d.RevealPeriods
	}
	if o.Yuma == "" {
		o.Yuma = d.Yuma
	}
	if o.LiquidAlpha == "" {
		o.LiquidAlpha = d.LiquidAlpha
	}
	if o.Compat == "" {
		o.Compat = d.Compat
	}
	if o.Params == (epoch.Params{}) {
		o.Params = d.Params
	}
	if o.Steepness == nil {
		o.Steepness = []float64{o.Params.AlphaSigmoidSteepness}
	}
	if o.LiquidAlpha != epoch.LiquidAlphaV2 {
		o.Steepness = []float64{0}
	}
	// Grids are sets: sorted, without repeats (copies, so callers' slices stay theirs).
	o.AlphaLow = sortedSet(o.AlphaLow)
	o.AlphaHigh = sortedSet(o.AlphaHigh)
	o.Steepness = sortedSet(o.Steepness)
	o.RevealPeriods = sortedSet(o.RevealPeriods)
	if o.Tempos == 0 {
		o.Tempos = d.Tempos
	}
	if o.Copier == "" {
		o.Copier = d.Copier
	}
	if o.CopierStake.Mode == "" {
		o.CopierStake = d.CopierStake
	}
	if o.Metric == "" {
		o.Metric = d.Metric
	}
	if o.Window == "" {
		o.Window = WindowCommon
	}
	if o.ActivityCutoff == 0 {
		o.ActivityCutoff = d.ActivityCutoff
	}
	if o.MaxValidators == 0 {
		o.MaxValidators = d.MaxValidators
	}
	bad := func(field, format string, args ...any) error { return badinput.New("", "", field, format, args...) }
	for _, list := range []struct {
		name string
		v    []float64
	}{{"--alpha-low", o.AlphaLow}, {"--alpha-high", o.AlphaHigh}} {
		if len(list.v) == 0 {
			return bad(list.name, "empty list")
		}
		for _, a := range list.v {
			if !(a > 0 && a < 1) {
				return bad(list.name, "%v is outside (0, 1)", a)
			}
		}
	}
	for _, k := range o.Steepness {
		if math.IsNaN(k) || math.IsInf(k, 0) {
			return bad("--steepness", "%v is not finite", k)
		}
	}
	if len(o.RevealPeriods) == 0 {
		return bad("--reveal-periods", "empty list")
	}
	for _, rp := range o.RevealPeriods {
		if rp < 0 || rp > 1000 {
			return bad("--reveal-periods", "%d is outside 0..1000 tempos", rp)
		}
	}
	if o.Tempos < 1 || o.Tempos > 100000 {
		return bad("--tempos", "%d is outside 1..100000", o.Tempos)
	}
	if o.Copier != CopierConsensus && o.Copier != CopierTop {
		return bad("--copier", "%q: want consensus or top", o.Copier)
	}
	if !(o.Take >= 0 && o.Take < 1) {
		return bad("--take", "%v is outside [0, 1)", o.Take)
	}
	if o.Window != WindowCommon && o.Window != WindowNotebook {
		return bad("--window", "%q: want common or notebook", o.Window)
	}
	switch o.Metric {
	case MetricLast, MetricMean, MetricCumulative:
	default:
		return bad("--metric", "%q: want last, mean or cumulative", o.Metric)
	}
	switch o.LiquidAlpha {
	case epoch.LiquidAlphaOff, epoch.LiquidAlphaV1, epoch.LiquidAlphaV1Paper, epoch.LiquidAlphaV2:
	default:
		return bad("--liquid-alpha", "%q: want off, v1, v1-paper or v2", o.LiquidAlpha)
	}
	if o.MaxValidators < 1 {
		return bad("--max-validators", "%d must be positive", o.MaxValidators)
	}
	if err := o.Shard.Validate(); err != nil {
		return bad("--shard", "%v", err)
	}
	if o.LiquidAlpha != epoch.LiquidAlphaOff && len(o.combos()) == 0 {
		return bad("--alpha-low", "no alpha_low <= alpha_high pair in the grid (alpha_low %v, alpha_high %v)", o.AlphaLow, o.AlphaHigh)
	}
	return nil
}

// combos lists the (alpha_low, alpha_high, steepness) cells with
// alpha_low <= alpha_high, in flag order.
func (o *Options) combos() [][3]float64 {
	var out [][3]float64
	for _, k := range o.Steepness {
		for _, hi := range o.AlphaHigh {
			for _, lo := range o.AlphaLow {
				if lo <= hi {
					out = append(out, [3]float64{lo, hi, k})
				}
			}
		}
	}
	return out
}

// ParseFloats parses a comma list ("0.1,0.3") or a range "start:stop:step"
// (stop inclusive, within rounding) for the named flag.
func ParseFloats(flag, s string) ([]float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, badinput.New("", "", flag, "empty list")
	}
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) != 3 {
			return nil, badinput.New("", "", flag, "%q: want start:stop:step", s)
		}
		var v [3]float64
		for i, p := range parts {
			f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, badinput.New("", "", flag, "%q: %q is not a number", s, p)
			}
			v[i] = f
		}
		if v[2] <= 0 || v[1] < v[0] || (v[1]-v[0])/v[2] > 10000 {
			return nil, badinput.New("", "", flag, "%q: need step > 0, stop >= start and at most 10000 values", s)
		}
		var out []float64
		for k := 0; ; k++ {
			x := v[0] + float64(k)*v[2]
			if x > v[1]+v[2]*1e-9 {
				break
			}
			out = append(out, math.Round(x*1e12)/1e12)
		}
		return out, nil
	}
	var out []float64
	for _, p := range strings.Split(s, ",") {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, badinput.New("", "", flag, "%q is not a number", p)
		}
		out = append(out, f)
	}
	return out, nil
}

// ParseInts parses a comma list ("0,1,3") or a range "start:stop:step" (stop
// inclusive) of integers for the named flag.
func ParseInts(flag, s string) ([]int, error) {
	f, err := ParseFloats(flag, s)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(f))
	for i, v := range f {
		if v != math.Trunc(v) || math.Abs(v) > 1e9 {
			return nil, badinput.New("", "", flag, "%v is not an integer", v)
		}
		out[i] = int(v)
	}
	return out, nil
}

// ShardFromEnv resolves "--shard auto" from a batch engine's environment:
// JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) and, for the count,
// count (from --shard-count) or JOB_COMPLETIONS.
func ShardFromEnv(getenv func(string) string, count int) (penalty.Shard, error) {
	idx := getenv("JOB_COMPLETION_INDEX")
	if idx == "" {
		return penalty.Shard{}, badinput.New("", "", "--shard", "auto: JOB_COMPLETION_INDEX is not set")
	}
	i, err := strconv.Atoi(idx)
	if err != nil {
		return penalty.Shard{}, badinput.New("", "", "JOB_COMPLETION_INDEX", "%q is not an integer", idx)
	}
	if count <= 0 {
		c := getenv("JOB_COMPLETIONS")
		if c == "" {
			return penalty.Shard{}, badinput.New("", "", "--shard", "auto: set --shard-count or JOB_COMPLETIONS")
		}
		count, err = strconv.Atoi(c)
		if err != nil {
			return penalty.Shard{}, badinput.New("", "", "JOB_COMPLETIONS", "%q is not an integer", c)
		}
	}
	s := penalty.Shard{Index: i, Count: count}
	if err := s.Validate(); err != nil {
		return penalty.Shard{}, badinput.New("", "", "--shard", "%v", err)
	}
	return s, nil
}

// baseParams are the notebook's engine parameters: kappa 0.5, bonds penalty
// 1, bonds moving average 0.9 (EMA alpha 0.1), liquid-alpha v2 steepness 10.
func baseParams() epoch.Params {
	return epoch.Params{
		Kappa:                 0.5,
		BondsPenalty:          1,
		BondsMovingAverage:    0.9,
		AlphaLow:              0.7,
		AlphaHigh:             0.9,
		AlphaSigmoidSteepness: 10,
		LiquidAlphaConsensus:  epoch.ConsensusCurrent,
	}
}

// sortedSet returns a sorted copy of v without repeated values.
func sortedSet[T int | float64](v []T) []T {
	out := append([]T(nil), v...)
	slices.Sort(out)
	return slices.Compact(out)
}
