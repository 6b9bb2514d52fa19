package epoch

import "math"

// liquidAlphaV2 is the current chain's liquid alpha ("liquid alpha 2",
// chain-epoch.md section 6a; yuma-simulation's `_compute_liquid_alpha`): a rate
// per (validator i, miner j) from a sigmoid of how far the validator is ahead
// of consensus (buying) or how far its bond is above its weight (selling):
//
//	x = W̃_ij (effective weights) or W_ij (raw), b = B_old_ij, c = C_j
//	d = clamp(x − c, 0, 1) if x ≥ b, else clamp(b − x, 0, 1)
//	α_ij = clamp(α_low + (α_high − α_low) σ(k (d − ½)), α_low, α_high)
//
// with σ the logistic function and k the steepness. c is the current, the
// previous or the larger of the two consensus vectors (Params.LiquidAlphaConsensus).
// The chain uses it only when some C_j ≠ 0 and clamps the exponent to ±20
// (exp_safe); yuma-simulation uses it from the second epoch on. Otherwise
// α = 1 − bonds_moving_average.
type liquidAlphaV2 struct{}

func (liquidAlphaV2) rates(e *Engine) {
	if !e.liquidAlphaActive() {
		fixedAlpha{}.rates(e)
		return
	}
	p := &e.cfg.Params
	c := e.liquidConsensus()
	x := e.w
	if p.LiquidAlphaEffectiveWeights {
		x = e.wb
	}
	e.alphaUniform = false
	lo, hi, k := p.AlphaLow, p.AlphaHigh, p.AlphaSigmoidSteepness
	clampExp := e.cfg.Compat == CompatChain
	rate := func(d float64) float64 {
		z := -k * (d - 0.5)
		if clampExp {
			z = max(-20, min(20, z))
		}
		sig := 1 / (1 + math.Exp(z))
		return max(lo, min(hi, lo+sig*(hi-lo)))
	}
	atZero := rate(0) // d = 0 is common (weight at or below consensus)
	v, m := e.v, e.m
	for i := 0; i < v; i++ {
		for j := 0; j < m; j++ {
			idx := i*m + j
			w, b := x[idx], e.bonds[idx]
			var d float64
			if w >= b {
				d = clamp01(w - c[j])
			} else {
				d = clamp01(b - w)
			}
			if d == 0 {
				e.alpha[idx] = atZero
			} else {
				e.alpha[idx] = rate(d)
			}
		}
	}
}

// liquidAlphaActive reports whether a liquid-alpha rule applies this epoch:
// on the chain, when some consensus value is non-zero; in yuma-simulation, from
// the second epoch on.
func (e *Engine) liquidAlphaActive() bool {
	if e.cfg.Compat == CompatYumaSimulation {
		return e.hasPrev
	}
	for _, x := range e.c {
		if x != 0 {
			return true
		}
	}
	return false
}

// liquidConsensus returns the consensus vector liquid alpha v2 compares with.
func (e *Engine) liquidConsensus() []float64 {
	switch e.cfg.Params.LiquidAlphaConsensus {
	case ConsensusPrevious:
		if e.hasPrev {
			return e.prevC
		}
	case ConsensusMixed:
		if e.hasPrev {
			for j := range e.laC {
				e.laC[j] = max(e.c[j], e.prevC[j])
			}
			return e.laC
		}
	}
	return e.c
}

func clamp01(x float64) float64 { return max(0, min(1, x)) }
