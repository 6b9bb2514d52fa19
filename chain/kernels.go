package chain

import (
	"cmp"
	"slices"
	"sort"

	"github.com/yuma-go/yuma/fixed"
)

// entry is one sparse matrix entry (column j, value v).
type entry struct {
	j int
	v fixed.I32F32
}

// sparse is a row-major sparse matrix; rows keep their entries' order.
type sparse [][]entry

// normalize is the chain's inplace_normalize: divide by the sum unless it is 0.
func normalize(x []fixed.I32F32) {
	var sum fixed.I32F32
	for _, v := range x {
		sum += v
	}
	if sum == 0 {
		return
	}
	d, _ := fixed.NewDivisor(sum)
	for i, v := range x {
		q, ok := d.Quo(v)
		if !ok {
			q = v.SafeDiv(sum)
		}
		x[i] = q
	}
}

// divisors sets divs[j] to the Divisor of sums[j] (a zero Divisor, which
// declines every quotient, where the sum is not positive).
func divisors(divs []fixed.Divisor, sums []fixed.I32F32) []fixed.Divisor {
	divs = divs[:len(sums)]
	for j, s := range sums {
		divs[j], _ = fixed.NewDivisor(s)
	}
	return divs
}

// normalizeRow divides the row by sum (its entries' sum) when sum > 0.
func normalizeRow(row []entry, sum fixed.I32F32) {
	if sum <= 0 {
		return
	}
	d, _ := fixed.NewDivisor(sum)
	for k := range row {
		q, ok := d.Quo(row[k].v)
		if !ok {
			q = row[k].v.SatDiv(sum)
		}
		row[k].v = q
	}
}

// colNormalize is inplace_col_normalize_sparse.
// sums and divs are scratch as long as the row length n.
func colNormalize(m sparse, sums []fixed.I32F32, divs []fixed.Divisor) {
	clear(sums)
	for _, row := range m {
		for _, e := range row {
			sums[e.j] += e.v
		}
	}
	divs = divisors(divs, sums)
	for _, row := range m {
		for k := range row {
			j := row[k].j
			if s := sums[j]; s != 0 {
				q, ok := divs[j].Quo(row[k].v)
				if !ok {
					q = row[k].v.SatDiv(s)
				}
				row[k].v = q
			}
		}
	}
}

// isTopKNonzero is the chain's is_topk_nonzero: non-zero entries, and when
// len >= k only the k largest (stable sort ascending: on ties the lower
// index loses).
func isTopKNonzero(x []fixed.I32F32, k int) []bool {
	return isTopKNonzeroBuf(x, k, nil)
}

// isTopKNonzeroBuf is isTopKNonzero sorting in idx's array when it is large
// enough. A stable sort's result is unique, so any stable algorithm gives
// the chain's order.
func isTopKNonzeroBuf(x []fixed.I32F32, k int, idx *[]int) []bool {
	n := len(x)
	out := make([]bool, n)
	for i, v := range x {
		out[i] = v != 0
	}
	if n < k {
		return out
	}
	var ix []int
	if idx != nil {
		*idx = zeroed(*idx, n)
		ix = *idx
	} else {
		ix = make([]int, n)
	}
	for i := range ix {
		ix[i] = i
	}
	slices.SortStableFunc(ix, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	for _, i := range ix[:n-k] {
		out[i] = false
	}
	return out
}

// scored is one validator's (score, stake) in a weighted-median partition.
type scored struct {
	score, stake fixed.I32F32
}

// weightedMedian is the chain's weighted_median (math.rs): the recursive
// pivot search, written as a loop. part holds the partition (in the chain's
// index order) and is overwritten; spare must be at least as long (scratch
// for the upper part). Each pass splits the partition once, keeping the
// original order inside the lower and upper parts as the chain's Vec pushes do.
func weightedMedian(part, spare []scored, minority, lo, hi fixed.I32F32) fixed.I32F32 {
	for {
		n := len(part)
		if n == 0 {
			return 0
		}
		if n == 1 {
			return part[0].score
		}
		pivot := part[n/2].score
		var loStake, hiStake fixed.I32F32
		nLo, nHi := 0, 0
		// Branch-free split (random scores defeat branch prediction):
		// every element is written to both buffers and the write positions
		// advance only for the matching side. nLo <= read position, so the
		// in-place filter of part is stable.
		for _, p := range part {
			lt := b2i(p.score < pivot)
			gt := b2i(p.score > pivot)
			part[nLo] = p
			spare[nHi] = p
			nLo += lt
			nHi += gt
			loStake += p.stake & fixed.I32F32(-lt)
			hiStake += p.stake & fixed.I32F32(-gt)
		}
		switch {
		case lo+loStake <= minority && minority < hi-hiStake:
			return pivot
		case minority < lo+loStake && nLo > 0:
			part = part[:nLo]
			hi = lo + loStake
		case hi-hiStake <= minority && nHi > 0:
			part, spare = spare[:nHi], part
			lo = hi - hiStake
		default:
			return pivot
		}
	}
}

// weightedMedianCol is weightedMedian(pairs of scores and stakes, spare,
// minority, 0, sum) with the first split reading the column directly
// instead of copying it into a partition first. part and spare are scratch
// at least as long as scores.
func weightedMedianCol(scores, stakes []fixed.I32F32, part, spare []scored, minority, sum fixed.I32F32) fixed.I32F32 {
	n := len(scores)
	if n == 0 {
		return 0
	}
	if n == 1 {
		return scores[0]
	}
	stakes = stakes[:n]
	pivot := scores[n/2]
	var loStake, hiStake fixed.I32F32
	nLo, nHi := 0, 0
	for i, sc := range scores {
		st := stakes[i]
		lt := b2i(sc < pivot)
		gt := b2i(sc > pivot)
		part[nLo] = scored{sc, st}
		spare[nHi] = scored{sc, st}
		nLo += lt
		nHi += gt
		loStake += st & fixed.I32F32(-lt)
		hiStake += st & fixed.I32F32(-gt)
	}
	lo, hi := fixed.I32F32(0), sum
	switch {
	case lo+loStake <= minority && minority < hi-hiStake:
		return pivot
	case minority < lo+loStake && nLo > 0:
		return weightedMedian(part[:nLo], spare, minority, lo, lo+loStake)
	case hi-hiStake <= minority && nHi > 0:
		return weightedMedian(spare[:nHi], part, minority, hi-hiStake, hi)
	}
	return pivot
}

// b2i converts a bool to 0 or 1 (compiled to SETcc, no branch).
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// weightedMedianColSparse is weighted_median_col_sparse: per column, the
// kappa-weighted median of the scores of validators with positive stake.
func weightedMedianColSparse(stake []fixed.I32F32, w sparse, columns int, majority fixed.I32F32) []fixed.I32F32 {
	return weightedMedianColSparseBuf(new(medianScratch), stake, w, columns, majority)
}

// weightedMedianColSparseBuf is weightedMedianColSparse with its buffers
// (and the returned vector) in ms.
func weightedMedianColSparseBuf(ms *medianScratch, stake []fixed.I32F32, w sparse, columns int, majority fixed.I32F32) []fixed.I32F32 {
	useStake := zeroed(ms.useStake, len(stake))[:0]
	for _, s := range stake {
		if s > 0 {
			useStake = append(useStake, s)
		}
	}
	normalize(useStake)
	var sum fixed.I32F32
	for _, s := range useStake {
		sum += s
	}
	minority := sum - majority
	k := len(useStake)
	// useScore is column-major: column c occupies [c*k, (c+1)*k).
	ms.useStake = useStake
	useScore := zeroed(ms.useScore, columns*k)
	ms.useScore = useScore
	nonzero := zeroed(ms.nonzero, columns)
	ms.nonzero = nonzero
	r := 0
	for i, s := range stake {
		if s <= 0 {
			continue
		}
		for _, e := range w[i] {
			useScore[e.j*k+r] = e.v
			if e.v != 0 {
				nonzero[e.j] = true
			}
		}
		r++
	}
	median := zeroed(ms.median, columns)
	ms.median = median
	part := zeroed(ms.part, k)
	ms.part = part
	spare := zeroed(ms.spare, k)
	ms.spare = spare
	for c := 0; c < columns; c++ {
		if !nonzero[c] {
			continue // all scores 0: the search returns its pivot, 0, for any minority
		}
		median[c] = weightedMedianFast(useScore[c*k:(c+1)*k], useStake, part, spare, minority, sum)
	}
	return median
}

// colClip is col_clip_sparse: entries above the column threshold are
// clipped to it, or removed when the threshold is 0.
func colClip(dst *mat, w sparse, c []fixed.I32F32) sparse {
	out := dst.reset(len(w), entries(w))
	for i, row := range w {
		nr := dst.open()[:len(row)]
		dst.commit(i, nr[:clipRow(nr, row, c)])
	}
	return out
}

// colClipInPlace is colClip overwriting w.
func colClipInPlace(w sparse, c []fixed.I32F32) sparse {
	for i, row := range w {
		w[i] = row[:clipRow(row, row, c)]
	}
	return w
}

// clipRow writes row's entries clipped to the column thresholds c into dst
// (as long as row; dst may be row itself) and returns how many it kept: an
// entry above a positive threshold becomes the threshold, one above a zero
// threshold is dropped. Branch-free: random weights defeat prediction.
func clipRow(dst, row []entry, c []fixed.I32F32) int {
	k := 0
	for _, e := range row {
		cj := c[e.j]
		dst[k] = entry{e.j, min(cj, e.v)}
		k += b2i(cj >= e.v) | b2i(cj > 0)
	}
	return k
}

// interpolate is interpolate_sparse(w, wc, columns, ratio). For ratio 0 and
// 1 it returns w or wc itself (the chain clones; callers here never mutate).
func interpolate(dst *mat, w, wc sparse, columns int, ratio fixed.I32F32, r1, r2 []fixed.I32F32) sparse {
	if ratio == 0 {
		return w
	}
	if ratio == fixed.One {
		return wc
	}
	rows := 0
	for i := range w {
		if len(w[i]) != 0 || len(wc[i]) != 0 {
			rows++
		}
	}
	out := dst.reset(len(w), rows*columns)
	for i := range w {
		if len(w[i]) == 0 && len(wc[i]) == 0 {
			continue
		}
		clear(r1)
		clear(r2)
		for _, e := range w[i] {
			r1[e.j] = e.v
		}
		for _, e := range wc[i] {
			r2[e.j] = e.v
		}
		row := dst.open()
		for j := 0; j < columns; j++ {
			v := r1[j].SatAdd(ratio.Mul(r2[j].SatSub(r1[j])))
			if v > 0 {
				row = append(row, entry{j, v})
			}
		}
		dst.commit(i, row)
	}
	return out
}

// entries counts the entries of m.
func entries(m sparse) int {
	n := 0
	for _, row := range m {
		n += len(row)
	}
	return n
}

// matEMA is mat_ema_sparse: alpha*new + (1-alpha)*old over the union of
// entries, keeping values > 0, in column order.
func matEMA(dst *mat, newM, old sparse, columns int, alpha fixed.I32F32, row []fixed.I32F32) sparse {
	oneMinus := fixed.One.SatSub(alpha)
	out := dst.reset(len(newM), unionBound(newM, old, columns))
	for i := range newM {
		if len(newM[i]) == 0 && len(old[i]) == 0 {
			continue // an empty row stays empty
		}
		clear(row)
		for _, e := range newM[i] {
			r, ok := alpha.MulFast(e.v)
			if !ok {
				r = alpha.Mul(e.v)
			}
			row[e.j] += r
		}
		for _, e := range old[i] {
			r, ok := oneMinus.MulFast(e.v)
			if !ok {
				r = oneMinus.Mul(e.v)
			}
			row[e.j] += r
		}
		dst.commit(i, positives(dst.open(), row))
	}
	return out
}

// unionBound bounds the entries of an element-wise combination of a and b:
// per row, the smaller of columns and the two rows' lengths added.
func unionBound(a, b sparse, columns int) int {
	t := 0
	for i := range a {
		t += min(columns, len(a[i])+len(b[i]))
	}
	return t
}

// matEMAAlphaVec is the v1 mat_ema_alpha_vec_sparse: per-column alpha.
func matEMAAlphaVec(dst *mat, newM, old sparse, columns int, alpha []fixed.I32F32, row []fixed.I32F32) sparse {
	out := dst.reset(len(newM), unionBound(newM, old, columns))
	for i := range newM {
		if len(newM[i]) == 0 && len(old[i]) == 0 {
			continue
		}
		clear(row)
		for _, e := range newM[i] {
			row[e.j] = alpha[e.j].Mul(e.v)
		}
		for _, e := range old[i] {
			row[e.j] += fixed.One.SatSub(alpha[e.j]).Mul(e.v)
		}
		dst.commit(i, positives(dst.open(), row))
	}
	return out
}

// positives appends the positive entries of the dense row to out, in
// column order.
func positives(out []entry, row []fixed.I32F32) []entry {
	for j, v := range row {
		if v > 0 {
			out = append(out, entry{j, v})
		}
	}
	return out
}

// matEMAAlphaSparse is mat_ema_alpha_sparse: per-entry alpha; only (i, j)
// present in new's row i are kept (a bond without a weight entry is dropped),
// B' = min(1, (1-alpha)*B + max(0, alpha*W)), kept when > 0, in new's order.
func matEMAAlphaSparse(dst *mat, newM, old sparse, columns int, alpha [][]fixed.I32F32, decayed []fixed.I32F32) sparse {
	out := dst.reset(len(newM), entries(newM))
	for i := range newM {
		clear(decayed)
		for _, e := range old[i] {
			a := fixed.One.SatSub(alpha[i][e.j])
			v, ok := a.MulFast(e.v)
			if !ok {
				v = a.Mul(e.v)
			}
			decayed[e.j] = v
		}
		row := dst.open()
		for _, e := range newM[i] {
			a := alpha[i][e.j]
			inc, ok := a.MulFast(e.v)
			if !ok {
				inc = a.Mul(e.v).Max(0)
			}
			v := decayed[e.j].SatAdd(inc).Min(fixed.One)
			if v > 0 {
				row = append(row, entry{e.j, v})
			}
		}
		dst.commit(i, row)
	}
	return out
}

// matEMAAlphaDense is the dense mat_ema_alpha: every (i, j) decays.
func matEMAAlphaDense(dst *mat, newM, old sparse, columns int, alpha [][]fixed.I32F32, nw, od []fixed.I32F32) sparse {
	out := dst.reset(len(newM), len(newM)*columns)
	for i := range newM {
		clear(nw)
		clear(od)
		for _, e := range newM[i] {
			nw[e.j] = e.v
		}
		for _, e := range old[i] {
			od[e.j] = e.v
		}
		row := dst.open()
		for j := 0; j < columns; j++ {
			a := alpha[i][j]
			v := fixed.One.SatSub(a).Mul(od[j]).SatAdd(a.Mul(nw[j]).Max(0)).Min(fixed.One)
			row = append(row, entry{j, v})
		}
		dst.commit(i, row)
	}
	return out
}

// quantile is the v1 quantile: type-7 linear interpolation with an f64 position.
func quantile(data []fixed.I32F32, q float64) fixed.I32F32 {
	s := append([]fixed.I32F32(nil), data...)
	sort.Slice(s, func(a, b int) bool { return s[a] < s[b] })
	n := len(s)
	if n == 0 {
		return 0
	}
	pos := q * float64(n-1)
	low := int(pos)
	high := low
	if float64(low) != pos {
		high = low + 1
	}
	if low == high {
		return s[low]
	}
	w := fixed.MustFloat(pos - float64(low))
	return s[low].SatAdd(s[high].SatSub(s[low]).Mul(w))
}

// logisticParams is the v1 calculate_logistic_params.
func logisticParams(alphaHigh, alphaLow, cHigh, cLow fixed.I32F32) (a, b fixed.I32F32) {
	if cHigh <= cLow || alphaLow == 0 || alphaHigh == 0 {
		return 0, 0
	}
	one := fixed.One
	lnH := fixed.SafeLn(one.SatDiv(alphaHigh).SatSub(one))
	lnL := fixed.SafeLn(one.SatDiv(alphaLow).SatSub(one))
	a = lnH.SatSub(lnL).SatDiv(cLow.SatSub(cHigh))
	b = lnL.SatAdd(a.Mul(cLow))
	return a, b
}

// alphaSigmoid is the v2 alpha_sigmoid for one (validator, miner).
func alphaSigmoid(consensus, weight, bond, alphaLow, alphaHigh, steepness fixed.I32F32) fixed.I32F32 {
	return newSigmoid(alphaLow, alphaHigh, steepness, nil).alpha(consensus, weight, bond)
}

// sigmoid evaluates alpha_sigmoid with the per-epoch constants hoisted and
// the results memoised by the clamped difference d they depend on (exact:
// within an epoch the slope and the alpha bounds are fixed, so the same d
// gives the same alpha).
type sigmoid struct {
	lo, hi, slope fixed.I32F32
	memo          *sigmoidMemo
}

// memoBits sets the size of the sigmoid memo (2^memoBits slots).
const memoBits = 12

// sigmoidMemo is a direct-mapped cache of alpha by d. A slot is valid only
// when its generation is the current one, so starting a new epoch (gen++)
// empties the cache without clearing it; each epoch computes exactly what
// it would without a memo.
type sigmoidMemo struct {
	gen   uint64
	slots []memoSlot
}

type memoSlot struct {
	gen      uint64
	d, alpha fixed.I32F32
}

// next empties the memo for a new epoch.
func (m *sigmoidMemo) next() {
	if m.slots == nil {
		m.slots = make([]memoSlot, 1<<memoBits)
	}
	m.gen++
}

func newSigmoid(alphaLow, alphaHigh, steepness fixed.I32F32, memo *sigmoidMemo) *sigmoid {
	if memo == nil {
		memo = new(sigmoidMemo)
	}
	memo.next()
	return &sigmoid{lo: alphaLow, hi: alphaHigh, slope: steepness.SatDiv(fixed.FromInt(-100)), memo: memo}
}

func (s *sigmoid) alpha(consensus, weight, bond fixed.I32F32) fixed.I32F32 {
	d := distance(consensus, weight, bond)
	if a, ok := s.lookup(d); ok {
		return a
	}
	return s.compute(d)
}

// distance is alpha_sigmoid's clamped buy (weight above consensus) or sell
// (bond above weight) distance.
func distance(consensus, weight, bond fixed.I32F32) fixed.I32F32 {
	buy := min(max(weight.SatSub(consensus), 0), fixed.One)
	sell := min(max(bond.SatSub(weight), 0), fixed.One)
	d := sell
	if weight >= bond { // buying; otherwise selling
		d = buy
	}
	return d
}

// lookup returns the memoised alpha of d, if this epoch computed it.
func (s *sigmoid) lookup(d fixed.I32F32) (fixed.I32F32, bool) {
	m := s.memo
	slot := &m.slots[(uint64(d)*0x9E3779B97F4A7C15)>>(64-memoBits)]
	return slot.alpha, slot.gen == m.gen && slot.d == d
}

// compute evaluates and memoises alpha for the clamped difference d.
func (s *sigmoid) compute(d fixed.I32F32) fixed.I32F32 {
	one := fixed.One
	x := s.slope.Mul(d.SatSub(fixed.Half))
	sig := one.SatDiv(one.SatAdd(fixed.ExpSafe(x)))
	alpha := s.lo.SatAdd(sig.Mul(s.hi.SatSub(s.lo))).Max(s.lo).Min(s.hi)
	s.memo.slots[(uint64(d)*0x9E3779B97F4A7C15)>>(64-memoBits)] = memoSlot{gen: s.memo.gen, d: d, alpha: alpha}
	return alpha
}
