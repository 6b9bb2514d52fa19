package epoch

// capacityScale is yuma2c's per-validator bond capacity unit, 2^64.
const capacityScale = 1 << 64

// yuma2c is "Yuma 2C (Rhef+reset)", capacity bonds with decay
// (yuma-simulation-formulas.md, `Yuma2c`):
//
//	cap_i   = s_i · 2^64
//	buy_ij  = min(capacity_alpha · cap_i, max(cap_i − B_old_ij, 0)) · W_ij   (unclipped W)
//	B_ij    = min((1 − decay_rate) B_old_ij + buy_ij, cap_i)
//	D_i     = Σ_j (B_ij / Σ_k B_kj) I_j
//
// Bonds are unnormalised (order 1e18); the bonds penalty and α are unused.
type yuma2c struct{}

func (yuma2c) bondsAndDividends(e *Engine) {
	v, m := e.v, e.m
	p := &e.cfg.Params
	for i := 0; i < v; i++ {
		capI := e.s[i] * capacityScale
		for j := 0; j < m; j++ {
			k := i*m + j
			old := e.bonds[k]
			buy := min(p.CapacityAlpha*capI, max(capI-old, 0)) * e.w[k]
			e.bonds[k] = min((1-p.DecayRate)*old+buy, capI)
		}
	}
	e.bondsNormalized = false
	e.dividendsFromShares(e.bonds, e.colSums(e.bonds), e.normEps())
}
