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
			e.c[j] = weightedUpperQuantile(e.scores[:n], e.stakes[:n], kappa, total, false)
		}
		return
	}
	// Zero scores sit below every positive one, so only positive scores need
	// ranking: when their stake reaches κ the answer is among them, otherwise
	// it is 0.
	for j := 0; j < m; j++ {
		col := e.wt[j*v : (j+1)*v]
		if k := e.cIdx[j]; e.hasPrev && k >= 0 {
			// Consensus moves slowly: first try the score of the validator
			// whose score was last epoch's consensus.
			if hintedQuantile(col, e.sBits, k, kappa) {
				e.c[j] = math.Float64frombits(col[k])
				continue
			}
		}
		k := 0
		posStake := 0.0
		// Consensus moves slowly: note the score nearest to last epoch's
		// value and start the selection there, so one partition usually
		// suffices.
		hint := e.prevC[j]
		best, gap := 0, math.Inf(1)
		for _, i := range e.pos {
			if x := math.Float64frombits(col[i]); x > 0 {
				e.scores[k] = x
				e.stakes[k] = e.s[i]
				if d := math.Abs(x - hint); d < gap {
					best, gap = k, d
				}
				k++
			}
		}
		posStake = sum(e.stakes[:k])
		e.cIdx[j] = -1
		if k == 0 || posStake < kappa {
			e.c[j] = 0
			continue
		}
		sc, st := e.scores[:k], e.stakes[:k]
		if e.hasPrev {
			sc[0], sc[best] = sc[best], sc[0]
			st[0], st[best] = st[best], st[0]
		}
		c := weightedUpperQuantile(sc, st, kappa, posStake, e.hasPrev)
		e.c[j] = c
		for _, i := range e.pos {
			if math.Float64frombits(col[i]) == c {
				e.cIdx[j] = i
				break
			}
		}
	}
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
	s = s[:len(col)]
	p := col[k]
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
	gt := gt0 + gt1
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

// weightedUpperQuantile returns max{x ∈ scores : Σ_{score ≥ x} stake ≥ kappa}
// or, when none qualifies, the smallest score (0 for no scores). It reorders
// scores and stakes in place (quickselect with three-way partitioning). When
// hinted, scores[0] is used as the first pivot.
func weightedUpperQuantile(scores, stakes []float64, kappa, total float64, hinted bool) float64 {
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
	need := kappa
	if hinted && len(scores) > 1 {
		// When the hint is the answer (consensus did not move) this one
		// pass is all the work.
		if hintedScan(scores, stakes, scores[0], need) {
			return scores[0]
		}
	}
	first := hinted
	for len(scores) > 1 {
		var p float64
		if first {
			p = scores[0] // nearestFirst may have placed a good pivot here
			first = false
		} else {
			p = medianOfThree(scores[0], scores[len(scores)/2], scores[len(scores)-1])
		}
		// Partition into [> p | == p | < p].
		gt, lt := 0, len(scores)
		sumGT, sumEQ := 0.0, 0.0
		for k := 0; k < lt; {
			x := scores[k]
			switch {
			case x > p:
				scores[k], scores[gt] = scores[gt], scores[k]
				stakes[k], stakes[gt] = stakes[gt], stakes[k]
				sumGT += stakes[gt]
				gt++
				k++
			case x < p:
				lt--
				scores[k], scores[lt] = scores[lt], scores[k]
				stakes[k], stakes[lt] = stakes[lt], stakes[k]
			default:
				sumEQ += stakes[k]
				k++
			}
		}
		switch {
		case gt > 0 && sumGT >= need:
			scores, stakes = scores[:gt], stakes[:gt]
		case sumGT+sumEQ >= need || lt == len(scores):
			return p
		default:
			need -= sumGT + sumEQ
			scores, stakes = scores[lt:], stakes[lt:]
		}
	}
	return scores[0]
}

func medianOfThree(a, b, c float64) float64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	return max(a, b)
}

// hintedScan is hintedQuantile on float64 scores and stakes.
func hintedScan(scores, stakes []float64, p, kappa float64) bool {
	var gt, ge float64
	stakes = stakes[:len(scores)]
	for k, x := range scores {
		bits := math.Float64bits(stakes[k])
		var gtMask, geMask uint64
		if x > p {
			gtMask = ^uint64(0)
		}
		if x >= p {
			geMask = ^uint64(0)
		}
		gt += math.Float64frombits(bits & gtMask)
		ge += math.Float64frombits(bits & geMask)
	}
	return gt < kappa && ge >= kappa
}
