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
	for k, x := range e.wb {
		a := e.alpha[k]
		e.bonds[k] = min(1, (1-a)*e.bonds[k]+max(0, a*x))
	}
	copy(e.delta, e.bonds)
	e.colNormalize(e.delta, e.normEps())
	e.dividendsFromBonds(e.delta)
	for i := range e.div {
		e.div[i] *= e.s[i]
	}
}
