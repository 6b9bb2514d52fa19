package epoch

// yuma1 is "Yuma 1 (legacy)": the instant bond share with no moving average
// (yuma-simulation-formulas.md, `YumaSubtensorOld`):
//
//	ΔB_ij = s_i W̃_ij / Σ_k s_k W̃_kj,   B = ΔB (α = 1, bonds_moving_average ignored),
//	D_i = Σ_j B_ij I_j.
type yuma1 struct{}

func (yuma1) bondsAndDividends(e *Engine) {
	e.instantBonds(e.bonds)
	if eps := e.normEps(); eps != 0 {
		e.colNormalize(e.bonds, eps) // yuma-simulation normalises B_ema again
	}
	e.bondsNormalized = e.normEps() == 0
	e.dividendsFromBonds(e.bonds)
}

// instantBonds writes ΔB_ij = s_i W̃_ij / (Σ_k s_k W̃_kj + eps) into dst, from
// the column sums the engine accumulated while clipping.
func (e *Engine) instantBonds(dst []float64) {
	v, m := e.v, e.m
	inv := e.colSum
	copy(inv, e.deltaSum)
	invertSums(inv, e.normEps())
	for i := 0; i < v; i++ {
		si := e.s[i]
		row, wb := dst[i*m:(i+1)*m], e.wb[i*m:(i+1)*m]
		for j := range row {
			row[j] = si * wb[j] * inv[j]
		}
	}
}
