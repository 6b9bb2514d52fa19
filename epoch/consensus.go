package epoch

import "math"

// consensus fills e.c with the stake-weighted κ-quantile of each column:
//
//	C_j = max{ x ∈ {W_ij : s_i > 0} : Σ_{i: W_ij ≥ x} s_i ≥ κ }
//
// which is what the chain's iterative weighted median returns
// (chain-epoch.md section 4 step 6) and what yuma-simulation's sort-and-cumsum
// returns. When no value qualifies (κ above the total stake) the chain returns
// the smallest score; an empty validator set gives 0. Each column is solved by
// selection in expected O(V), not by sorting.
func (e *Engine) consensus(kappa float64) {
	v, m := e.v, e.m
	n := len(e.pos)
	total := 0.0
	for _, i := range e.pos {
		total += e.s[i]
	}
	for i, x := range e.s {
		e.sBits[i] = math.Float64bits(x)
	}
	if total < kappa || n == 0 {
		// No value qualifies: the chain returns the smallest score.
		for j := 0; j < m; j++ {
			col := e.wt[j*v : (j+1)*v]
			for k, i := range e.pos {
				e.scores[k] = math.Float64frombits(col[i])
				e.stakes[k] = e.s[i]
			}
			e.c[j] = e.sel.weightedUpperQuantile(e.scores[:n], e.stakes[:n], kappa, total)
		}
		return
	}
	// Zero scores sit below every positive one, so only positive scores need
	// ranking: when their stake reaches κ the answer is among them, otherwise
	// it is 0. Consensus usually moves little from one epoch to the next, so
	// each column starts from last epoch's answer: when it did not move, the
	// same validator's score is tried first; when it moved by Δ, the answer
	// is first sought between the old value ± 2Δ.
	for j := 0; j < m; j++ {
		col := e.wt[j*v : (j+1)*v]
		pivot, pivoted := uint64(0), false
		if e.hasPrev {
			if reach := e.reach[j]; reach == 0 {
				if k := e.cIdx[j]; k >= 0 && hintedQuantile(col, e.sBits, k, kappa) {
					e.c[j] = math.Float64frombits(col[k])
					continue
				}
			} else if c, dir := e.bracketed(col, e.rawC[j], reach, kappa); dir == 0 {
				e.settle(j, col, c)
				continue
			} else {
				// The answer lies beyond the bracket's edge c: partition
				// there first.
				pivot, pivoted = c, true
			}
		}
		// The answer is 0 when the positive scores' stake falls short of κ.
		if stakeAbove(col, e.sBits, 0) < kappa {
			e.settle(j, col, 0)
			continue
		}
		// Gather the positive scores of positive-stake validators,
		// branch-free (a zero score advances nothing).
		sc, st := e.sel.score[0], e.sel.stake[0]
		k := 0
		for _, i := range e.pos {
			x := col[i]
			sc[k], st[k] = x, e.sBits[i]
			k += int(uint64(-int64(x)) >> 63) // 1 when x > 0
		}
		if k == 0 { // only when κ is 0: no positive score, and 0 qualifies
			e.settle(j, col, 0)
			continue
		}
		e.settle(j, col, selectUpper(sc[:k], st[:k], e.sel.score[1], e.sel.stake[1], kappa, pivot, pivoted))
	}
}

// settle records column j's answer cb (float64 bits): the consensus, how far
// it moved (the next epoch's search reach) and, when it did not move, a
// validator holding it (the next epoch's first guess).
func (e *Engine) settle(j int, col []uint64, cb uint64) {
	c := math.Float64frombits(cb)
	e.c[j] = c
	if moved := math.Abs(c - e.rawC[j]); !e.hasPrev || moved == 0 {
		e.reach[j] = 0
	} else {
		// Twice the last move, but shrinking only slowly, so that one small
		// move does not narrow the next search too much.
		e.reach[j] = max(2*moved, e.reach[j]/2)
	}
	e.cIdx[j] = -1
	if e.reach[j] == 0 && cb != 0 {
		for _, i := range e.pos {
			if col[i] == cb {
				e.cIdx[j] = i
				break
			}
		}
	}
}

// bracketed looks for the column's answer between lo = max(0, center − reach)
// and hi = center + reach in one branch-free pass: with A the stake above hi
// and M the positive stake in [lo, hi], the answer lies in [lo, hi] exactly
// when A < κ ≤ A + M, and it is then the (κ − A)-upper quantile of the
// scores in [lo, hi], which are collected in the same pass. (Zero-stake
// validators' scores may be collected too: with κ − A > 0 they can never be
// the answer, as the next higher score qualifies as well.) Otherwise dir is
// +1 (the answer is above hi) or −1 (below lo) and cb is that edge.
func (e *Engine) bracketed(col []uint64, center, reach, kappa float64) (cb uint64, dir int) {
	lo := math.Float64bits(max(0, center-reach))
	hi := math.Float64bits(center + reach)
	sc, st := e.sel.score[0][:len(col)], e.sel.stake[0][:len(col)]
	s := e.sBits[:len(col)]
	above := 0.0
	k := 0
	for i, x := range col {
		sb := s[i]
		over := uint64(int64(hi-x) >> 63)       // x > hi
		in := uint64(int64(lo-1-x)>>63) &^ over // lo ≤ x ≤ hi
		above += math.Float64frombits(sb & over)
		sc[k], st[k] = x, sb
		k += int(in & 1)
	}
	if above >= kappa {
		return hi, +1
	}
	mid := 0.0
	for _, sb := range st[:k] {
		mid += math.Float64frombits(sb)
	}
	if above+mid < kappa {
		return lo, -1
	}
	return selectUpper(sc[:k], st[:k], e.sel.score[1], e.sel.stake[1], kappa-above, 0, false), 0
}

// stakeAbove returns Σ s_i over the entries with col_i > p, where col and p
// are bits of non-negative float64s (which order like the integers) and s
// holds the stakes' bits. It is branch-free, with two accumulators so that
// the additions overlap.
func stakeAbove(col, s []uint64, p uint64) float64 {
	s = s[:len(col)]
	var gt0, gt1 float64
	n := len(col) &^ 1
	for i := 0; i < n; i += 2 {
		// int64(p − x) >> 63 is all ones exactly when x > p (both below 2^63).
		gt0 += math.Float64frombits(s[i] & uint64(int64(p-col[i])>>63))
		gt1 += math.Float64frombits(s[i+1] & uint64(int64(p-col[i+1])>>63))
	}
	if n < len(col) {
		gt0 += math.Float64frombits(s[n] & uint64(int64(p-col[n])>>63))
	}
	return gt0 + gt1
}

// selectUpper returns max{x ∈ sc : Σ_{score ≥ x} stake ≥ need} for scores sc
// (bits of non-negative float64s, which order like the integers) and stakes
// st (float64 bits) whose total reaches need. It is a quickselect whose
// partition is branch-free: each score is written both to the front and to
// the back of the scratch buffers bs, bt (at least as long as sc), and only
// the side it belongs to advances, so data-dependent comparisons never
// mispredict. Rounds alternate between sc/st and bs/bt; both are clobbered.
// When pivoted, the first pivot is p (it need not be a score: last epoch's
// consensus), later ones the median of three.
func selectUpper(sc, st, bs, bt []uint64, need float64, p uint64, pivoted bool) uint64 {
	first := pivoted
	for {
		n := len(sc)
		switch n {
		case 0: // callers pass at least one score
			return p
		case 1:
			return sc[0]
		}
		if !first {
			p = median3(sc[0], sc[n/2], sc[n-1])
		}
		first = false
		st, bs, bt = st[:n], bs[:n], bt[:n]
		var sumGT, sumEQ float64
		ng, nl := 0, 0
		for i, x := range sc {
			s := st[i]
			gt := uint64(int64(p-x) >> 63) // all ones when x > p
			lt := uint64(int64(x-p) >> 63) // all ones when x < p
			bs[ng], bt[ng] = x, s
			bs[n-1-nl], bt[n-1-nl] = x, s
			sumGT += math.Float64frombits(s & gt)
			sumEQ += math.Float64frombits(s &^ (gt | lt))
			ng += int(gt & 1)
			nl += int(lt & 1)
		}
		switch {
		case sumGT >= need && ng > 0: // the answer is above p
			sc, st, bs, bt = bs[:ng], bt[:ng], sc, st
		case sumEQ > 0 && sumGT+sumEQ >= need: // p is a score and the answer
			return p
		case nl == 0: // rounding left nothing below: the lowest score left
			if sumEQ > 0 || ng == 0 {
				return p
			}
			low := bs[0]
			for _, x := range bs[:ng] {
				low = min(low, x)
			}
			return low
		default: // below p
			need -= sumGT + sumEQ
			sc, st, bs, bt = bs[n-nl:], bt[n-nl:], sc, st
		}
	}
}

// median3 returns the median of three integers.
func median3(a, b, c uint64) uint64 {
	return max(min(a, b), min(max(a, b), c))
}

// hintedQuantile reports whether validator k's score p = col[k] is the
// column's answer: it is exactly when Σ_{x > p} s < κ ≤ Σ_{x ≥ p} s (then
// some positive stake scores p, and every larger score falls short of κ).
// Zero-stake entries add nothing. col holds the scores as float64 bits of
// non-negative numbers (which order like the integers), s the stakes' bits.
// The main pass sums only the stake above p, branch-free and with two
// accumulators; since Σ_{x ≥ p} s ≥ Σ_{x > p} s + s_k, the stake at p needs a
// second pass only when s_k alone does not reach κ.
func hintedQuantile(col, s []uint64, k int, kappa float64) bool {
	p := col[k]
	gt := stakeAbove(col, s, p)
	if gt >= kappa {
		return false
	}
	if gt+math.Float64frombits(s[k]) >= kappa {
		return true
	}
	eq := 0.0
	for i, x := range col {
		if x == p {
			eq += math.Float64frombits(s[i])
		}
	}
	return gt+eq >= kappa
}

// selectBuffers holds selectUpper's ping-pong buffers: scores and stakes as
// float64 bits, two of each.
type selectBuffers struct {
	score, stake [2][]uint64
}

// newSelectBuffers returns buffers for up to n scores.
func newSelectBuffers(n int) selectBuffers {
	return selectBuffers{
		score: [2][]uint64{make([]uint64, n), make([]uint64, n)},
		stake: [2][]uint64{make([]uint64, n), make([]uint64, n)},
	}
}

// weightedUpperQuantile returns max{x ∈ scores : Σ_{score ≥ x} stake ≥ kappa}
// for non-negative scores or, when none qualifies (total < kappa), the
// smallest score (0 for no scores), by selectUpper on the buffers (at least
// len(scores) long). The dense engine calls selectUpper directly; this float
// front serves the sparse subnet engine and the total < κ case.
func (buf *selectBuffers) weightedUpperQuantile(scores, stakes []float64, kappa, total float64) float64 {
	if len(scores) == 0 {
		return 0
	}
	if total < kappa {
		lo := scores[0]
		for _, x := range scores[1:] {
			lo = min(lo, x)
		}
		return lo
	}
	sc, st := buf.score[0][:len(scores)], buf.stake[0][:len(scores)]
	for k, x := range scores {
		sc[k], st[k] = math.Float64bits(x)&^signBit, math.Float64bits(stakes[k]) // −0 is 0
	}
	return math.Float64frombits(selectUpper(sc, st, buf.score[1], buf.stake[1], kappa, 0, false))
}
