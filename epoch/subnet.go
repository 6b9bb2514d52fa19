package epoch

import (
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/yuma-go/yuma/fixed"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/subnet"
)

// SubnetEngine is the float64 subnet.Engine: the chain's sparse epoch
// (chain-epoch.md sections 4-6 and 8, subtensor's epoch_mechanism) computed
// in float64 instead of I32F32, for chain-style step replays with
// "engine": "float". Its outputs are proportions in [0, 1] (emission is the
// normalised combined emission) and it stores its own float64 bonds in the
// subnet state, so multi-epoch replays carry float bonds.
//
// Rules reproduced, in the chain's order: activity cutoff; stake threshold
// (the owner exempt) and stake normalisation (shares taken on the chain's
// 2^-32 grid, so a dust stake counts as 0 as on chain); validator permits (the
// previous epoch's permits mask this epoch; the new ones are the top-k
// non-zero stakes, ties broken as the chain's stable ascending sort does, the
// owner always permitted); active stake; weight masks (non-permitted rows,
// the diagonal except the owner's self-weight, weights older than the
// target's registration, commit-reveal columns of uids registered after the
// oldest pending commit) with explicit zeros kept; row normalisation; the
// κ-weighted median consensus; clipping (an entry above a zero consensus is
// removed); validator trust; incentive; the bonds-penalty interpolation
// (only positive entries survive when 0 < β < 1); bonds of miners
// registered since the last tempo dropped; then
//
//   - yuma2 (and yuma1 = yuma2 with α = 1): column-normalised stored bonds,
//     ΔB = column-normalised s_i W̃_ij, the EMA (α = 1 − bonds_moving_average,
//     liquid alpha v1's per-miner rate, or v1-paper's 1 − clamp rate),
//     column-normalised again, D = B I;
//   - yuma2a: the same EMA without either renormalisation (the bonds start
//     at the first ΔB when no uid stores a bond yet), D = B I;
//   - yuma2b: yuma2a with clipping, ranks, incentive, trust and W̃ taken from
//     the previous epoch's weights (see the engine's memory below);
//   - yuma2c: capacity bonds with decay from the unclipped weights, with
//     DefaultParams' decay_rate and capacity_alpha, D = col-norm(B) I;
//   - yuma3: B' = (1 − α) B + α W̃ over the union of entries, or with liquid
//     alpha v2 the chain's sparse rule: α per (i, j) from a walk over each
//     weight and bond row that assumes ascending columns (entries out of order
//     read as 0), and a bond whose W̃ entry is absent is dropped;
//     D_i = s_i Σ_j I_j B'_ij / Σ_k B'_kj;
//
// and the emission split I + D normalised, falling back to the active stake
// (or the stake) when I + D sums to 0. Liquid alpha v2 acts only on yuma3 (as
// on chain, it is accepted and ignored elsewhere); v1 and v1-paper act on the
// EMA family and are refused with yuma3 and yuma2c.
//
// Where the chain's 2^-32 resolution decides an outcome, the engine takes its
// values on that grid (floored, as I32F32 arithmetic does): stake shares and
// the normalised active stake, row-normalised weights, the rank products,
// the yuma2 ΔB products and the yuma3 dividend products. Without that, a
// column whose whole mass is below the chain's resolution (a dust
// validator's ΔB, say) would be normalised up to a full share here and be 0
// on chain. Everything else is plain float64; the bonds are stored
// unrounded (no u16 storage encoding). The differential test bounds the gap
// to the chain engine's exact proportions on one epoch from the same state
// at 1e-6 (worst seen 7.8e-7 over 20,000 random subnets).
//
// The engine is safe for concurrent use. Its only memory is yuma2b's: the
// weights of the last epoch it ran, reused when the next call is the next
// epoch (EpochIndex + 1) of the same *subnet.State; any other call starts
// yuma2b afresh from the current weights.
type SubnetEngine struct {
	mu        sync.Mutex
	prevState *subnet.State
	prevIndex uint64
	prevW     [][]sent
}

var _ subnet.Engine = (*SubnetEngine)(nil)

// NewSubnet returns a float64 subnet engine.
func NewSubnet() *SubnetEngine { return &SubnetEngine{} }

// String describes the engine.
func (*SubnetEngine) String() string { return "float (sparse chain rules, float64)" }

// previousWeights returns the weights yuma2b reads this epoch (the previous
// epoch's of the same state, or cur) and remembers cur for the next epoch.
func (e *SubnetEngine) previousWeights(st *subnet.State, cur [][]sent) [][]sent {
	e.mu.Lock()
	defer e.mu.Unlock()
	use := cur
	if e.prevState == st && st.EpochIndex == e.prevIndex+1 {
		use = make([][]sent, len(cur))
		for i := range use {
			if i < len(e.prevW) {
				for _, x := range e.prevW[i] {
					if x.j < len(cur) {
						use[i] = append(use[i], x)
					}
				}
			}
		}
	}
	keep := make([][]sent, len(cur))
	for i, row := range cur {
		keep[i] = slices.Clone(row)
	}
	e.prevState, e.prevIndex, e.prevW = st, st.EpochIndex, keep
	return use
}

// sent is one sparse float entry (column j, value v).
type sent struct {
	j int
	v float64
}

// CheckSubnetHyperparameters reports (as a *badinput.Error naming the field)
// whether the float subnet engine supports h's Yuma version and liquid-alpha
// mode.
func CheckSubnetHyperparameters(h subnet.Hyperparameters) error {
	switch h.Yuma {
	case subnet.Yuma1, subnet.Yuma2, subnet.Yuma2a, subnet.Yuma2b, subnet.Yuma2c, subnet.Yuma3:
	default:
		return badinput.New("", "", "yuma", "unknown version %q (want yuma1, yuma2, yuma2a, yuma2b, yuma2c or yuma3)", h.Yuma)
	}
	switch h.LiquidAlpha {
	case subnet.LiquidAlphaOff, subnet.LiquidAlphaV1, subnet.LiquidAlphaV1Paper, subnet.LiquidAlphaV2:
	default:
		return badinput.New("", "", "liquid_alpha", "unknown mode %q (want off, v1, v1-paper or v2)", h.LiquidAlpha)
	}
	if (h.LiquidAlpha == subnet.LiquidAlphaV1 || h.LiquidAlpha == subnet.LiquidAlphaV1Paper) && (h.Yuma == subnet.Yuma3 || h.Yuma == subnet.Yuma2c) {
		return badinput.New("", "", "liquid_alpha", "%s applies to the EMA bonds of yuma1/yuma2/yuma2a/yuma2b, not to %s (on chain v1 existed only on the original-Yuma path); use v2 or off, or a matrix replay", h.LiquidAlpha, h.Yuma)
	}
	return nil
}

// Epoch implements subnet.Engine. It does not modify st.
func (e *SubnetEngine) Epoch(st *subnet.State, block uint64, emission uint64) (subnet.EpochOutput, error) {
	h := st.Hyper
	if err := CheckSubnetHyperparameters(h); err != nil {
		return subnet.EpochOutput{}, err
	}
	nr := st.Neurons
	n := len(nr)
	mk, err := st.EpochMasks(block, true)
	if err != nil {
		return subnet.EpochOutput{}, err
	}
	owner, active, filtered, total, prevPermit := mk.Owner, mk.Active, mk.Filtered, mk.Total, mk.PrevPermit

	// Stake shares on the chain's 2^-32 grid (I64F64 ratio floored to
	// I32F32): a stake below total/2^32 is zero here as on chain, which
	// decides permits and whether a validator counts at all.
	stake := make([]float64, n)
	for i, s := range filtered {
		stake[i] = math.Ldexp(float64(fixed.I64F64RatioToI32F32(s, total)), -32)
	}

	// 3. Permits: the previous ones (mk.PrevPermit) mask this epoch; the new
	// ones are stored.
	newPermit := topKPermits(filtered, total, int(h.MaxAllowedValidators))
	if owner >= 0 {
		newPermit[owner] = true
	}

	// 4. Active stake.
	activeStake := make([]float64, n)
	for i := range stake {
		if active[i] && prevPermit[i] {
			activeStake[i] = stake[i]
		}
	}
	normalizeInto(activeStake, activeStake, 0)
	for i, x := range activeStake {
		activeStake[i] = onGrid(x) // the chain's I32F32 normalisation floors
	}

	// 5. Weights and masks (explicit zeros kept), row-normalised.
	w := make([][]sent, n)
	for i := range nr {
		if !prevPermit[i] {
			continue
		}
		cb := st.CommitBlock(i)
		row := make([]sent, 0, len(nr[i].Weights))
		sum := 0.0
		for _, we := range nr[i].Weights {
			j := int(we.UID)
			if !st.KeepWeight(&mk, i, j, cb) {
				continue
			}
			row = append(row, sent{j, float64(we.Value)})
			sum += float64(we.Value)
		}
		if sum > 0 {
			for k := range row {
				row[k].v = onGrid(row[k].v / sum) // stored as I32F32 on chain
			}
		}
		w[i] = row
	}

	// 6. Consensus: the κ-weighted median of each column over the validators
	// with positive active stake (absent entries count as 0).
	kappa := float64(h.Kappa) / 65535
	consensus := sparseConsensus(activeStake, w, n, kappa)

	// 7-9. Clipping, validator trust, incentive. yuma2b clips the previous
	// epoch's weights against the current consensus.
	wUse := w
	if h.Yuma == subnet.Yuma2b {
		wUse = e.previousWeights(st, w)
	}
	clipped := make([][]sent, n)
	vtrust := make([]float64, n)
	incentive := make([]float64, n)
	for i, row := range wUse {
		var out []sent
		for _, e := range row {
			c := consensus[e.j]
			if c < e.v {
				if c > 0 {
					out = append(out, sent{e.j, c})
				}
				continue
			}
			out = append(out, e)
		}
		clipped[i] = out
		for _, e := range out {
			vtrust[i] += e.v
			incentive[e.j] += onGrid(activeStake[i] * e.v) // I32F32 product
		}
	}
	normalizeInto(incentive, incentive, 0)

	// 10. Weights for bonds: W̃ = W + β (clip(W) − W).
	beta := float64(h.BondsPenalty) / 65535
	wb := interpolateRows(wUse, clipped, n, beta)

	// 11. Bonds and dividends.
	bonds := make([][]sent, n)
	for i := range nr {
		bonds[i] = make([]sent, 0, len(nr[i].Bonds))
		for _, be := range nr[i].Bonds {
			j := int(be.UID)
			if !st.KeepBond(&mk, j) {
				continue
			}
			bonds[i] = append(bonds[i], sent{j, be.Value})
		}
	}
	alphaFixed := 1 - float64(h.BondsMovingAverage)/1e6
	lo, hi := float64(h.AlphaLow)/65535, float64(h.AlphaHigh)/65535
	dividends := make([]float64, n)
	var ema [][]sent
	if h.Yuma == subnet.Yuma3 {
		if h.LiquidAlpha == subnet.LiquidAlphaV2 && anyNonZeroF(consensus) {
			ema = emaLiquidV2(wb, bonds, consensus, n, lo, hi, float64(h.AlphaSigmoidSteepness)/100)
		} else {
			ema = emaRows(wb, bonds, n, alphaFixed, nil)
		}
		sums := colSumsRows(ema, n)
		for i, row := range ema {
			t := 0.0
			for _, e := range row {
				x := e.v
				if s := sums[e.j]; s != 0 {
					x = onGrid(x / s)
				}
				t += onGrid(incentive[e.j] * x)
			}
			// I32F32 products floor; tiny dividends are then normalised.
			dividends[i] = onGrid(t * activeStake[i])
		}
	} else if h.Yuma == subnet.Yuma2c {
		ema = capacityBonds(w, bonds, activeStake, n)
		sums := colSumsRows(ema, n)
		for i, row := range ema {
			for _, e := range row {
				if s := sums[e.j]; s != 0 {
					dividends[i] += incentive[e.j] * e.v / s
				}
			}
		}
	} else {
		// yuma1, yuma2 renormalise the stored bonds; yuma2a, yuma2b do not.
		renorm := h.Yuma == subnet.Yuma1 || h.Yuma == subnet.Yuma2
		if renorm {
			colNormalizeRows(bonds, n)
		}
		// ΔB = s_i W̃_ij floored to the chain's 2^-32 grid before the column
		// normalisation: a product below the chain's resolution is 0 there,
		// and normalising would blow a 1e-10 column up to a whole share.
		delta := make([][]sent, n)
		for i, row := range wb {
			d := make([]sent, len(row))
			for k, e := range row {
				d[k] = sent{e.j, onGrid(e.v * activeStake[i])}
			}
			delta[i] = d
		}
		colNormalizeRows(delta, n)
		rate, perMiner := alphaFixed, []float64(nil)
		switch {
		case h.Yuma == subnet.Yuma1:
			rate = 1
		case h.LiquidAlpha == subnet.LiquidAlphaV1:
			if alpha, ok := liquidAlphaV1Rates(consensus, lo, hi); ok {
				perMiner = alpha
			}
		case h.LiquidAlpha == subnet.LiquidAlphaV1Paper:
			if alpha, ok := liquidAlphaV1PaperRates(consensus, lo, hi); ok {
				perMiner = alpha
			}
		}
		if !renorm && !anyBonds(nr) {
			ema = delta // the unnormalised EMA starts at the first instant bonds
		} else {
			ema = emaRows(delta, bonds, n, rate, perMiner)
		}
		if renorm {
			colNormalizeRows(ema, n)
		}
		for i, row := range ema {
			for _, e := range row {
				dividends[i] += incentive[e.j] * e.v
			}
		}
	}
	normalizeInto(dividends, dividends, 0)
	stored := make([][]subnet.BondEntry, n)
	for i, row := range ema {
		if !newPermit[i] {
			stored[i] = []subnet.BondEntry{}
			continue
		}
		stored[i] = make([]subnet.BondEntry, 0, len(row))
		for _, e := range row {
			stored[i] = append(stored[i], subnet.BondEntry{UID: uint16(e.j), Value: e.v})
		}
	}

	// 12. Emission: I + D normalised; when it sums to 0, the active stake (or
	// the stake if that is all zero).
	combined := make([]float64, n)
	es := 0.0
	for i := range combined {
		combined[i] = incentive[i] + dividends[i]
		es += combined[i]
	}
	normalizeInto(combined, combined, 0)
	if es == 0 {
		src := activeStake
		if !anyNonZeroF(activeStake) {
			src = stake
		}
		copy(combined, src)
	}

	// 13. Outputs (proportions; bonds dense).
	denseStored := make([][]float64, n)
	denseEMA := make([][]float64, n)
	back := make([]float64, 2*n*n)
	for i := 0; i < n; i++ {
		denseStored[i] = back[2*i*n : (2*i+1)*n : (2*i+1)*n]
		denseEMA[i] = back[(2*i+1)*n : (2*i+2)*n : (2*i+2)*n]
		for _, b := range stored[i] {
			denseStored[i][b.UID] = b.Value
		}
		for _, e := range ema[i] {
			denseEMA[i][e.j] = e.v
		}
	}
	_ = emission // a float engine reports the emission as a proportion
	cp := func(x []float64) []float64 { return append([]float64(nil), x...) }
	return subnet.EpochOutput{
		Consensus:       consensus,
		Incentive:       incentive,
		Dividends:       dividends,
		ValidatorTrust:  vtrust,
		Emission:        combined,
		ValidatorPermit: newPermit,
		Active:          active,
		Bonds:           denseStored,
		StoredBonds:     stored,
		Exact: &subnet.Proportions{
			Consensus: cp(consensus), Incentive: cp(incentive), Dividends: cp(dividends),
			ValidatorTrust: cp(vtrust), Emission: cp(combined), Bonds: denseEMA,
		},
	}, nil
}

// topKPermits is the chain's is_topk_nonzero on the normalised stake: the
// non-zero stakes, and when there are at least k uids only the k largest. The
// ranking key is the stake as the chain quantises it (floor(s·2^32/total)),
// so that ties fall exactly where the chain's do: a stable ascending sort, the
// lower uid losing a tie.
func topKPermits(stake []uint64, total uint64, k int) []bool {
	n := len(stake)
	key := make([]fixed.I32F32, n)
	out := make([]bool, n)
	for i, s := range stake {
		key[i] = fixed.I64F64RatioToI32F32(s, total)
		out[i] = key[i] != 0
	}
	if n < k {
		return out
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return key[idx[a]] < key[idx[b]] })
	for _, i := range idx[:n-k] {
		out[i] = false
	}
	return out
}

// sparseConsensus is the κ-weighted median of each column (chain-epoch.md
// section 4 step 6) over the validators with positive stake.
func sparseConsensus(stake []float64, w [][]sent, n int, kappa float64) []float64 {
	var pos []int
	total := 0.0
	for i, s := range stake {
		if s > 0 {
			pos = append(pos, i)
			total += s
		}
	}
	k := len(pos)
	colMajor := make([]float64, n*k)
	nonzero := make([]bool, n)
	for r, i := range pos {
		for _, e := range w[i] {
			colMajor[e.j*k+r] = e.v
			if e.v != 0 {
				nonzero[e.j] = true
			}
		}
	}
	out := make([]float64, n)
	scores, stakes := make([]float64, k), make([]float64, k)
	buf := newSelectBuffers(k)
	for j := 0; j < n; j++ {
		if !nonzero[j] {
			continue
		}
		copy(scores, colMajor[j*k:(j+1)*k])
		for r, i := range pos {
			stakes[r] = stake[i]
		}
		out[j] = buf.weightedUpperQuantile(scores, stakes, kappa, total)
	}
	return out
}

// interpolateRows is the chain's interpolate_sparse: w for β = 0, the
// clipped weights for β = 1 (both keep their entries' order and explicit
// zeros), otherwise the positive entries of w + β (clip − w) in column order.
func interpolateRows(w, clipped [][]sent, n int, beta float64) [][]sent {
	switch beta {
	case 0:
		return w
	case 1:
		return clipped
	}
	out := make([][]sent, len(w))
	r1, r2 := make([]float64, n), make([]float64, n)
	for i := range w {
		if len(w[i]) == 0 && len(clipped[i]) == 0 {
			continue
		}
		clear(r1)
		clear(r2)
		for _, e := range w[i] {
			r1[e.j] = e.v
		}
		for _, e := range clipped[i] {
			r2[e.j] = e.v
		}
		var row []sent
		for j := 0; j < n; j++ {
			if v := r1[j] + beta*(r2[j]-r1[j]); v > 0 {
				row = append(row, sent{j, v})
			}
		}
		out[i] = row
	}
	return out
}

// colSumsRows returns the column sums of a sparse matrix.
func colSumsRows(m [][]sent, n int) []float64 {
	sums := make([]float64, n)
	for _, row := range m {
		for _, e := range row {
			sums[e.j] += e.v
		}
	}
	return sums
}

// colNormalizeRows divides every entry by its column sum (columns summing to
// 0 are left alone).
func colNormalizeRows(m [][]sent, n int) {
	sums := colSumsRows(m, n)
	for _, row := range m {
		for k := range row {
			if s := sums[row[k].j]; s != 0 {
				row[k].v /= s
			}
		}
	}
}

// emaRows is mat_ema_sparse with a per-column rate (perMiner, or rate for
// every column when perMiner is nil): α_j new + (1 − α_j) old over the union
// of entries, keeping positive values in column order; a row empty in both
// stays empty.
func emaRows(newM, old [][]sent, n int, rate float64, perMiner []float64) [][]sent {
	out := make([][]sent, len(newM))
	row := make([]float64, n)
	alpha := perMiner
	if alpha == nil {
		alpha = make([]float64, n)
		for j := range alpha {
			alpha[j] = rate
		}
	}
	for i := range newM {
		if len(newM[i]) == 0 && len(old[i]) == 0 {
			continue
		}
		clear(row)
		for _, e := range newM[i] {
			row[e.j] += alpha[e.j] * e.v
		}
		for _, e := range old[i] {
			row[e.j] += (1 - alpha[e.j]) * e.v
		}
		c := 0
		for _, v := range row {
			if v > 0 {
				c++
			}
		}
		r := make([]sent, 0, c)
		for j, v := range row {
			if v > 0 {
				r = append(r, sent{j, v})
			}
		}
		out[i] = r
	}
	return out
}

// emaLiquidV2 is the chain's sparse Yuma3 liquid-alpha EMA
// (compute_liquid_alpha_values_sparse then mat_ema_alpha_sparse): per
// (i, j) rate from the sigmoid of the buy/sell distance, read by walking
// each W̃ and bond row with a pointer that assumes ascending columns; only
// entries present in W̃'s row survive, B' = min(1, (1 − α) B + max(0, α W̃)),
// kept when positive, in W̃'s order.
func emaLiquidV2(wb, bonds [][]sent, consensus []float64, n int, lo, hi, steep float64) [][]sent {
	out := make([][]sent, len(wb))
	alpha := make([]float64, n)
	decayed := make([]float64, n)
	var rule v2State
	rule.setRule(lo, hi, steep, 20) // the chain's exp_safe clamp
	for i := range wb {
		wr, br := wb[i], bonds[i]
		if len(wr) == 0 {
			continue // nothing survives: only W̃'s entries are kept
		}
		wi, bi := 0, 0
		for j := 0; j < n; j++ {
			var wv, bv float64
			if wi < len(wr) && wr[wi].j == j {
				wv = wr[wi].v
				wi++
			}
			if bi < len(br) && br[bi].j == j {
				bv = br[bi].v
				bi++
			}
			alpha[j] = rule.rate(math.Float64frombits(distance(wv, bv, consensus[j])))
		}
		clear(decayed)
		for _, e := range br {
			decayed[e.j] = (1 - alpha[e.j]) * e.v
		}
		var row []sent
		for _, e := range wr {
			v := min(1, decayed[e.j]+max(0, alpha[e.j]*e.v))
			if v > 0 {
				row = append(row, sent{e.j, v})
			}
		}
		out[i] = row
	}
	return out
}

// liquidAlphaV1Rates is the chain's 2024 per-miner rate (see liquidAlphaV1);
// ok is false when the fixed rate applies.
func liquidAlphaV1Rates(consensus []float64, lo, hi float64) ([]float64, bool) {
	if !anyNonZeroF(consensus) {
		return nil, false
	}
	out := make([]float64, len(consensus))
	ok := v1Rates(out, make([]float64, len(consensus)), consensus, lo, hi, true)
	return out, ok
}

// liquidAlphaV1PaperRates is the notebooks' variant (see liquidAlphaV1Paper):
// the same logistic, C_H = q_0.99 when the quartiles coincide, and the rate on
// the new bond 1 − clamp(α̃_j, α_L, α_H); ok is false when the fixed rate
// applies.
func liquidAlphaV1PaperRates(consensus []float64, lo, hi float64) ([]float64, bool) {
	out := make([]float64, len(consensus))
	ok := v1PaperRates(out, make([]float64, len(consensus)), consensus, lo, hi)
	return out, ok
}

// capacityBonds is yuma2c's bond step on sparse rows (see yuma2c):
// cap_i = s_i 2^64, buy_ij = min(capacity_alpha cap_i, max(cap_i − B_ij, 0)) W_ij
// with the unclipped weights, B'_ij = min((1 − decay_rate) B_ij + buy_ij, cap_i),
// over the union of entries, positive values kept in column order. The rates
// are DefaultParams' (the chain has no such hyperparameters).
func capacityBonds(w, old [][]sent, stake []float64, n int) [][]sent {
	p := DefaultParams()
	out := make([][]sent, len(w))
	wr, br := make([]float64, n), make([]float64, n)
	has := make([]bool, n)
	for i := range w {
		if len(w[i]) == 0 && len(old[i]) == 0 {
			continue
		}
		clear(wr)
		clear(br)
		clear(has)
		for _, e := range w[i] {
			wr[e.j], has[e.j] = e.v, true
		}
		for _, e := range old[i] {
			br[e.j], has[e.j] = e.v, true
		}
		capI := stake[i] * capacityScale
		var row []sent
		for j := 0; j < n; j++ {
			if !has[j] {
				continue
			}
			buy := min(p.CapacityAlpha*capI, max(capI-br[j], 0)) * wr[j]
			if v := min((1-p.DecayRate)*br[j]+buy, capI); v > 0 {
				row = append(row, sent{j, v})
			}
		}
		out[i] = row
	}
	return out
}

// anyBonds reports whether any neuron stores a bond.
func anyBonds(nr []subnet.Neuron) bool {
	for i := range nr {
		if len(nr[i].Bonds) > 0 {
			return true
		}
	}
	return false
}

func anyNonZeroF(x []float64) bool {
	for _, v := range x {
		if v != 0 {
			return true
		}
	}
	return false
}

// CheckHyperparameters is CheckSubnetHyperparameters as a method, so that a
// replay can refuse an unsupported variant before it runs any step.
func (*SubnetEngine) CheckHyperparameters(h subnet.Hyperparameters) error {
	return CheckSubnetHyperparameters(h)
}

// onGrid floors x to the chain's I32F32 resolution 2^-32.
func onGrid(x float64) float64 { return math.Floor(x*(1<<32)) * (1.0 / (1 << 32)) }
