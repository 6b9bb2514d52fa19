package epoch

// yuma2 is the chain's original Yuma bonds path (chain-epoch.md section 5a;
// yuma-simulation's "Yuma 2 (subtensor)"):
//
//	B_old ← column-normalise(B_old)
//	ΔB_ij = s_i W̃_ij / Σ_k s_k W̃_kj
//	B_ij  = α_ij ΔB_ij + (1 − α_ij) B_old_ij        (B = ΔB at the first epoch)
//	B     ← column-normalise(B)
//	D_i   = Σ_j B_ij I_j
//
// α is 1 − bonds_moving_average, or liquid alpha's per-entry rate (v1 is the
// 2024 chain rule on this path; the chain ignores liquid alpha here since
// 2025-05, yuma applies whichever rule is configured).
type yuma2 struct{}

func (yuma2) bondsAndDividends(e *Engine) {
	eps := e.normEps()
	v, m := e.v, e.m
	invDelta := e.colSum
	copy(invDelta, e.deltaSum)
	invertSums(invDelta, eps)
	// Old bonds are column-normalised; skip that pass when they already are.
	var invOld []float64
	if e.hasBonds && (!e.bondsNormalized || eps != 0) {
		invOld = e.invOld
		clear(invOld)
		for i := 0; i < v; i++ {
			for j, b := range e.bonds[i*m : (i+1)*m] {
				invOld[j] += b
			}
		}
		invertSums(invOld, eps)
	}
	// One pass: ΔB_ij = s_i W̃_ij / Σ_k s_k W̃_kj, the EMA, and the new column sums.
	sums := e.newSum
	clear(sums)
	for i := 0; i < v; i++ {
		si := e.s[i]
		b, wb := e.bonds[i*m:(i+1)*m], e.wb[i*m:(i+1)*m]
		al := e.alphaRow(i) // before row i changes
		switch {
		case !e.hasBonds: // first epoch: B = ΔB
			for j := range b {
				y := si * wb[j] * invDelta[j]
				b[j] = y
				sums[j] += y
			}
		case al == nil && invOld == nil: // the common case
			a := e.alphaConst
			for j := range b {
				y := a*(si*wb[j]*invDelta[j]) + (1-a)*b[j]
				b[j] = y
				sums[j] += y
			}
		default:
			for j := range b {
				old := b[j]
				if invOld != nil {
					old *= invOld[j]
				}
				a := e.alphaConst
				if al != nil {
					a = al[j]
				}
				y := a*(si*wb[j]*invDelta[j]) + (1-a)*old
				b[j] = y
				sums[j] += y
			}
		}
	}
	// One pass: column-normalise and take dividends D_i = Σ_j B_ij I_j.
	invertSums(sums, eps)
	for i := 0; i < v; i++ {
		e.div[i] = scaleDot(e.bonds[i*m:(i+1)*m], sums, e.inc)
	}
	e.bondsNormalized = eps == 0
}

// yuma2a is "Yuma 2A (paper)", the EMA of the liquid-alpha paper (eq. 13)
// without renormalising old or new bonds:
//
//	B_ij = α_ij ΔB_ij + (1 − α_ij) B_old_ij          (B = ΔB at the first epoch)
//	D_i  = Σ_j B_ij I_j
type yuma2a struct{}

func (yuma2a) bondsAndDividends(e *Engine) {
	e.instantBonds(e.delta)
	e.emaUnnormalised()
	e.dividendsFromBonds(e.bonds)
}

func (e *Engine) emaUnnormalised() {
	e.bondsNormalized = false
	if !e.hasBonds {
		copy(e.bonds, e.delta)
		return
	}
	m := e.m
	for i := 0; i < e.v; i++ {
		b, delta := e.bonds[i*m:(i+1)*m], e.delta[i*m:(i+1)*m]
		if al := e.alphaRow(i); al != nil {
			for j, d := range delta {
				a := al[j]
				b[j] = a*d + (1-a)*b[j]
			}
			continue
		}
		a := e.alphaConst
		for j, d := range delta {
			b[j] = a*d + (1-a)*b[j]
		}
	}
}

// yuma2b is "Yuma 2B (Adrian-Fish)": clipping, ranks and bonds use the
// previous epoch's weights W_prev (the current ones at the first epoch), while
// consensus comes from the current weights. The engine substitutes W_prev
// before clipping; the bond step is yuma2a's EMA on
//
//	ΔB_ij = s_i W̃_ij / Σ_k s_k W̃_kj,   W̃ = (1 − β) W_prev + β min(W_prev, C)
//
// normalised without yuma-simulation's epsilon (its code divides plainly).
type yuma2b struct{}

func (yuma2b) bondsAndDividends(e *Engine) {
	v, m := e.v, e.m
	inv := e.colSum
	copy(inv, e.deltaSum)
	invertSums(inv, 0)
	for i := 0; i < v; i++ {
		si := e.s[i]
		for j := 0; j < m; j++ {
			e.delta[i*m+j] = si * e.wb[i*m+j] * inv[j]
		}
	}
	e.emaUnnormalised()
	e.dividendsFromBonds(e.bonds)
}
