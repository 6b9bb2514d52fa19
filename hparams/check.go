package hparams

import (
	"fmt"
	"sort"

	"github.com/yuma-go/yuma/internal/badinput"
)

// Origin is who signs the setter call.
type Origin string

// Origins.
const (
	Owner Origin = "owner"
	Root  Origin = "root"
)

// Chain bounds used by the rules.
const (
	// AlphaMinCurrent is 65535/40, the smallest alpha_low/alpha_high of the current runtime.
	AlphaMinCurrent = 1638
	// AlphaHighMinV1 is 0.8 x 65535, the smallest alpha_high of liquid alpha v1.
	AlphaHighMinV1 = 52428
	// BondsMovingAverageOwnerMax is the largest bonds_moving_average a subnet owner may set.
	BondsMovingAverageOwnerMax = 975000
	// CommitRevealPeriodMin and CommitRevealPeriodMax bound commit_reveal_period.
	CommitRevealPeriodMin = 1
	CommitRevealPeriodMax = 100
	// TempoOwnerMin and TempoOwnerMax bound an owner's tempo (dynamic tempo).
	TempoOwnerMin = 360
	TempoOwnerMax = 50400
	// ActivityCutoffMin is MinActivityCutoff.
	ActivityCutoffMin = 360
)

// Violation is one broken chain rule.
type Violation struct {
	Param string `json:"param"`
	Rule  string `json:"rule"`  // the chain's error name, e.g. "AlphaLowOutOfRange"
	Error string `json:"error"` // what is wrong, in words
}

// Report is the outcome of Check.
type Report struct {
	Runtime    string           `json:"runtime"`
	Origin     Origin           `json:"origin"`
	Accepted   bool             `json:"accepted"`
	Values     map[string]int64 `json:"values"`
	Violations []Violation      `json:"violations"`
	Warnings   []string         `json:"warnings"`
}

// Err returns nil when the set is accepted and otherwise a *badinput.Error
// naming the first broken rule.
func (r Report) Err() error {
	if r.Accepted {
		return nil
	}
	v := r.Violations[0]
	return badinput.New("", "", v.Param, "%s (%s, runtime %s)", v.Error, v.Rule, r.Runtime)
}

// Check applies the chain's setter rules of runtime era (EraV1 or EraCurrent)
// to a set of raw values keyed by canonical name, as signed by origin. Values
// must already be in range for their chain type (ParseRaw checks that).
func Check(set map[string]int64, era string, origin Origin) (Report, error) {
	if era != EraV1 && era != EraCurrent {
		return Report{}, badinput.New("", "", "--runtime", "unknown runtime %q (want v1 or current)", era)
	}
	if origin != Owner && origin != Root {
		return Report{}, badinput.New("", "", "--origin", "unknown origin %q (want owner or root)", origin)
	}
	r := Report{Runtime: era, Origin: origin, Values: map[string]int64{}, Violations: []Violation{}, Warnings: []string{}}
	names := make([]string, 0, len(set))
	for n, v := range set {
		r.Values[n] = v
		names = append(names, n)
	}
	sort.Strings(names)
	bad := func(param, rule, format string, args ...any) {
		r.Violations = append(r.Violations, Violation{Param: param, Rule: rule, Error: fmt.Sprintf(format, args...)})
	}
	for _, n := range names {
		p, ok := Lookup(n)
		if !ok {
			return Report{}, badinput.New("", "", n, "unknown hyperparameter")
		}
		v := set[n]
		if !p.InEra(era) {
			bad(n, "NotInRuntime", "%s does not exist in the %s runtime", n, era)
			continue
		}
		switch n {
		case "kappa", "max_allowed_validators", "weights_rate_limit", "max_regs_per_block",
			"target_regs_per_interval", "adjustment_interval":
			if origin == Owner {
				bad(n, "BadOrigin", "%s can only be set by root (sudo), not by the subnet owner", n)
			}
		case "bonds_moving_average":
			if origin == Owner && v > BondsMovingAverageOwnerMax {
				bad(n, "BondsMovingAverageMaxReached", "the owner may set at most %d (0.975), got %d", BondsMovingAverageOwnerMax, v)
			}
			if v > 1_000_000 {
				r.Warnings = append(r.Warnings, fmt.Sprintf("bonds_moving_average %d is above 1000000: the EMA coefficient 1 - v/1e6 saturates at 0 and bonds never change", v))
			}
		case "commit_reveal_period":
			if v < CommitRevealPeriodMin || v > CommitRevealPeriodMax {
				bad(n, "RevealPeriodOutOfBounds", "commit_reveal_period must be in %d..%d epochs, got %d", CommitRevealPeriodMin, CommitRevealPeriodMax, v)
			}
		case "alpha_sigmoid_steepness":
			if origin == Owner && v < 0 {
				bad(n, "NegativeSigmoidSteepness", "only root may set a negative steepness, got %d", v)
			}
		case "tempo":
			if origin == Owner {
				if era == EraV1 {
					bad(n, "BadOrigin", "tempo can only be set by root in the v1 runtime")
				} else if v < TempoOwnerMin || v > TempoOwnerMax {
					bad(n, "TempoOutOfBounds", "an owner's tempo must be in %d..%d blocks, got %d", TempoOwnerMin, TempoOwnerMax, v)
				}
			}
		case "activity_cutoff":
			if origin == Owner && v < ActivityCutoffMin {
				bad(n, "ActivityCutoffTooLow", "activity_cutoff must be at least %d blocks, got %d", ActivityCutoffMin, v)
			}
			if era == EraCurrent {
				r.Warnings = append(r.Warnings, "activity_cutoff is deprecated in the current runtime: the epoch uses activity_cutoff_factor x tempo / 1000")
			}
		case "activity_cutoff_factor":
			if v < 1000 || v > 50000 {
				bad(n, "ActivityCutoffFactorOutOfBounds", "activity_cutoff_factor must be in 1000..50000 milli-tempos, got %d", v)
			}
		}
	}
	checkAlpha(&r, set, era, bad)
	r.Accepted = len(r.Violations) == 0
	return r, nil
}

// checkAlpha applies do_set_alpha_values: liquid alpha enabled, then the
// era's bounds on the pair.
func checkAlpha(r *Report, set map[string]int64, era string, bad func(param, rule, format string, args ...any)) {
	lo, hasLo := set["alpha_low"]
	hi, hasHi := set["alpha_high"]
	if !hasLo && !hasHi {
		return
	}
	if !hasLo || !hasHi {
		missing, assumed := "alpha_low", int64(45875)
		if hasLo {
			missing, assumed = "alpha_high", 58982
		}
		r.Warnings = append(r.Warnings, fmt.Sprintf("alpha_low and alpha_high are set together in one call; %s was not given, its default %d was assumed (give the subnet's current value)", missing, assumed))
		if !hasLo {
			lo = assumed
		} else {
			hi = assumed
		}
	}
	if en, ok := set["liquid_alpha_enabled"]; ok && en == 0 {
		bad("alpha_low", "LiquidAlphaDisabled", "alpha values can only be set while liquid_alpha_enabled is true")
	} else if !ok {
		r.Warnings = append(r.Warnings, "the chain refuses alpha values while liquid alpha is disabled: set liquid_alpha_enabled=true first")
	}
	switch era {
	case EraV1:
		if hi < AlphaHighMinV1 {
			bad("alpha_high", "AlphaHighTooLow", "alpha_high must be at least %d (0.8) in the v1 runtime, got %d", AlphaHighMinV1, hi)
		}
		if lo <= 0 || lo >= AlphaHighMinV1 {
			bad("alpha_low", "AlphaLowOutOfRange", "alpha_low must be in 1..%d (0 < alpha_low < 0.8) in the v1 runtime, got %d", AlphaHighMinV1-1, lo)
		}
	default:
		if hi < AlphaMinCurrent {
			bad("alpha_high", "AlphaHighTooLow", "alpha_high must be at least %d (0.025), got %d", AlphaMinCurrent, hi)
		}
		if lo < AlphaMinCurrent || lo > hi {
			bad("alpha_low", "AlphaLowOutOfRange", "alpha_low must be in %d..alpha_high (%d), got %d", AlphaMinCurrent, hi, lo)
		}
	}
}
