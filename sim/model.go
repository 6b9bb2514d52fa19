package sim

import (
	"fmt"
	"math"
	"strings"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
)

// model is a validated scenario ready to run: names, per-epoch stakes and
// signals, compiled strategies in evaluation order, bond resets per epoch and
// the engine configurations.
type model struct {
	name       string
	epochs     int
	validators []string
	miners     []string
	// stake is epochs x validators, normalised to sum 1 per epoch.
	stake []float64
	// signal is epochs x miners.
	signal     []float64
	strategies []Strategy
	// order lists validator indices so that a copier with lag 0 comes after
	// its target.
	order  []int
	resets [][]int // per epoch, miner columns to reset
	runs   []Variant
}

// Variant is one engine configuration a scenario runs, with its label.
type Variant struct {
	Name   string       `json:"name"`
	Config epoch.Config `json:"config"`
}

// VariantName builds the default label of a run: the Yuma version, then
// "-la-<mode>" when liquid alpha is on, then "-<compat>" when not chain.
func VariantName(c epoch.Config) string {
	s := string(c.Yuma)
	if c.LiquidAlpha != "" && c.LiquidAlpha != epoch.LiquidAlphaOff {
		s += "-la-" + string(c.LiquidAlpha)
	}
	if c.Compat != "" && c.Compat != epoch.CompatChain {
		s += "-" + string(c.Compat)
	}
	return s
}

// DefaultRuns are the variants run when a scenario lists none: yuma2, yuma3
// and yuma3 with liquid alpha v2, in chain compatibility.
func DefaultRuns() []RunSpec {
	return []RunSpec{
		{Yuma: string(epoch.Yuma2)},
		{Yuma: string(epoch.Yuma3)},
		{Yuma: string(epoch.Yuma3), LiquidAlpha: string(epoch.LiquidAlphaV2)},
	}
}

// YumaVersions lists the Yuma versions of the float engine.
func YumaVersions() []epoch.YumaVersion {
	return []epoch.YumaVersion{epoch.Yuma1, epoch.Yuma2, epoch.Yuma2a, epoch.Yuma2b, epoch.Yuma2c, epoch.Yuma3}
}

// LiquidAlphaModes lists the liquid-alpha modes of the float engine.
func LiquidAlphaModes() []epoch.LiquidAlphaMode {
	return []epoch.LiquidAlphaMode{epoch.LiquidAlphaOff, epoch.LiquidAlphaV1, epoch.LiquidAlphaV1Paper, epoch.LiquidAlphaV2}
}

// CompatModes lists the compatibility modes of the float engine.
func CompatModes() []epoch.Compat {
	return []epoch.Compat{epoch.CompatChain, epoch.CompatYumaSimulation, epoch.CompatNotebook}
}

// ParseYuma checks a Yuma version name.
func ParseYuma(s string) (epoch.YumaVersion, bool) {
	for _, v := range YumaVersions() {
		if string(v) == s {
			return v, true
		}
	}
	return "", false
}

// ParseLiquidAlpha checks a liquid-alpha mode name ("" means off).
func ParseLiquidAlpha(s string) (epoch.LiquidAlphaMode, bool) {
	if s == "" {
		return epoch.LiquidAlphaOff, true
	}
	for _, v := range LiquidAlphaModes() {
		if string(v) == s {
			return v, true
		}
	}
	return "", false
}

// ParseCompat checks a compatibility mode name ("" means chain).
func ParseCompat(s string) (epoch.Compat, bool) {
	if s == "" {
		return epoch.CompatChain, true
	}
	for _, v := range CompatModes() {
		if string(v) == s {
			return v, true
		}
	}
	return "", false
}

func names[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// Validate checks the scenario and reports the first problem as a
// *badinput.Error naming file, the field path and the reason.
func (sc *Scenario) Validate(file string) error {
	_, err := sc.compile(file, nil)
	return err
}

// checker accumulates the file name for error construction.
type checker struct{ file string }

func (c checker) errf(field, format string, args ...any) error {
	return badinput.New(c.file, "", field, format, args...)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// unit checks that x is a finite number in [0, 1].
func (c checker) unit(field string, x float64) error {
	if !finite(x) || x < 0 || x > 1 {
		return c.errf(field, "must be a number in [0, 1], got %v", x)
	}
	return nil
}

// MaxValue bounds every stake, weight, signal and noise level, so that sums
// and noisy draws stay finite.
const MaxValue = 1e15

func (c checker) nonNeg(field string, x float64) error {
	if !finite(x) || x < 0 {
		return c.errf(field, "must be a finite non-negative number, got %v", x)
	}
	if x > MaxValue {
		return c.errf(field, "must be at most %g, got %v", MaxValue, x)
	}
	return nil
}

// applyParams overlays the set fields of p on base.
func (c checker) applyParams(field string, p ParamSpec, base epoch.Params) (epoch.Params, error) {
	unitFields := []struct {
		name string
		v    *float64
		dst  *float64
	}{
		{"kappa", p.Kappa, &base.Kappa},
		{"bonds_penalty", p.BondsPenalty, &base.BondsPenalty},
		{"bonds_moving_average", p.BondsMovingAverage, &base.BondsMovingAverage},
		{"alpha_low", p.AlphaLow, &base.AlphaLow},
		{"alpha_high", p.AlphaHigh, &base.AlphaHigh},
		{"decay_rate", p.DecayRate, &base.DecayRate},
		{"capacity_alpha", p.CapacityAlpha, &base.CapacityAlpha},
	}
	for _, f := range unitFields {
		if f.v == nil {
			continue
		}
		if err := c.unit(field+"."+f.name, *f.v); err != nil {
			return base, err
		}
		*f.dst = *f.v
	}
	if p.AlphaSigmoidSteepness != nil {
		if err := c.nonNeg(field+".alpha_sigmoid_steepness", *p.AlphaSigmoidSteepness); err != nil {
			return base, err
		}
		base.AlphaSigmoidSteepness = *p.AlphaSigmoidSteepness
	}
	if p.LiquidAlphaWeights != nil {
		switch *p.LiquidAlphaWeights {
		case "effective":
			base.LiquidAlphaEffectiveWeights = true
		case "raw":
			base.LiquidAlphaEffectiveWeights = false
		default:
			return base, c.errf(field+".liquid_alpha_weights", "must be effective or raw, got %q", *p.LiquidAlphaWeights)
		}
	}
	if p.LiquidAlphaConsensus != nil {
		switch cs := epoch.ConsensusSource(*p.LiquidAlphaConsensus); cs {
		case epoch.ConsensusCurrent, epoch.ConsensusPrevious, epoch.ConsensusMixed:
			base.LiquidAlphaConsensus = cs
		default:
			return base, c.errf(field+".liquid_alpha_consensus", "must be current, previous or mixed, got %q", *p.LiquidAlphaConsensus)
		}
	}
	if p.WinnerTakesAll != nil {
		base.WinnerTakesAll = *p.WinnerTakesAll
	}
	if base.AlphaLow > base.AlphaHigh {
		return base, c.errf(field+".alpha_low", "alpha_low %v exceeds alpha_high %v", base.AlphaLow, base.AlphaHigh)
	}
	return base, nil
}

// compile validates the scenario and builds the runnable model. runs, when
// not nil, replaces the scenario's own list of runs.
func (sc *Scenario) compile(file string, runs []RunSpec) (*model, error) {
	c := checker{file}
	if strings.TrimSpace(sc.Name) == "" {
		return nil, c.errf("name", "must not be empty")
	}
	if strings.ContainsAny(sc.Name, `/\`) || sc.Name == "." || sc.Name == ".." {
		return nil, c.errf("name", "must not contain path separators, got %q", sc.Name)
	}
	if sc.Epochs < 1 || sc.Epochs > MaxEpochs {
		return nil, c.errf("epochs", "must be between 1 and %d, got %d", MaxEpochs, sc.Epochs)
	}
	nv, nm := len(sc.Validators), len(sc.Miners)
	if nv == 0 {
		return nil, c.errf("validators", "at least one validator is required")
	}
	if nm == 0 {
		return nil, c.errf("miners", "at least one miner is required")
	}
	if nv > MaxValidators {
		return nil, c.errf("validators", "at most %d validators, got %d", MaxValidators, nv)
	}
	if nm > MaxMiners {
		return nil, c.errf("miners", "at most %d miners, got %d", MaxMiners, nm)
	}
	if cells := float64(sc.Epochs) * float64(nv) * float64(nm); cells > MaxCells {
		return nil, c.errf("epochs", "epochs x validators x miners = %.0f exceeds the limit %d", cells, MaxCells)
	}
	m := &model{name: sc.Name, epochs: sc.Epochs}

	// Miners and their signals.
	minerIdx := make(map[string]int, nm)
	m.signal = make([]float64, sc.Epochs*nm)
	for j, ms := range sc.Miners {
		field := fmt.Sprintf("miners[%d]", j)
		if strings.TrimSpace(ms.Name) == "" {
			return nil, c.errf(field+".name", "must not be empty")
		}
		if _, dup := minerIdx[ms.Name]; dup {
			return nil, c.errf(field+".name", "duplicate miner name %q", ms.Name)
		}
		minerIdx[ms.Name] = j
		m.miners = append(m.miners, ms.Name)
		sig, err := compileSignal(c, field+".signal", ms.Signal, sc.Seed, j)
		if err != nil {
			return nil, err
		}
		for t := 0; t < sc.Epochs; t++ {
			m.signal[t*nm+j] = sig.Value(t)
		}
	}

	// Validators: names, stakes, strategies.
	valIdx := make(map[string]int, nv)
	for i, vs := range sc.Validators {
		field := fmt.Sprintf("validators[%d]", i)
		if strings.TrimSpace(vs.Name) == "" {
			return nil, c.errf(field+".name", "must not be empty")
		}
		if _, dup := valIdx[vs.Name]; dup {
			return nil, c.errf(field+".name", "duplicate validator name %q", vs.Name)
		}
		valIdx[vs.Name] = i
		m.validators = append(m.validators, vs.Name)
	}
	if err := m.compileStakes(c, sc); err != nil {
		return nil, err
	}
	m.strategies = make([]Strategy, nv)
	deps := make([]int, nv) // lag-0 copy target or -1
	for i, vs := range sc.Validators {
		field := fmt.Sprintf("validators[%d].strategy", i)
		st, dep, err := compileStrategy(c, field, vs.Strategy, i, nm, sc.Seed, valIdx)
		if err != nil {
			return nil, err
		}
		m.strategies[i] = st
		deps[i] = dep
	}
	order, err := evalOrder(c, deps, m.validators)
	if err != nil {
		return nil, err
	}
	m.order = order

	// Bond resets.
	m.resets = make([][]int, sc.Epochs)
	for k, br := range sc.BondResets {
		field := fmt.Sprintf("bond_resets[%d]", k)
		if br.Epoch < 0 || br.Epoch >= sc.Epochs {
			return nil, c.errf(field+".epoch", "must be in [0, %d), got %d", sc.Epochs, br.Epoch)
		}
		j, ok := minerIdx[br.Miner]
		if !ok {
			return nil, c.errf(field+".miner", "unknown miner %q", br.Miner)
		}
		m.resets[br.Epoch] = append(m.resets[br.Epoch], j)
	}

	// Engine configurations.
	base, err := c.applyParams("params", sc.Params, epoch.DefaultParams())
	if err != nil {
		return nil, err
	}
	field := "runs"
	if runs == nil {
		runs = sc.Runs
		if len(runs) == 0 {
			runs = DefaultRuns()
		}
	} else {
		field = "variants"
	}
	seen := map[string]bool{}
	for k, rs := range runs {
		f := fmt.Sprintf("%s[%d]", field, k)
		y, ok := ParseYuma(rs.Yuma)
		if !ok {
			return nil, c.errf(f+".yuma", "unknown Yuma version %q (want one of %s)", rs.Yuma, names(YumaVersions()))
		}
		la, ok := ParseLiquidAlpha(rs.LiquidAlpha)
		if !ok {
			return nil, c.errf(f+".liquid_alpha", "unknown liquid-alpha mode %q (want one of %s)", rs.LiquidAlpha, names(LiquidAlphaModes()))
		}
		cm, ok := ParseCompat(rs.Compat)
		if !ok {
			return nil, c.errf(f+".compat", "unknown compat mode %q (want one of %s)", rs.Compat, names(CompatModes()))
		}
		p, err := c.applyParams(f+".params", rs.Params, base)
		if err != nil {
			return nil, err
		}
		cfg := epoch.Config{Yuma: y, LiquidAlpha: la, Compat: cm, Params: p}
		name := rs.Name
		if name == "" {
			name = VariantName(cfg)
		}
		if strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
			return nil, c.errf(f+".name", "must not contain path separators, got %q", name)
		}
		if seen[name] {
			return nil, c.errf(f+".name", "duplicate run name %q", name)
		}
		seen[name] = true
		m.runs = append(m.runs, Variant{Name: name, Config: cfg})
	}
	return m, nil
}

// compileStakes fills m.stake (epochs x validators, normalised per epoch).
func (m *model) compileStakes(c checker, sc *Scenario) error {
	nv := len(sc.Validators)
	inTAO := false
	raw := make([]float64, nv)
	for i, vs := range sc.Validators {
		field := fmt.Sprintf("validators[%d]", i)
		switch {
		case vs.Stake != nil && vs.StakeTAO != nil:
			return c.errf(field+".stake", "give stake or stake_tao, not both")
		case vs.Stake == nil && vs.StakeTAO == nil:
			return c.errf(field+".stake", "missing (give stake as a share or stake_tao in TAO)")
		}
		tao := vs.StakeTAO != nil
		if i == 0 {
			inTAO = tao
		} else if tao != inTAO {
			return c.errf(field+".stake", "all validators must give stake in the same unit (stake or stake_tao)")
		}
		if tao {
			raw[i] = *vs.StakeTAO
			if err := c.nonNeg(field+".stake_tao", raw[i]); err != nil {
				return err
			}
		} else {
			raw[i] = *vs.Stake
			if err := c.nonNeg(field+".stake", raw[i]); err != nil {
				return err
			}
		}
	}
	// changes[t] lists (validator, stake) pairs taking effect at epoch t.
	type change struct {
		v int
		s float64
	}
	changes := make(map[int][]change)
	for i, vs := range sc.Validators {
		last := 0
		for k, ch := range vs.StakeChanges {
			field := fmt.Sprintf("validators[%d].stake_changes[%d]", i, k)
			if ch.Epoch < 1 || ch.Epoch >= sc.Epochs {
				return c.errf(field+".epoch", "must be in [1, %d), got %d", sc.Epochs, ch.Epoch)
			}
			if ch.Epoch <= last {
				return c.errf(field+".epoch", "epochs must increase, got %d after %d", ch.Epoch, last)
			}
			last = ch.Epoch
			var s float64
			switch {
			case ch.Stake != nil && ch.StakeTAO != nil:
				return c.errf(field+".stake", "give stake or stake_tao, not both")
			case inTAO && ch.StakeTAO != nil:
				s = *ch.StakeTAO
			case !inTAO && ch.Stake != nil:
				s = *ch.Stake
			default:
				unit := "stake"
				if inTAO {
					unit = "stake_tao"
				}
				return c.errf(field+"."+unit, "missing (stake changes use the validators' unit, %s)", unit)
			}
			if err := c.nonNeg(field+".stake", s); err != nil {
				return err
			}
			changes[ch.Epoch] = append(changes[ch.Epoch], change{i, s})
		}
	}
	m.stake = make([]float64, sc.Epochs*nv)
	cur := append([]float64(nil), raw...)
	for t := 0; t < sc.Epochs; t++ {
		for _, ch := range changes[t] {
			cur[ch.v] = ch.s
		}
		total := 0.0
		for _, s := range cur {
			total += s
		}
		if !(total > 0) || math.IsInf(total, 0) {
			return c.errf("validators", "total stake at epoch %d is %v; it must be positive and finite", t, total)
		}
		row := m.stake[t*nv : (t+1)*nv]
		for i, s := range cur {
			row[i] = s / total
		}
	}
	return nil
}

// evalOrder orders validators so that every lag-0 copier follows its target,
// and rejects cycles.
func evalOrder(c checker, deps []int, names []string) ([]int, error) {
	n := len(deps)
	state := make([]uint8, n) // 0 new, 1 visiting, 2 done
	order := make([]int, 0, n)
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case 1:
			return c.errf(fmt.Sprintf("validators[%d].strategy.target", i), "validator %q is part of a copy cycle with lag 0", names[i])
		case 2:
			return nil
		}
		state[i] = 1
		if d := deps[i]; d >= 0 {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[i] = 2
		order = append(order, i)
		return nil
	}
	for i := 0; i < n; i++ {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return order, nil
}
