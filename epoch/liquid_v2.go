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

// v2State is liquid alpha v2's per-epoch setup.
type v2State struct {
	x, c      []float64 // V x M weights compared (raw or effective); M consensus
	lo, hi, k float64   // α_low, α_high, steepness
	atZero    float64   // the rate at distance 0, the common case
	zMax      float64   // the exponent's clamp: 20 on chain (exp_safe), else 700 (1/(1 + e^700) is below 1e-304)
	sellOnly  bool      // x ≤ c everywhere, so only a bond above its weight has a distance
	row       []float64 // M: the rates returned by row
	nz        []int32   // M: miners whose distance is non-zero
	d         []float64 // M: their distances
	old       []float64 // M: their bonds before the update
}

func (liquidAlphaV2) prepare(e *Engine) {
	if !e.liquidAlphaActive() {
		fixedAlpha{}.prepare(e)
		return
	}
	p := &e.cfg.Params
	st := &e.v2
	st.c = e.liquidConsensus()
	st.x = e.w
	if p.LiquidAlphaEffectiveWeights {
		st.x = e.wb
	}
	zMax := 700.0
	if e.cfg.Compat == CompatChain {
		zMax = 20
	}
	st.setRule(p.AlphaLow, p.AlphaHigh, p.AlphaSigmoidSteepness, zMax)
	// Effective weights at β = 1 are the clipped weights, never above the
	// current consensus (nor above max(current, previous)).
	st.sellOnly = p.LiquidAlphaEffectiveWeights && p.BondsPenalty == 1 && p.LiquidAlphaConsensus != ConsensusPrevious
	e.alphaUniform = false
}

// setRule sets the sigmoid's bounds, steepness and exponent clamp, and the
// rate at distance 0.
func (st *v2State) setRule(lo, hi, k, zMax float64) {
	st.lo, st.hi, st.k, st.zMax = lo+0, hi+0, k, zMax // +0 turns −0 into 0
	st.atZero = st.rate(0)
}

// distance is liquid alpha v2's distance before its clamp at 1, as float64
// bits: b − x when the bond is above the weight (selling), else max(0, x − c)
// (buying). It is branch-free and never −0, so it is 0 exactly when its bits
// are.
func distance(x, b, c float64) uint64 {
	sell := math.Float64bits(b - x)
	selling := uint64(-int64(sell) >> 63) // all ones when b − x > 0
	buy := math.Float64bits(x - c)
	buy &^= uint64(int64(buy) >> 63) // negative (or −0) → 0
	return sell&selling | buy&^selling
}

// rate is α for the distance d.
func (st *v2State) rate(d float64) float64 {
	x := [1]float64{d}
	st.rates(x[:])
	return x[0]
}

// rates replaces each distance in d (non-negative) by its rate, after the
// distance's clamp at 1. The loop body has no call (expBounded is inlined),
// so the exponentials and divisions of successive entries overlap. The
// exponent needs its clamp only when |k|/2 exceeds it (d is in [0, 1]); the
// rate needs no lower clamp (σ > 0) and its upper one is an integer min on
// the bits of non-negative numbers.
func (st *v2State) rates(d []float64) {
	lo, hiBits, span, k, zMax := st.lo, math.Float64bits(st.hi), st.hi-st.lo, st.k, st.zMax
	if math.Abs(k)/2 <= zMax {
		for t, x := range d {
			sig := 1 / (1 + expBounded(-k*(min(1, x)-0.5)))
			d[t] = math.Float64frombits(min(math.Float64bits(lo+sig*span), hiBits))
		}
		return
	}
	for t, x := range d {
		sig := 1 / (1 + expBounded(max(-zMax, min(zMax, -k*(min(1, x)-0.5)))))
		d[t] = math.Float64frombits(min(math.Float64bits(lo+sig*span), hiBits))
	}
}

// row computes validator i's rates. The distances are found in one branch-free
// pass that also lists the miners whose distance is not 0; only those pay for
// the sigmoid.
func (liquidAlphaV2) row(e *Engine, i int) []float64 {
	st := &e.v2
	m := e.m
	x, b := st.x[i*m:(i+1)*m], e.bonds[i*m:(i+1)*m]
	c, dst, nz, ds := st.c[:len(x)], st.row[:len(x)], st.nz[:len(x)], st.d[:len(x)]
	b = b[:len(x)]
	atZero := st.atZero
	n := 0
	for j, w := range x {
		d := distance(w, b[j], c[j])
		dst[j] = atZero
		nz[n], ds[n] = int32(j), math.Float64frombits(d)
		n += int((d | -d) >> 63) // advance when d ≠ 0
	}
	st.rates(ds[:n])
	for k, j := range nz[:n] {
		dst[j] = ds[k]
	}
	return dst
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

// emaRelativeRow is one row of Yuma3's bond update with liquid alpha v2's
// rates folded in (the same numbers as rates from row fed to emaRelative).
// Every entry is first updated at the distance-0 rate, which is what most
// entries have; the entries whose distance is not 0 are listed, branch-free,
// and redone with their own rate. Each column sum receives exactly one
// addend per row, in row order, as in emaRelative: the listed entries add
// nothing in the first loop (a masked +0) and their final value in the
// second.
func (st *v2State) emaRelativeRow(b, wb, x, sums []float64) {
	n := len(wb)
	b, x, sums, c := b[:n], x[:n], sums[:n], st.c[:n]
	nz, ds, olds := st.nz[:n], st.d[:n], st.old[:n]
	a0 := st.atZero
	k := 0
	if st.sellOnly { // x = W̃ ≤ c: d = max(0, b − W̃), without reading x or c
		for j, w := range wb {
			old := b[j]
			// All ones when old − w ≤ 0; a −0 difference reads as positive
			// and is redone below at distance 0, which changes nothing.
			zero := uint64((int64(math.Float64bits(old-w)) - 1) >> 63)
			y := min(1, (1-a0)*old+a0*w)
			b[j] = y
			sums[j] += math.Float64frombits(math.Float64bits(y) & zero)
			nz[k], olds[k] = int32(j), old
			k += int(^zero & 1)
		}
		for t, j := range nz[:k] {
			ds[t] = max(0, olds[t]-wb[j])
		}
	} else {
		for j, w := range wb {
			old := b[j]
			d := distance(x[j], old, c[j])
			zero := uint64((int64(d) - 1) >> 63) // all ones when d = 0
			y := min(1, (1-a0)*old+a0*w)
			b[j] = y
			sums[j] += math.Float64frombits(math.Float64bits(y) & zero)
			nz[k], ds[k], olds[k] = int32(j), math.Float64frombits(d), old
			k += int(^zero & 1)
		}
	}
	st.rates(ds[:k])
	for t, j := range nz[:k] {
		a := ds[t]
		y := min(1, (1-a)*olds[t]+a*wb[j])
		b[j] = y
		sums[j] += y
	}
}
