// Package chain is the bit-exact Yuma Consensus epoch of the Bittensor chain
// (subtensor's epoch_mechanism, fixed-point I32F32 arithmetic), implementing
// subnet.Engine. Every step follows chain-epoch.md sections 4-6 and 8; see
// docs/chain.md for the rule-by-rule sources.
package chain

import (
	"math"
	"slices"

	"github.com/yuma-go/yuma/fixed"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/subnet"
)

// Engine runs chain epochs. The zero value is the production sparse path.
//
// An Engine keeps scratch buffers (sized by the subnet) from one epoch to the
// next, so it allocates little beyond the returned outputs. The buffers never
// carry values between epochs, so results are deterministic and independent
// of what the engine ran before; but an Engine must be used from one
// goroutine at a time (give each goroutine its own).
type Engine struct {
	dense bool
	buf   *scratch
}

// New returns the production (sparse) chain engine.
func New() *Engine { return &Engine{} }

// NewDense returns the chain's test-only dense path (epoch_dense_mechanism):
// no owner exceptions, no commit-reveal column mask, Yuma3 liquid alpha
// decays every bond, full bond rows stored.
func NewDense() *Engine { return &Engine{dense: true} }

var _ subnet.Engine = (*Engine)(nil)

// Epoch implements subnet.Engine.
func (e *Engine) Epoch(st *subnet.State, block uint64, emission uint64) (subnet.EpochOutput, error) {
	return e.run(st, block, emission)
}

// CheckHyperparameters reports (as a *badinput.Error naming the field)
// whether the chain engine supports h's Yuma version and liquid-alpha mode.
func CheckHyperparameters(h subnet.Hyperparameters) error {
	switch h.Yuma {
	case subnet.Yuma2, subnet.Yuma3:
	case subnet.Yuma1, subnet.Yuma2a, subnet.Yuma2b, subnet.Yuma2c:
		return badinput.New("", "", "yuma", "%s has no chain implementation (the chain has only the original-Yuma (yuma2) and Yuma3 paths); use engine float", h.Yuma)
	default:
		return badinput.New("", "", "yuma", "unknown version %q for engine chain (want yuma2 or yuma3)", h.Yuma)
	}
	switch h.LiquidAlpha {
	case subnet.LiquidAlphaOff, subnet.LiquidAlphaV2:
	case subnet.LiquidAlphaV1Paper:
		return badinput.New("", "", "liquid_alpha", "v1-paper is the notebooks' variant, not a chain rule; use engine float")
	case subnet.LiquidAlphaV1:
		if h.Yuma != subnet.Yuma2 {
			return badinput.New("", "", "liquid_alpha", "v1 existed only on the original-Yuma path: use yuma2")
		}
	default:
		return badinput.New("", "", "liquid_alpha", "unknown mode %q for engine chain (want off, v1 or v2)", h.LiquidAlpha)
	}
	return nil
}

func (e *Engine) run(st *subnet.State, block uint64, emission uint64) (subnet.EpochOutput, error) {
	h := st.Hyper
	if err := CheckHyperparameters(h); err != nil {
		return subnet.EpochOutput{}, err
	}
	n := len(st.Neurons)
	if n == 0 {
		return subnet.EpochOutput{}, badinput.New("", "", "epoch", "the subnet has no neurons (register some first)")
	}
	nr := st.Neurons
	if e.buf == nil {
		e.buf = new(scratch)
	}
	sc := e.buf

	// 1-3. Activity, the stake threshold (owner exempt) and the previous
	// permits: the integer masks every engine shares.
	mk := &sc.masks
	if err := st.EpochMasksInto(mk, block, !e.dense); err != nil {
		return subnet.EpochOutput{}, err
	}
	owner, filtered, total, prevPermit := mk.Owner, mk.Filtered, mk.Total, mk.PrevPermit
	active := slices.Clone(mk.Active) // returned in the output

	// 2. Stake: I64F64 normalisation, then I32F32.
	stake := zeroed(sc.stake, n)
	sc.stake = stake
	for i, s := range filtered {
		stake[i] = fixed.I64F64RatioToI32F32(s, total)
	}

	// 3. Permits: the previous ones (owner forced) mask this epoch; the new
	// ones are stored.
	newPermit := isTopKNonzeroBuf(stake, int(h.MaxAllowedValidators), &sc.idx)
	if owner >= 0 {
		newPermit[owner] = true
	}

	// 4. Active stake.
	activeStake := zeroed(sc.activeStake, n)
	sc.activeStake = activeStake
	for i := range stake {
		if active[i] && prevPermit[i] {
			activeStake[i] = stake[i]
		}
	}
	normalize(activeStake)

	// 5. Weights and masks.
	wTotal := 0
	for i := range nr {
		if prevPermit[i] {
			wTotal += len(nr[i].Weights)
		}
	}
	w := sc.w.reset(n, wTotal)
	// The registration blocks, read once per weight: a flat array instead of
	// the neuron structs.
	reg := zeroed(sc.reg, n)
	sc.reg = reg
	for j := range nr {
		reg[j] = nr[j].RegisteredAt
	}
	for i := range nr {
		if !prevPermit[i] {
			continue
		}
		var cb uint64 = math.MaxUint64 // the dense path has no commit-reveal mask
		if !e.dense {
			cb = st.CommitBlock(i)
		}
		row := sc.w.open()
		lastUpdate := nr[i].LastUpdate
		var sum fixed.I32F32
		for _, we := range nr[i].Weights {
			j := int(we.UID)
			if j >= n {
				continue
			}
			// The masks of subnet.State.KeepWeight, inlined for the hot loop.
			if j == i && i != owner {
				continue
			}
			if r := reg[j]; lastUpdate <= r || cb < r {
				continue
			}
			v := fixed.FromU16(we.Value)
			sum += v
			row = append(row, entry{j, v})
		}
		// inplace_row_normalize_sparse, while the row is in cache.
		normalizeRow(row, sum)
		sc.w.commit(i, row)
	}

	// 6. Consensus.
	kappa := fixed.FromU16(h.Kappa).SafeDiv(fixed.FromU16(math.MaxUint16))
	consensus := weightedMedianColSparseBuf(&sc.med, activeStake, w, n, kappa)

	// 7-9. Clipping, validator trust, incentive.
	// With beta == 1 the unclipped weights are not needed again: clip in place.
	beta := fixed.FromU16(h.BondsPenalty).SafeDiv(fixed.FromU16(math.MaxUint16))
	var clipped sparse
	if beta == fixed.One {
		clipped = colClipInPlace(w, consensus)
	} else {
		clipped = colClip(&sc.clipped, w, consensus)
	}
	vtrust := zeroed(sc.vtrust, n)
	sc.vtrust = vtrust
	ranks := zeroed(sc.ranks, n)
	sc.ranks = ranks
	for i, row := range clipped {
		for _, en := range row {
			vtrust[i] += en.v
			r, ok := activeStake[i].MulFast(en.v)
			if !ok {
				r = activeStake[i].Mul(en.v)
			}
			ranks[en.j] += r
		}
	}
	incentive := ranks
	normalize(incentive)

	// 10. Weights for bonds.
	sc.rowA, sc.rowB = zeroed(sc.rowA, n), zeroed(sc.rowB, n)
	wb := interpolate(&sc.interp, w, clipped, n, beta, sc.rowA, sc.rowB)

	// 11. Bonds and dividends.
	lastTempo := mk.LastTempo
	scratch := zeroed(sc.sums, n)
	sc.sums = scratch
	sc.divs = zeroed(sc.divs, n)
	// The two dense n x n outputs (stored bonds, exact bonds) share one
	// allocation, as do their row headers.
	denseBack := make([]float64, 2*n*n)
	denseRows := make([][]float64, 2*n)
	var (
		dividends  []fixed.I32F32
		emaBonds   sparse // the bonds persisted (before the storage encoding)
		exactDense [][]float64
		stored     [][]subnet.BondEntry
	)
	if h.Yuma == subnet.Yuma3 {
		bonds := loadBonds(&sc.bonds, nr, reg, lastTempo, true)
		if h.LiquidAlpha == subnet.LiquidAlphaV2 && anyNonZero(consensus) {
			alphas := e.liquidAlphaV2(h, wb, bonds, consensus)
			if e.dense {
				emaBonds = matEMAAlphaDense(&sc.ema, wb, bonds, n, alphas, sc.rowA, sc.rowB)
			} else {
				emaBonds = matEMAAlphaSparse(&sc.ema, wb, bonds, n, alphas, sc.rowA)
			}
		} else {
			emaBonds = matEMA(&sc.ema, wb, bonds, n, fixed.PPMComplement(h.BondsMovingAverage), sc.rowA)
		}
		// T = column-normalised B' times incentive, normalising on the fly;
		// the same pass writes the exact dense bonds.
		sc.total = zeroed(sc.total, n)
		total := matmulTransposeColNormalized(emaBonds, incentive, scratch, sc.divs, sc.total, denseBack[n*n:])
		dividends = zeroed(sc.dividends, n)
		sc.dividends = dividends
		for i := range total {
			if v, ok := total[i].CheckedMul(activeStake[i]); ok {
				dividends[i] = v
			}
		}
		normalize(dividends)
		exactDense = rowsOf(denseBack[n*n:], denseRows[n:], n)
		stored = storeRows(emaBonds, newPermit, n, e.dense, nil, nil, denseBack[:n*n])
	} else {
		bonds := loadBonds(&sc.bonds, nr, reg, lastTempo, false)
		colNormalize(bonds, scratch, sc.divs)
		// wb (or the w / clipped matrix it aliases) is not used after this
		// point on the original-Yuma path, so ΔB is built in place.
		delta := wb
		for i, row := range delta {
			for k := range row {
				r, ok := row[k].v.MulFast(activeStake[i])
				if !ok {
					r = row[k].v.Mul(activeStake[i])
				}
				row[k].v = r
			}
		}
		colNormalize(delta, scratch, sc.divs)
		if alpha, ok := liquidAlphaV1(h, consensus); ok {
			emaBonds = matEMAAlphaVec(&sc.ema, delta, bonds, n, alpha, sc.rowA)
		} else {
			emaBonds = matEMA(&sc.ema, delta, bonds, n, fixed.PPMComplement(h.BondsMovingAverage), sc.rowA)
		}
		// One pass column-normalises B', multiplies it by the incentive,
		// writes the exact dense bonds and finds the column maxima; the
		// storage pass then max-upscales each stored entry on the fly.
		dividends = zeroed(sc.dividends, n)
		sc.dividends = dividends
		sc.maxes = zeroed(sc.maxes, n)
		colNormalizeMatmul(emaBonds, incentive, scratch, sc.divs, dividends, denseBack[n*n:], sc.maxes)
		normalize(dividends)
		exactDense = rowsOf(denseBack[n*n:], denseRows[n:], n)
		sc.maxDivs = zeroed(sc.maxDivs, n)
		stored = storeRows(emaBonds, newPermit, n, e.dense, sc.maxes, divisors(sc.maxDivs, sc.maxes), denseBack[:n*n])
	}

	// 12. Emission.
	combined := zeroed(sc.combined, n)
	sc.combined = combined
	var es fixed.I32F32
	for i := range combined {
		combined[i] = incentive[i].SatAdd(dividends[i])
		es += combined[i]
	}
	// The server (I/ES) and validator (D/ES) shares are not outputs here;
	// the combined emission is normalised on its own, and when ES == 0 it
	// falls back to the active stake, or to the stake if that is all zero.
	normalize(combined)
	if es == 0 {
		src := activeStake
		if !anyNonZero(activeStake) {
			src = stake
		}
		copy(combined, src)
	}

	// 13. Outputs.
	// The ten output vectors share one allocation.
	vecs := make([]float64, 10*n)
	vec := func(k int) []float64 { return vecs[k*n : (k+1)*n : (k+1)*n] }
	out := subnet.EpochOutput{
		Consensus:       u16s(vec(0), consensus),
		Incentive:       u16s(vec(1), incentive),
		Dividends:       u16s(vec(2), dividends),
		ValidatorTrust:  u16s(vec(3), vtrust),
		Emission:        vec(4),
		ValidatorPermit: newPermit,
		Active:          active,
		Bonds:           denseRows[:n:n],
		StoredBonds:     stored,
		Exact: &subnet.Proportions{
			Consensus:      floats(vec(5), consensus),
			Incentive:      floats(vec(6), incentive),
			Dividends:      floats(vec(7), dividends),
			ValidatorTrust: floats(vec(8), vtrust),
			Emission:       floats(vec(9), combined),
			Bonds:          exactDense,
		},
	}
	rowsOf(denseBack[:n*n], denseRows[:n], n)
	for i := range combined {
		out.Emission[i] = float64(fixed.I96F32MulU64(combined[i], emission))
	}
	return out, nil
}

// loadBonds reads the stored bond rows (u16 integers, or u16/65535 for
// Yuma3) and removes columns of miners registered since the last tempo.
// reg holds the neurons' registration blocks.
func loadBonds(dst *mat, nr []subnet.Neuron, reg []uint64, lastTempo uint64, proportion bool) sparse {
	n := len(reg)
	total := 0
	for i := range nr {
		total += len(nr[i].Bonds)
	}
	b := dst.reset(n, total)
	for i := range nr {
		row := dst.open()
		for _, be := range nr[i].Bonds {
			j := int(be.UID)
			if j >= n || lastTempo <= reg[j] {
				continue
			}
			u := bondU16(be.Value)
			var v fixed.I32F32
			if proportion {
				v = fixed.U16Proportion(u)
			} else {
				v = fixed.FromU16(u)
			}
			row = append(row, entry{j, v})
		}
		dst.commit(i, row)
	}
	return b
}

func bondU16(v float64) uint16 {
	switch {
	case !(v > 0):
		return 0
	case v >= math.MaxUint16:
		return math.MaxUint16
	}
	return uint16(v)
}

// storeRows encodes bonds as the chain stores them: fixed_proportion_to_u16
// per entry, persisted only for uids with a new permit. With maxes (and
// their divisors) each entry is first max-upscaled by its column
// (inplace_col_max_upscale_sparse, needed only for the stored rows). back
// (n*n zeros) receives the stored values as the dense output rows.
func storeRows(m sparse, permit []bool, n int, denseRows bool, maxes []fixed.I32F32, divs []fixed.Divisor, back []float64) [][]subnet.BondEntry {
	out := make([][]subnet.BondEntry, n)
	size := 0
	for i := range m {
		if permit[i] {
			if denseRows {
				size += n
			} else {
				size += len(m[i])
			}
		}
	}
	sb := make([]subnet.BondEntry, size)
	for i := range m {
		if !permit[i] {
			out[i] = []subnet.BondEntry{}
			continue
		}
		dst := back[i*n : (i+1)*n : (i+1)*n]
		if denseRows {
			row := sb[:n:n]
			sb = sb[n:]
			for j := range row {
				row[j].UID = uint16(j)
			}
			for _, en := range m[i] {
				v := float64(fixed.ToU16Proportion(upscale(en, maxes, divs)))
				row[en.j].Value = v
				dst[en.j] = v
			}
			out[i] = row
			continue
		}
		row := sb[:len(m[i]):len(m[i])]
		sb = sb[len(m[i]):]
		if maxes == nil {
			for k, en := range m[i] {
				v := float64(fixed.ToU16Proportion(en.v))
				row[k] = subnet.BondEntry{UID: uint16(en.j), Value: v}
				dst[en.j] = v
			}
		} else {
			for k, en := range m[i] {
				v := float64(fixed.ToU16Proportion(upscale(en, maxes, divs)))
				row[k] = subnet.BondEntry{UID: uint16(en.j), Value: v}
				dst[en.j] = v
			}
		}
		out[i] = row
	}
	return out
}

// upscale returns en's value divided by its column maximum (unchanged when
// maxes is nil or the maximum is 0): inplace_col_max_upscale_sparse.
func upscale(en entry, maxes []fixed.I32F32, divs []fixed.Divisor) fixed.I32F32 {
	if maxes == nil {
		return en.v
	}
	mx := maxes[en.j]
	if mx == 0 {
		return en.v
	}
	q, ok := divs[en.j].Quo(en.v)
	if !ok {
		q = en.v.SafeDiv(mx)
	}
	return q
}

// rowsOf slices back (n*n) into the n rows of rows and returns them.
func rowsOf(back []float64, rows [][]float64, n int) [][]float64 {
	rows = rows[:n:n]
	for i := range rows {
		rows[i] = back[i*n : (i+1)*n : (i+1)*n]
	}
	return rows
}

// colNormalizeMatmul column-normalises m in place
// (inplace_col_normalize_sparse), adds m times v to out
// (matmul_transpose_sparse), writes the normalised values into exact
// (n*n zeros, the dense output) and the column maxima into maxes (zeros),
// in one pass after the column sums. sums and divs are scratch.
func colNormalizeMatmul(m sparse, v, sums []fixed.I32F32, divs []fixed.Divisor, out []fixed.I32F32, exact []float64, maxes []fixed.I32F32) {
	n := len(sums)
	clear(sums)
	for _, row := range m {
		for _, en := range row {
			sums[en.j] += en.v
		}
	}
	divs = divisors(divs, sums)
	for i, row := range m {
		dst := exact[i*n : (i+1)*n : (i+1)*n]
		var acc fixed.I32F32
		for k := range row {
			en := &row[k]
			x := en.v
			if s := sums[en.j]; s != 0 {
				q, ok := divs[en.j].Quo(x)
				if !ok {
					q = x.SatDiv(s)
				}
				x = q
				en.v = q
			}
			r, ok := v[en.j].MulFast(x)
			if !ok {
				r = v[en.j].Mul(x)
			}
			acc += r
			dst[en.j] = x.Float()
			if x > maxes[en.j] {
				maxes[en.j] = x
			}
		}
		out[i] += acc
	}
}

// matmulTransposeColNormalized computes matmul_transpose_sparse of the
// column-normalised m (inplace_col_normalize_sparse) without copying m,
// and writes m (not normalised) into exact (n*n zeros, the dense output).
// out must be zero and as long as m; sums and divs are scratch as long as
// the row length.
func matmulTransposeColNormalized(m sparse, v, sums []fixed.I32F32, divs []fixed.Divisor, out []fixed.I32F32, exact []float64) []fixed.I32F32 {
	n := len(sums)
	clear(sums)
	for _, row := range m {
		for _, en := range row {
			sums[en.j] += en.v
		}
	}
	divs = divisors(divs, sums)
	for i, row := range m {
		dst := exact[i*n : (i+1)*n : (i+1)*n]
		for _, en := range row {
			dst[en.j] = en.v.Float()
			x := en.v
			if s := sums[en.j]; s != 0 {
				q, ok := divs[en.j].Quo(x)
				if !ok {
					q = x.SatDiv(s)
				}
				x = q
			}
			r, ok := v[en.j].MulFast(x)
			if !ok {
				r = v[en.j].Mul(x)
			}
			out[i] += r
		}
	}
	return out
}

func anyNonZero(x []fixed.I32F32) bool {
	for _, v := range x {
		if v != 0 {
			return true
		}
	}
	return false
}

func u16s(out []float64, x []fixed.I32F32) []float64 {
	for i, v := range x {
		out[i] = float64(fixed.ToU16Proportion(v))
	}
	return out
}

func floats(out []float64, x []fixed.I32F32) []float64 {
	for i, v := range x {
		out[i] = v.Float()
	}
	return out
}

// alphaValues returns (alpha_low, alpha_high) / 65535 truncated.
func alphaValues(h subnet.Hyperparameters) (lo, hi fixed.I32F32) {
	m := fixed.FromU16(math.MaxUint16)
	return fixed.FromU16(h.AlphaLow).SafeDiv(m), fixed.FromU16(h.AlphaHigh).SafeDiv(m)
}

// liquidAlphaV2 is compute_liquid_alpha_values_sparse: per (validator,
// miner) alpha. The sparse path walks each weight and bond row with a peek
// pointer assuming ascending columns, exactly as the chain does (entries out
// of order are read as 0); the dense path reads every entry.
func (e *Engine) liquidAlphaV2(h subnet.Hyperparameters, wb, bonds sparse, consensus []fixed.I32F32) [][]fixed.I32F32 {
	lo, hi := alphaValues(h)
	sc := e.buf
	sg := newSigmoid(lo, hi, fixed.FromInt(int64(h.AlphaSigmoidSteepness)), &sc.sig)
	n := len(consensus)
	rows := 1 // row 0 of the backing array is the shared zero row
	for i := range wb {
		if len(wb[i]) != 0 || len(bonds[i]) != 0 {
			rows++
		}
	}
	if cap(sc.alphaRows) < len(wb) {
		sc.alphaRows = make([][]fixed.I32F32, len(wb))
	}
	out := sc.alphaRows[:len(wb)]
	// Every row below is fully overwritten, so only the zero row is cleared.
	if cap(sc.alphaBack) < rows*n {
		sc.alphaBack = make([]fixed.I32F32, rows*n)
	}
	back := sc.alphaBack[:rows*n]
	zeros := back[:n:n]
	clear(zeros)
	back = back[n:]
	sc.alphaWD, sc.alphaBD = zeroed(sc.alphaWD, n), zeroed(sc.alphaBD, n)
	wd, bd := sc.alphaWD, sc.alphaBD
	for i := range wb {
		if len(wb[i]) == 0 && len(bonds[i]) == 0 {
			// No weight and no bond: the EMA reads no alpha of this row
			// (the dense EMA gives 0 whatever alpha is).
			out[i] = zeros
			continue
		}
		row := back[:n:n]
		back = back[n:]
		if e.dense {
			clear(wd)
			clear(bd)
			for _, en := range wb[i] {
				wd[en.j] = en.v
			}
			for _, en := range bonds[i] {
				bd[en.j] = en.v
			}
			for j := 0; j < n; j++ {
				row[j] = sg.alpha(consensus[j], wd[j], bd[j])
			}
			out[i] = row
			continue
		}
		wi, bi := 0, 0
		wr, br := wb[i], bonds[i]
		for j := 0; j < n; j++ {
			var wv, bv fixed.I32F32
			if wi < len(wr) && wr[wi].j == j {
				wv = wr[wi].v
				wi++
			}
			if bi < len(br) && br[bi].j == j {
				bv = br[bi].v
				bi++
			}
			d := distance(consensus[j], wv, bv) // sg.alpha, with the memo hit inlined
			a, ok := sg.lookup(d)
			if !ok {
				a = sg.compute(d)
			}
			row[j] = a
		}
		out[i] = row
	}
	return out
}

// liquidAlphaV1 is the 2024 per-miner alpha (original-Yuma path). ok is false
// when the normal EMA alpha applies.
func liquidAlphaV1(h subnet.Hyperparameters, consensus []fixed.I32F32) ([]fixed.I32F32, bool) {
	if h.LiquidAlpha != subnet.LiquidAlphaV1 || len(consensus) == 0 || !anyNonZero(consensus) {
		return nil, false
	}
	cHigh := quantile(consensus, 0.75)
	cLow := quantile(consensus, 0.25)
	if !(cHigh > cLow || cHigh != 0 || cLow < 0) {
		return nil, false
	}
	lo, hi := alphaValues(h)
	a, b := logisticParams(hi, lo, cHigh, cLow)
	alpha := make([]fixed.I32F32, len(consensus))
	for j, c := range consensus {
		x := fixed.ExpUnclamped(b.SatSub(a.Mul(c)))
		v := fixed.One.SatDiv(fixed.One.SatAdd(x))
		alpha[j] = v.Max(lo).Min(hi)
	}
	return alpha, true
}

// String describes the engine.
func (e *Engine) String() string {
	if e.dense {
		return "chain (dense)"
	}
	return "chain (sparse)"
}
