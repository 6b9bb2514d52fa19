package chain

import (
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
	for i, v := range x {
		x[i] = v.SafeDiv(sum)
	}
}

// rowNormalize is inplace_row_normalize_sparse.
func rowNormalize(m sparse) {
	for _, row := range m {
		var sum fixed.I32F32
		for _, e := range row {
			sum += e.v
		}
		if sum > 0 {
			for k := range row {
				row[k].v = row[k].v.SatDiv(sum)
			}
		}
	}
}

// colNormalize is inplace_col_normalize_sparse.
func colNormalize(m sparse, n int, sums []fixed.I32F32) {
	clear(sums)
	for _, row := range m {
		for _, e := range row {
			sums[e.j] += e.v
		}
	}
	for _, row := range m {
		for k := range row {
			if s := sums[row[k].j]; s != 0 {
				row[k].v = row[k].v.SatDiv(s)
			}
		}
	}
}

// colMaxUpscale is inplace_col_max_upscale_sparse.
func colMaxUpscale(m sparse, maxes []fixed.I32F32) {
	clear(maxes)
	for _, row := range m {
		for _, e := range row {
			if e.v > maxes[e.j] {
				maxes[e.j] = e.v
			}
		}
	}
	for _, row := range m {
		for k := range row {
			if mx := maxes[row[k].j]; mx != 0 {
				row[k].v = row[k].v.SafeDiv(mx)
			}
		}
	}
}

// isTopKNonzero is the chain's is_topk_nonzero: non-zero entries, and when
// len >= k only the k largest (stable sort ascending: on ties the lower
// index loses).
func isTopKNonzero(x []fixed.I32F32, k int) []bool {
	n := len(x)
	out := make([]bool, n)
	for i, v := range x {
		out[i] = v != 0
	}
	if n < k {
		return out
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	for _, i := range idx[:n-k] {
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
	useStake := make([]fixed.I32F32, 0, len(stake))
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
	useScore := make([]fixed.I32F32, columns*k)
	nonzero := make([]bool, columns)
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
	median := make([]fixed.I32F32, columns)
	part := make([]scored, k)
	spare := make([]scored, k)
	for c := 0; c < columns; c++ {
		if !nonzero[c] {
			continue // all scores 0: the search returns its pivot, 0, for any minority
		}
		col := useScore[c*k : (c+1)*k]
		for i := range part {
			part[i] = scored{col[i], useStake[i]}
		}
		median[c] = weightedMedian(part, spare, minority, 0, sum)
	}
	return median
}

// colClip is col_clip_sparse: entries above the column threshold are
// clipped to it, or removed when the threshold is 0.
func colClip(w sparse, c []fixed.I32F32) sparse {
	out := make(sparse, len(w))
	back := make([]entry, 0, entries(w))
	for i, row := range w {
		nr := back[len(back) : len(back) : len(back)+len(row)]
		back = back[:len(back)+len(row)]
		for _, e := range row {
			if c[e.j] < e.v {
				if c[e.j] > 0 {
					nr = append(nr, entry{e.j, c[e.j]})
				}
			} else {
				nr = append(nr, e)
			}
		}
		out[i] = nr
	}
	return out
}

// colClipInPlace is colClip overwriting w.
func colClipInPlace(w sparse, c []fixed.I32F32) sparse {
	for i, row := range w {
		k := 0
		for _, e := range row {
			if c[e.j] < e.v {
				if c[e.j] > 0 {
					row[k] = entry{e.j, c[e.j]}
					k++
				}
			} else {
				row[k] = e
				k++
			}
		}
		w[i] = row[:k]
	}
	return w
}

// interpolate is interpolate_sparse(w, wc, columns, ratio). For ratio 0 and
// 1 it returns w or wc itself (the chain clones; callers here never mutate).
func interpolate(w, wc sparse, columns int, ratio fixed.I32F32) sparse {
	if ratio == 0 {
		return w
	}
	if ratio == fixed.One {
		return wc
	}
	out := make(sparse, len(w))
	r1 := make([]fixed.I32F32, columns)
	r2 := make([]fixed.I32F32, columns)
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
		var row []entry
		for j := 0; j < columns; j++ {
			v := r1[j].SatAdd(ratio.Mul(r2[j].SatSub(r1[j])))
			if v > 0 {
				row = append(row, entry{j, v})
			}
		}
		out[i] = row
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
func matEMA(newM, old sparse, columns int, alpha fixed.I32F32) sparse {
	oneMinus := fixed.One.SatSub(alpha)
	out := make(sparse, len(newM))
	row := make([]fixed.I32F32, columns)
	for i := range newM {
		if len(newM[i]) == 0 && len(old[i]) == 0 {
			continue // an empty row stays empty
		}
		clear(row)
		for _, e := range newM[i] {
			row[e.j] += alpha.Mul(e.v)
		}
		for _, e := range old[i] {
			row[e.j] += oneMinus.Mul(e.v)
		}
		out[i] = positives(row)
	}
	return out
}

// matEMAAlphaVec is the v1 mat_ema_alpha_vec_sparse: per-column alpha.
func matEMAAlphaVec(newM, old sparse, columns int, alpha []fixed.I32F32) sparse {
	out := make(sparse, len(newM))
	row := make([]fixed.I32F32, columns)
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
		out[i] = positives(row)
	}
	return out
}

func positives(row []fixed.I32F32) []entry {
	c := 0
	for _, v := range row {
		if v > 0 {
			c++
		}
	}
	if c == 0 {
		return nil
	}
	out := make([]entry, 0, c)
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
func matEMAAlphaSparse(newM, old sparse, columns int, alpha [][]fixed.I32F32) sparse {
	out := make(sparse, len(newM))
	decayed := make([]fixed.I32F32, columns)
	for i := range newM {
		clear(decayed)
		for _, e := range old[i] {
			decayed[e.j] = fixed.One.SatSub(alpha[i][e.j]).Mul(e.v)
		}
		var row []entry
		for _, e := range newM[i] {
			inc := alpha[i][e.j].Mul(e.v).Max(0)
			v := decayed[e.j].SatAdd(inc).Min(fixed.One)
			if v > 0 {
				row = append(row, entry{e.j, v})
			}
		}
		out[i] = row
	}
	return out
}

// matEMAAlphaDense is the dense mat_ema_alpha: every (i, j) decays.
func matEMAAlphaDense(newM, old sparse, columns int, alpha [][]fixed.I32F32) sparse {
	out := make(sparse, len(newM))
	nw := make([]fixed.I32F32, columns)
	od := make([]fixed.I32F32, columns)
	for i := range newM {
		clear(nw)
		clear(od)
		for _, e := range newM[i] {
			nw[e.j] = e.v
		}
		for _, e := range old[i] {
			od[e.j] = e.v
		}
		row := make([]entry, 0, columns)
		for j := 0; j < columns; j++ {
			a := alpha[i][j]
			v := fixed.One.SatSub(a).Mul(od[j]).SatAdd(a.Mul(nw[j]).Max(0)).Min(fixed.One)
			row = append(row, entry{j, v})
		}
		out[i] = row
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
	return newSigmoid(alphaLow, alphaHigh, steepness).alpha(consensus, weight, bond)
}

// sigmoid evaluates alpha_sigmoid with the per-epoch constants hoisted and
// the exp results memoised by argument (exact: same input, same output).
type sigmoid struct {
	lo, hi, slope fixed.I32F32
	memo          map[fixed.I32F32]fixed.I32F32
}

func newSigmoid(alphaLow, alphaHigh, steepness fixed.I32F32) *sigmoid {
	return &sigmoid{lo: alphaLow, hi: alphaHigh, slope: steepness.SatDiv(fixed.FromInt(-100)), memo: map[fixed.I32F32]fixed.I32F32{}}
}

func (s *sigmoid) alpha(consensus, weight, bond fixed.I32F32) fixed.I32F32 {
	one := fixed.One
	diffBuy := weight.SatSub(consensus).Max(0).Min(one)
	diffSell := bond.SatSub(weight).Max(0).Min(one)
	d := diffSell
	if weight >= bond {
		d = diffBuy
	}
	x := s.slope.Mul(d.SatSub(fixed.Half))
	sig, ok := s.memo[x]
	if !ok {
		sig = one.SatDiv(one.SatAdd(fixed.ExpSafe(x)))
		if len(s.memo) < 1<<16 {
			s.memo[x] = sig
		}
	}
	alpha := s.lo.SatAdd(sig.Mul(s.hi.SatSub(s.lo)))
	return alpha.Max(s.lo).Min(s.hi)
}
