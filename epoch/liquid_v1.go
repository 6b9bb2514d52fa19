package epoch

import (
	"math"
	"slices"
)

// liquidAlphaV1 is the chain's 2024 liquid alpha (chain-epoch.md section 6b,
// on chain 2024-07 to 2025-05): one rate per miner from a logistic through the
// consensus quartiles, weighting the NEW bond:
//
//	C_H = q_0.75(C), C_L = q_0.25(C)                 (type-7 quantiles over C)
//	a = (ln(1/α_H − 1) − ln(1/α_L − 1)) / (C_L − C_H),  b = ln(1/α_L − 1) + a C_L
//	α_j = clamp(1 / (1 + exp(b − a C_j)), α_L, α_H)
//
// Fallbacks as on chain: all-zero consensus, or C_H = C_L = 0, gives the
// ordinary α = 1 − bonds_moving_average; C_H ≤ C_L otherwise (or α_L or α_H
// zero) gives a = b = 0, hence α = clamp(½) = α_L. An exponent that overflows
// I32F32 made the chain's exp return 0 (α = α_H); CompatChain keeps that quirk.
type liquidAlphaV1 struct{}

func (liquidAlphaV1) prepare(e *Engine) {
	p := &e.cfg.Params
	if !e.liquidAlphaActive() || !v1Rates(e.quant, e.laC, e.c, p.AlphaLow, p.AlphaHigh, e.cfg.Compat == CompatChain) {
		fixedAlpha{}.prepare(e)
		return
	}
	e.alphaUniform = false
}

// row returns the per-miner rates, the same for every validator.
func (liquidAlphaV1) row(e *Engine, _ int) []float64 { return e.quant }

// v1Rates writes the chain's liquid-alpha-v1 rate of every miner into dst,
// using sorted (len(c)) as scratch. It returns false when the chain falls back
// to the fixed rate. chainQuirk keeps the chain's exp overflow (rate α_H).
func v1Rates(dst, sorted, c []float64, lo, hi float64, chainQuirk bool) bool {
	copy(sorted, c)
	slices.Sort(sorted)
	ch, cl := quantileSorted(sorted, 0.75), quantileSorted(sorted, 0.25)
	if !(ch > cl || ch != 0 || cl < 0) {
		return false
	}
	a, b := logisticParams(hi, lo, ch, cl)
	overflow := 31 * math.Ln2
	for j, cj := range c {
		z := b - a*cj
		var al float64
		switch {
		case math.IsNaN(z) || math.IsInf(a, 0):
			al = stepLogistic(cj, cl)
		case chainQuirk && z >= overflow:
			al = 1
		default:
			al = 1 / (1 + math.Exp(z))
		}
		dst[j] = max(lo, min(hi, al))
	}
	return true
}

// liquidAlphaV1Paper is liquid alpha as the 2024 diagnostic notebooks and the
// liquid-alpha paper computed it (peers-and-paper.md section 3.2 step 5): the
// same logistic, but its clipped output is the weight on the OLD bond:
//
//	C_H = q_0.75(C) (q_0.99 when it equals C_L), C_L = q_0.25(C)
//	α̃_j = 1 / (1 + exp(−a C_j + b)),   rate on the new bond = 1 − clamp(α̃_j, α_L, α_H)
//
// When the quartiles still coincide, the ordinary α = 1 − bonds_moving_average
// applies (the notebooks' "LA off" rate; 0.1 in the paper's setting).
type liquidAlphaV1Paper struct{}

func (liquidAlphaV1Paper) prepare(e *Engine) {
	p := &e.cfg.Params
	if (e.cfg.Compat == CompatYumaSimulation && !e.hasPrev) || !v1PaperRates(e.quant, e.laC, e.c, p.AlphaLow, p.AlphaHigh) {
		fixedAlpha{}.prepare(e)
		return
	}
	e.alphaUniform = false
}

// row returns the per-miner rates, the same for every validator.
func (liquidAlphaV1Paper) row(e *Engine, _ int) []float64 { return e.quant }

// v1PaperRates writes the notebooks' rate on the new bond of every miner into
// dst, using sorted (len(c)) as scratch; false means the fixed rate applies.
func v1PaperRates(dst, sorted, c []float64, lo, hi float64) bool {
	copy(sorted, c)
	slices.Sort(sorted)
	ch, cl := quantileSorted(sorted, 0.75), quantileSorted(sorted, 0.25)
	if ch == cl {
		ch = quantileSorted(sorted, 0.99)
	}
	if ch <= cl {
		return false
	}
	a, b := logisticParams(hi, lo, ch, cl)
	for j, cj := range c {
		z := -a*cj + b
		al := 1 / (1 + math.Exp(z))
		if math.IsNaN(z) || math.IsInf(a, 0) {
			al = stepLogistic(cj, cl)
		}
		dst[j] = 1 - max(lo, min(hi, al))
	}
	return true
}

// stepLogistic is the logistic's limit when the quartiles are so close that
// its slope overflows: 1 above the lower quartile, 0 at or below it (the
// caller clamps to [α_L, α_H]).
func stepLogistic(c, cl float64) float64 {
	if c > cl {
		return 1
	}
	return 0
}

// logisticParams returns the chain's calculate_logistic_params: (0, 0) when
// C_H ≤ C_L or a bound is 0.
func logisticParams(alphaHigh, alphaLow, ch, cl float64) (a, b float64) {
	if ch <= cl || alphaLow == 0 || alphaHigh == 0 {
		return 0, 0
	}
	a = (math.Log(1/alphaHigh-1) - math.Log(1/alphaLow-1)) / (cl - ch)
	b = math.Log(1/alphaLow-1) + a*cl
	return a, b
}

// quantileSorted is the Hyndman-Fan type 7 quantile of sorted data.
func quantileSorted(s []float64, q float64) float64 {
	if len(s) == 0 {
		return 0
	}
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}
