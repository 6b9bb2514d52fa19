package epoch

// yuma3 is Yuma3's relative bonds (chain-epoch.md section 5b; yuma-simulation
// "Yuma 3 (Rhef+relative bonds)"): each bond moves toward the validator's own
// bond input, not toward a stake share, and stays in [0, 1]:
//
//	B_ij = min(1, (1 − α_ij) B_old_ij + α_ij W̃_ij)
//	D_i  = s_i Σ_j (B_ij / Σ_k B_kj) I_j
//
// with α = 1 − bonds_moving_average or liquid alpha's per-entry rate. The
// bonds penalty enters through W̃ (effective weights). The float engine decays
// every entry, as the chain's dense path does; the chain's sparse path drops a
// liquid-alpha bond whose weight entry is absent (section 5b), which the
// chain-style float subnet engine reproduces.
type yuma3 struct{}

func (yuma3) bondsAndDividends(e *Engine) {
	v, m := e.v, e.m
	sums := e.colSum
	clear(sums)
	_, v2 := e.la.(liquidAlphaV2)
	v2 = v2 && !e.unfolded
	for i := 0; i < v; i++ {
		b, wb := e.bonds[i*m:(i+1)*m], e.wb[i*m:(i+1)*m]
		if v2 && !e.alphaUniform {
			// Liquid alpha v2 folded into the update: no row of rates.
			e.v2.emaRelativeRow(b, wb, e.v2.x[i*m:(i+1)*m], sums)
			continue
		}
		if al := e.alphaRow(i); al != nil {
			emaRelative(b, wb, al, sums)
			continue
		}
		a := e.alphaConst
		b = b[:len(wb)]
		for j, x := range wb {
			y := min(1, (1-a)*b[j]+a*x)
			b[j] = y
			sums[j] += y
		}
	}
	e.bondsNormalized = false
	e.dividendsFromShares(e.bonds, sums, e.normEps())
	for i := range e.div {
		e.div[i] *= e.s[i]
	}
}

// emaRelative is one row of Yuma3's bond update with per-entry rates al:
// b_j ← min(1, (1 − α_j) b_j + α_j x_j), adding the results to sums. (The
// formula's max(0, α_j x_j) is a no-op here: α ∈ [0, 1] and the bond input
// W̃ is never negative, nor −0.)
func emaRelative(b, x, al, sums []float64) {
	b, al, sums = b[:len(x)], al[:len(x)], sums[:len(x)]
	for j, xj := range x {
		a := al[j]
		y := min(1, (1-a)*b[j]+a*xj)
		b[j] = y
		sums[j] += y
	}
}
