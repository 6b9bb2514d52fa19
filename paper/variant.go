package paper

import (
	"fmt"

	"github.com/yuma-go/yuma/epoch"
)

// Variant names the rule set the paper's experiments run under.
type Variant string

// The variants of `yuma paper --variant`.
const (
	// VariantNotebook is the paper's own setting: the 2024 notebooks' Yuma2
	// (consensus normalised and truncated to u16) with liquid alpha v1 in the
	// notebooks' semantics, where the new bond is weighted by 1 - clip(alpha).
	VariantNotebook Variant = "notebook"
	// VariantChainV1 is the 2024 chain: Yuma2 in float64 with liquid alpha v1
	// as the chain computed it (clip(alpha) weights the new bond).
	VariantChainV1 Variant = "chain-v1"
	// VariantYuma3V2 is today's chain: Yuma3 relative bonds with liquid alpha
	// v2 (per validator-miner sigmoid, steepness 10, effective weights).
	VariantYuma3V2 Variant = "yuma3-v2"
)

// Variants lists every variant in display order.
func Variants() []Variant { return []Variant{VariantNotebook, VariantChainV1, VariantYuma3V2} }

// ParseVariant returns the variant named s.
func ParseVariant(s string) (Variant, error) {
	for _, v := range Variants() {
		if string(v) == s {
			return v, nil
		}
	}
	return "", fmt.Errorf("unknown variant %q (want notebook, chain-v1 or yuma3-v2)", s)
}

// Describe returns a one-line description of the variant.
func (v Variant) Describe() string {
	switch v {
	case VariantNotebook:
		return "paper/notebook Yuma2, liquid alpha v1 with 1 - clip(alpha) on the new bond, consensus normalised + u16"
	case VariantChainV1:
		return "chain Yuma2 in float64, liquid alpha v1 as on chain in 2024 (clip(alpha) on the new bond)"
	case VariantYuma3V2:
		return "chain Yuma3 relative bonds, liquid alpha v2 (per-entry sigmoid, steepness 10, effective weights)"
	}
	return string(v)
}

// Retention is the fixed bond EMA's weight on the old bond in every variant:
// the new bond gets 1 - 0.9 = 0.1, the chain's default bonds_moving_average.
const Retention = 0.9

// configs returns the engine configurations of the fixed-EMA baseline and of
// liquid alpha with the given alpha_low and alpha_high.
func (v Variant) configs(alphaLow, alphaHigh float64) (fixed, liquid epoch.Config, err error) {
	p := epoch.Params{
		Kappa:                       0.5,
		BondsPenalty:                1,
		BondsMovingAverage:          Retention,
		AlphaLow:                    alphaLow,
		AlphaHigh:                   alphaHigh,
		AlphaSigmoidSteepness:       10,
		LiquidAlphaEffectiveWeights: true,
		LiquidAlphaConsensus:        epoch.ConsensusCurrent,
	}
	switch v {
	case VariantNotebook:
		// The notebooks' EMA does not renormalise the bonds: yuma2a.
		fixed = epoch.Config{Yuma: epoch.Yuma2a, LiquidAlpha: epoch.LiquidAlphaOff, Compat: epoch.CompatNotebook, Params: p}
		liquid = fixed
		liquid.LiquidAlpha = epoch.LiquidAlphaV1Paper
	case VariantChainV1:
		fixed = epoch.Config{Yuma: epoch.Yuma2, LiquidAlpha: epoch.LiquidAlphaOff, Compat: epoch.CompatChain, Params: p}
		liquid = fixed
		liquid.LiquidAlpha = epoch.LiquidAlphaV1
	case VariantYuma3V2:
		fixed = epoch.Config{Yuma: epoch.Yuma3, LiquidAlpha: epoch.LiquidAlphaOff, Compat: epoch.CompatChain, Params: p}
		liquid = fixed
		liquid.LiquidAlpha = epoch.LiquidAlphaV2
	default:
		return fixed, liquid, fmt.Errorf("unknown variant %q", v)
	}
	return fixed, liquid, nil
}
