package chain

import "github.com/yuma-go/yuma/fixed"

// The chain's weighted-median search (weightedMedian) picks its pivots by
// position, but when 0 <= minority < sum (the sum of the stakes) its result
// does not depend on them. Write F(x) for the stake of scores below x and
// G(x) for the stake of scores at or below x. The search keeps an interval
// (L, H) of scores with lo = G(L) and hi = F(H) (exact: fixed-point sums are
// integer sums), starting from lo = 0 and hi = sum, so G(L) <= minority <
// F(H) holds at the start; it moves down only when minority < F(pivot) and
// up only when G(pivot) <= minority, so the inequality is kept. It returns a
// pivot p only with F(p) <= minority < G(p) (its fall-back branches and the
// empty and one-element cases contradict or meet the inequality), and
// exactly one score has that property: the smallest x with G(x) > minority,
// the weighted quantile. weightedQuantile finds that x directly with a few
// branch-free bucketing passes instead of about 2 ln k mispredicted splits.

// quantileBuckets is the number of value buckets per bucketing pass.
const quantileBuckets = 16

// minQuantileLen is the partition length below which the chain's own loop
// is already as fast.
const minQuantileLen = 16

// weightedMedianFast returns weightedMedianCol(scores, stakes, ...) for the
// column: by the weighted quantile when the argument above applies and the
// column is long enough, by the chain's loop otherwise.
func weightedMedianFast(scores, stakes []fixed.I32F32, part, spare []scored, minority, sum fixed.I32F32) fixed.I32F32 {
	if len(scores) >= minQuantileLen && minority >= 0 && minority < sum {
		if x, ok := weightedQuantile(scores, stakes[:len(scores)], part, minority); ok {
			return x
		}
	}
	return weightedMedianCol(scores, stakes, part, spare, minority, sum)
}

// weightedQuantile returns the smallest score x whose stake at or below x
// exceeds minority; it requires 0 <= minority < the sum of the non-negative
// stakes, and part as long as scores (scratch). ok is false when the scores
// span more than the int64 range (never for weights in [0, 1]).
func weightedQuantile(scores, stakes []fixed.I32F32, part []scored, minority fixed.I32F32) (x fixed.I32F32, ok bool) {
	var below fixed.I32F32 // stake of every score below the candidates
	var bkt [256]uint8
	// The first pass reads the column; later passes read the candidates
	// compacted into part.
	mn, mx := scores[0], scores[0]
	for _, s := range scores[1:] {
		mn = min(mn, s)
		mx = max(mx, s)
	}
	if mx-mn < 0 {
		return 0, false
	}
	first := len(scores) <= len(bkt)
	var cur []scored
	if !first {
		for i, s := range scores {
			part[i] = scored{s, stakes[i]}
		}
		cur = part[:len(scores)]
	}
	for {
		if mn == mx {
			return mn, true
		}
		// bucket(s) = floor((s-mn) * B / (mx-mn+1)), clamped to B-1: a
		// non-decreasing function of s (float conversion and scaling are
		// monotone; s-mn >= 0 fits an int64), with mn and mx in different
		// buckets, so equal scores share a bucket, buckets are ordered by
		// score, and every pass drops at least one candidate.
		scale := quantileBuckets / (float64(mx-mn) + 1)
		var hist [quantileBuckets]fixed.I32F32
		if first {
			for i, s := range scores {
				b := bucketOf(s, mn, scale)
				bkt[i] = uint8(b)
				hist[b] += stakes[i]
			}
		} else {
			for _, p := range cur {
				hist[bucketOf(p.score, mn, scale)] += p.stake
			}
		}
		b := 0
		for ; b < quantileBuckets-1; b++ {
			if below+hist[b] > minority {
				break
			}
			below += hist[b]
		}
		// Keep bucket b's candidates (in place: the write index trails).
		n := 0
		if first {
			for i, s := range scores {
				part[n] = scored{s, stakes[i]}
				n += b2i(int(bkt[i]) == b)
			}
			cur, first = part[:n], false
		} else {
			for _, p := range cur {
				cur[n] = p
				n += b2i(bucketOf(p.score, mn, scale) == b)
			}
			cur = cur[:n]
		}
		if n == 0 {
			// Impossible when the preconditions hold (the chosen bucket
			// holds stake above minority - below > 0); never index an
			// empty slice if they do not.
			return 0, false
		}
		mn, mx = cur[0].score, cur[0].score
		for _, p := range cur[1:] {
			mn = min(mn, p.score)
			mx = max(mx, p.score)
		}
	}
}

// bucketOf is weightedQuantile's bucket of score s >= mn.
func bucketOf(s, mn fixed.I32F32, scale float64) int {
	return min(int(float64(s-mn)*scale), quantileBuckets-1)
}
