package epoch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSelectUpperMatchesQuickselect compares the branch-free selection (and
// its float front) with a classic three-way quickselect and with a
// brute-force definition on random columns
// with ties, tiny stakes, κ at the edges and pivots that are, or are not,
// among the scores.
func TestSelectUpperMatchesQuickselect(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := range 20000 {
		n := 1 + r.IntN(70)
		scores, stakes := make([]float64, n), make([]float64, n)
		levels := 1 + r.IntN(8) // few distinct values: many ties
		total := 0.0
		for i := range scores {
			if r.IntN(2) == 0 {
				scores[i] = float64(1+r.IntN(levels)) / 8
			} else {
				scores[i] = r.Float64()
			}
			stakes[i] = r.Float64()
			if r.IntN(10) == 0 {
				stakes[i] = 1e-12
			}
			total += stakes[i]
		}
		for i := range stakes {
			stakes[i] /= total
		}
		kappa := []float64{0, 0.5, 0.51, 1, r.Float64()}[r.IntN(5)]
		sum := 0.0
		for _, s := range stakes {
			sum += s
		}
		if sum < kappa {
			continue
		}
		// Brute force: the largest score whose upper stake reaches κ.
		want := math.Inf(-1)
		for _, x := range scores {
			up := 0.0
			for k, y := range scores {
				if y >= x {
					up += stakes[k]
				}
			}
			if up >= kappa && x > want {
				want = x
			}
		}
		sc, st := make([]uint64, n), make([]uint64, n)
		for i := range scores {
			sc[i], st[i] = math.Float64bits(scores[i]), math.Float64bits(stakes[i])
		}
		pivot := scores[r.IntN(n)]
		if r.IntN(2) == 0 {
			pivot = r.Float64()
		}
		got := math.Float64frombits(selectUpper(sc, st, make([]uint64, n), make([]uint64, n), kappa, math.Float64bits(pivot), r.IntN(3) > 0))
		ref := referenceQuickselect(append([]float64(nil), scores...), append([]float64(nil), stakes...), kappa)
		buf := newSelectBuffers(n)
		if front := buf.weightedUpperQuantile(scores, stakes, kappa, sum); front != got {
			t.Fatalf("trial %d: float front %v, selectUpper %v", trial, front, got)
		}
		if got != ref || (math.Abs(got-want) > 0 && !nearTie(scores, stakes, kappa)) {
			t.Fatalf("trial %d: n %d κ %v: selectUpper %v, quickselect %v, brute force %v", trial, n, kappa, got, ref, want)
		}
	}
}

// nearTie reports whether some score's upper stake is within rounding of κ,
// where summation order may legitimately decide the answer.
func nearTie(scores, stakes []float64, kappa float64) bool {
	for _, x := range scores {
		up := 0.0
		for k, y := range scores {
			if y >= x {
				up += stakes[k]
			}
		}
		if math.Abs(up-kappa) < 1e-12 {
			return true
		}
	}
	return false
}

// referenceQuickselect is an independent reference for selectUpper: a classic
// in-place quickselect with three-way partitioning (median-of-three pivots)
// returning max{x : Σ_{score ≥ x} stake ≥ kappa}, for a total that reaches
// kappa. It reorders scores and stakes.
func referenceQuickselect(scores, stakes []float64, kappa float64) float64 {
	need := kappa
	for len(scores) > 1 {
		a, b, c := scores[0], scores[len(scores)/2], scores[len(scores)-1]
		p := max(min(a, b), min(max(a, b), c))
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
