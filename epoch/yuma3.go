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
	for i := 0; i < v; i++ {
		b, wb := e.bonds[i*m:(i+1)*m], e.wb[i*m:(i+1)*m]
		if e.alphaUniform {
			a := e.alphaConst
			for j, x := range wb {
				y := min(1, (1-a)*b[j]+max(0, a*x))
				b[j] = y
				sums[j] += y
			}
			continue
		}
		al := e.alpha[i*m : (i+1)*m]
		for j, x := range wb {
			a := al[j]
			y := min(1, (1-a)*b[j]+max(0, a*x))
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
