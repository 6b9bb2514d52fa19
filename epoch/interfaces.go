package epoch

import "fmt"

// Yuma is the bonds-and-dividends step of a Yuma version. It reads the
// engine's weights, clipped weights, bond inputs (W̃), stake, incentive and the
// per-entry EMA rates (e.alphaRow), updates e.bonds and writes unnormalised
// dividends into e.div (the engine normalises them).
type Yuma interface {
	bondsAndDividends(e *Engine)
}

// LiquidAlpha supplies the per-(validator, miner) EMA rate on the new bond
// value, one validator's row at a time, so that no V x M matrix of rates is
// written and read back.
type LiquidAlpha interface {
	// prepare runs once per epoch, after clipping and before the bonds step.
	// It decides whether the rule applies; when it does not, or when every
	// entry gets the same rate, it sets e.alphaUniform and e.alphaConst.
	prepare(e *Engine)
	// row returns validator i's rates, one per miner, computed from the bonds
	// as they were before the bonds step; the Yuma step asks for row i before
	// it updates that row. The slice is valid until the next call.
	row(e *Engine, i int) []float64
}

// alphaRow returns validator i's EMA rates, or nil when every entry of this
// epoch uses e.alphaConst.
func (e *Engine) alphaRow(i int) []float64 {
	if e.alphaUniform {
		return nil
	}
	return e.la.row(e, i)
}

func yumaFor(v YumaVersion) (Yuma, error) {
	switch v {
	case Yuma1:
		return yuma1{}, nil
	case Yuma2, "":
		return yuma2{}, nil
	case Yuma2a:
		return yuma2a{}, nil
	case Yuma2b:
		return yuma2b{}, nil
	case Yuma2c:
		return yuma2c{}, nil
	case Yuma3:
		return yuma3{}, nil
	}
	return nil, fmt.Errorf("epoch: unknown yuma version %q (want yuma1, yuma2, yuma2a, yuma2b, yuma2c or yuma3)", v)
}

func liquidAlphaFor(m LiquidAlphaMode) (LiquidAlpha, error) {
	switch m {
	case LiquidAlphaOff, "":
		return fixedAlpha{}, nil
	case LiquidAlphaV1:
		return liquidAlphaV1{}, nil
	case LiquidAlphaV1Paper:
		return liquidAlphaV1Paper{}, nil
	case LiquidAlphaV2:
		return liquidAlphaV2{}, nil
	}
	return nil, fmt.Errorf("epoch: unknown liquid-alpha mode %q (want off, v1, v1-paper or v2)", m)
}

// fixedAlpha is the constant EMA rate α = 1 − bonds_moving_average
// (chain-epoch.md section 5a step 3, `compute_disabled_liquid_alpha`).
type fixedAlpha struct{}

func (fixedAlpha) prepare(e *Engine) {
	e.alphaUniform = true
	e.alphaConst = 1 - e.cfg.Params.BondsMovingAverage
}

func (fixedAlpha) row(*Engine, int) []float64 { return nil }

// colSums writes the column sums of the V x M matrix x into e.colSum and
// returns it.
func (e *Engine) colSums(x []float64) []float64 {
	sums := e.colSum
	clear(sums)
	for i := 0; i < e.v; i++ {
		row := x[i*e.m : (i+1)*e.m]
		for j, b := range row {
			sums[j] += b
		}
	}
	return sums
}

// negligible is the smallest normaliser the engine divides by. Sums below
// it (reached only by subnormal inputs or bonds decayed for thousands of
// epochs; the chain's own resolution is 2^-32) count as 0, so that no
// reciprocal overflows into Inf and NaN.
const negligible = 1e-300

// invertSums replaces each column sum by 1 / (sum + eps), or 0 when that is
// negligible.
func invertSums(sums []float64, eps float64) {
	for j, x := range sums {
		if d := x + eps; d >= negligible {
			sums[j] = 1 / d
		} else {
			sums[j] = 0
		}
	}
}

// colNormalize divides every column of the V x M matrix x by its sum plus eps
// (columns summing to 0 stay 0).
func (e *Engine) colNormalize(x []float64, eps float64) {
	inv := e.colSums(x)
	invertSums(inv, eps)
	for i := 0; i < e.v; i++ {
		row := x[i*e.m : (i+1)*e.m]
		for j := range row {
			row[j] *= inv[j]
		}
	}
}

// normEps is the epsilon of column normalisation under the engine's compat.
func (e *Engine) normEps() float64 {
	if e.cfg.Compat == CompatYumaSimulation {
		return 1e-6
	}
	return 0
}

// dividendsFromBonds sets D_i = Σ_j b_ij I_j.
func (e *Engine) dividendsFromBonds(b []float64) {
	v, m := e.v, e.m
	for i := 0; i < v; i++ {
		e.div[i] = dot(b[i*m:(i+1)*m], e.inc)
	}
}

// dividendsFromShares sets D_i = Σ_j b_ij I_j / (Σ_k b_kj + eps) given the
// column sums of b in sums (overwritten): the dividends of column-normalised
// bonds without materialising them.
func (e *Engine) dividendsFromShares(b, sums []float64, eps float64) {
	for j, x := range sums {
		if d := x + eps; d >= negligible {
			sums[j] = e.inc[j] / d
		} else {
			sums[j] = 0
		}
	}
	v, m := e.v, e.m
	for i := 0; i < v; i++ {
		e.div[i] = dot(b[i*m:(i+1)*m], sums)
	}
}
