package chain

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/yuma-go/yuma/fixed"
)

func f32s(v ...float32) []fixed.I32F32 {
	out := make([]fixed.I32F32, len(v))
	for i, x := range v {
		out[i] = fixed.FromFloat32(x)
	}
	return out
}

func sumOf(x []fixed.I32F32) fixed.I32F32 {
	var s fixed.I32F32
	for _, v := range x {
		s += v
	}
	return s
}

func pairs(stake, score []fixed.I32F32) []scored {
	out := make([]scored, len(stake))
	for i := range out {
		out[i] = scored{score[i], stake[i]}
	}
	return out
}

// tests/math.rs:1439 test_math_weighted_median (majority 0.51).
func TestWeightedMedianTable(t *testing.T) {
	cases := []struct {
		stake, score []float32
		want         float32
	}{
		{[]float32{0.49, 0.51}, []float32{0.5, 1}, 1},
		{[]float32{0.51, 0.49}, []float32{0.5, 1}, 0.5},
		{[]float32{0.49, 0, 0.51}, []float32{0.5, 0.7, 1}, 1},
		{[]float32{0.49, 0.01, 0.5}, []float32{0.5, 0.7, 1}, 0.7},
		{[]float32{0.49, 0.51, 0}, []float32{0.5, 0.7, 1}, 0.7},
		{[]float32{0.2, 0.2, 0.2, 0.2, 0.2}, []float32{0.8, 0.2, 1, 0.6, 0.4}, 0.6},
		{[]float32{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, []float32{0.8, 0.8, 0.2, 0.2, 1, 1, 0.6, 0.6, 0.4, 0.4}, 0.6},
	}
	majority := fixed.FromFloat32(0.51)
	for _, c := range cases {
		stake, score := f32s(c.stake...), f32s(c.score...)
		minority := fixed.One - majority
		got := weightedMedian(pairs(stake, score), make([]scored, len(stake)), minority, 0, sumOf(stake))
		if got != fixed.FromFloat32(c.want) {
			t.Errorf("weighted_median(%v, %v) = %v, want %v", c.stake, c.score, got.Float(), c.want)
		}
	}
}

// The median equals max{ w : stake of scores >= w is >= kappa } (section 4.6).
func TestWeightedMedianProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for it := 0; it < 2000; it++ {
		n := 1 + rng.IntN(12)
		stake := make([]fixed.I32F32, n)
		score := make([]fixed.I32F32, n)
		for i := range stake {
			stake[i] = fixed.FromInt(int64(1 + rng.IntN(5)))
			score[i] = fixed.FromInt(int64(rng.IntN(6)))
		}
		normalize(stake)
		s := sumOf(stake)
		kappa := fixed.MustFloat(rng.Float64())
		got := weightedMedian(pairs(stake, score), make([]scored, n), s-kappa, 0, s)
		want, found := fixed.I32F32(math.MinInt64), false
		minScore := score[0]
		for _, w := range score {
			minScore = minScore.Min(w)
			var above fixed.I32F32
			for k, v := range score {
				if v >= w {
					above += stake[k]
				}
			}
			if above >= kappa && w > want {
				want, found = w, true
			}
		}
		if !found {
			want = minScore
		}
		if got != want {
			t.Fatalf("stake %v score %v kappa %v: median %v, want %v", stake, score, kappa.Float(), got.Float(), want.Float())
		}
	}
}

func sparseFrom(rows [][]float32) sparse {
	m := make(sparse, len(rows))
	for i, r := range rows {
		for j, v := range r {
			if v != 0 {
				m[i] = append(m[i], entry{j, fixed.FromFloat32(v)})
			}
		}
	}
	return m
}

// tests/math.rs:1697/1727 weighted_median_col(_sparse).
func TestWeightedMedianColSparse(t *testing.T) {
	w := sparseFrom([][]float32{{0, 0.1, 0}, {0, 0.2, 0.4}, {0, 0.3, 0.1}, {0, 0.4, 0.5}})
	stake := f32s(0, 0.75, 0.25, 0)
	for _, c := range []struct {
		kappa float32
		want  []float32
	}{
		{0.24, []float32{0, 0.3, 0.4}}, {0.26, []float32{0, 0.2, 0.4}}, {0.76, []float32{0, 0.2, 0.1}},
	} {
		got := weightedMedianColSparse(stake, w, 3, fixed.FromFloat32(c.kappa))
		for j := range got {
			if got[j] != fixed.FromFloat32(c.want[j]) {
				t.Errorf("kappa %v: median %v, want %v", c.kappa, got[j].Float(), c.want[j])
			}
		}
	}
	w = sparseFrom([][]float32{{0, 0.1, 0}, {0, 0.2, 0.4}, {0, 0.3, 0.1}, {0, 0, 0.5}})
	got := weightedMedianColSparse(f32s(0, 0.3, 0.2, 0.5), w, 3, fixed.FromFloat32(0.51))
	want := f32s(0, 0, 0.4)
	for j := range got {
		if got[j] != want[j] {
			t.Errorf("second case col %d: %v, want %v", j, got[j].Float(), want[j].Float())
		}
	}
}

func denseAlpha(rows [][]float32) [][]fixed.I32F32 {
	out := make([][]fixed.I32F32, len(rows))
	for i, r := range rows {
		out[i] = f32s(r...)
	}
	return out
}

func TestMatEMAAlpha(t *testing.T) {
	// Dense (tests/math.rs mat_ema_alpha): clamped at 1.
	newM := sparseFrom([][]float32{{1, 2, 3}, {4, 5, 6}})
	old := sparseFrom([][]float32{{0.5, 1.5, 2.5}, {3.5, 4.5, 5.5}})
	alpha := denseAlpha([][]float32{{0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}})
	got := matEMAAlphaDense(new(mat), newM, old, 3, alpha, make([]fixed.I32F32, 3), make([]fixed.I32F32, 3))
	want := [][]float64{{0.75, 1, 1}, {1, 1, 1}}
	for i := range want {
		for j := range want[i] {
			if v := got[i][j].v.Float(); math.Abs(v-want[i][j]) > 1e-6 {
				t.Errorf("dense [%d][%d] = %v, want %v", i, j, v, want[i][j])
			}
		}
	}
	// Sparse: [[0.14, 0.28], [0.5, 0.52]].
	newM = sparseFrom([][]float32{{0.1, 0.2}, {0.3, 0.4}})
	old = sparseFrom([][]float32{{0.5, 0.6}, {0.7, 0.8}})
	alpha = denseAlpha([][]float32{{0.9, 0.8}, {0.5, 0.7}})
	got = matEMAAlphaSparse(new(mat), newM, old, 2, alpha, make([]fixed.I32F32, 2))
	want = [][]float64{{0.14, 0.28}, {0.5, 0.52}}
	for i := range want {
		for j := range want[i] {
			if v := got[i][j].v.Float(); math.Abs(v-want[i][j]) > 1e-6 {
				t.Errorf("sparse [%d][%d] = %v, want %v", i, j, v, want[i][j])
			}
		}
	}
	// The drop rule (section 8): old {(0,0)=1}, new {(1,1)=2}, alpha 0.1 -> {(1,1)=0.2} only.
	newM = sparse{nil, {{1, fixed.FromInt(2)}}}
	old = sparse{{{0, fixed.One}}, nil}
	alpha = denseAlpha([][]float32{{0.1, 0.1}, {0.1, 0.1}})
	got = matEMAAlphaSparse(new(mat), newM, old, 2, alpha, make([]fixed.I32F32, 2))
	if len(got[0]) != 0 || len(got[1]) != 1 || got[1][0].j != 1 || math.Abs(got[1][0].v.Float()-0.2) > 1e-6 {
		t.Errorf("drop rule: got %+v", got)
	}
}

// Section 6a reference values with alpha (6553, 19660)/65535 and steepness 1000.
func TestAlphaSigmoidReference(t *testing.T) {
	m := fixed.FromU16(65535)
	lo, hi := fixed.FromU16(6553).SafeDiv(m), fixed.FromU16(19660).SafeDiv(m)
	steep := fixed.FromInt(1000)
	for _, c := range []struct{ d, want float64 }{{0, 0.1013309}, {0.5, 0.1999924}, {1, 0.2986538}} {
		// d is the buy-side distance: weight = d above a zero consensus, no bond.
		got := alphaSigmoid(0, fixed.MustFloat(c.d), 0, lo, hi, steep)
		if math.Abs(got.Float()-c.want) > 5e-8 {
			t.Errorf("alpha(d=%v) = %.7f, want %.7f", c.d, got.Float(), c.want)
		}
	}
}

// tests at 8de0d23c: test_calculate_logistic_params, test_compute_alpha_values, test_quantile.
func TestLiquidAlphaV1Kernels(t *testing.T) {
	a, b := logisticParams(fixed.MustFloat(0.9), fixed.MustFloat(0.1), fixed.MustFloat(0.8), fixed.MustFloat(0.2))
	if math.Abs(a.Float()-7.32408) > 1e-3 || math.Abs(b.Float()-3.66204) > 1e-3 {
		t.Errorf("logistic params = (%v, %v), want (7.324, 3.662)", a.Float(), b.Float())
	}
	if a, b := logisticParams(fixed.One, 0, fixed.MustFloat(0.8), fixed.MustFloat(0.2)); a != 0 || b != 0 {
		t.Error("alpha_low 0 must give (0, 0)")
	}
	a, b = logisticParams(fixed.MustFloat(0.9), fixed.MustFloat(0.1), fixed.One, 0)
	if math.Abs(a.Float()-4.3944) > 1e-3 || math.Abs(b.Float()-2.1972) > 1e-3 {
		t.Errorf("(0.9, 0.1, 1, 0) = (%v, %v), want (4.3944, 2.1972)", a.Float(), b.Float())
	}
	if a, b := logisticParams(fixed.Half, fixed.Half, fixed.MustFloat(0.8), fixed.MustFloat(0.2)); a != 0 || b != 0 {
		// 1/0.5 - 1 = 1, ln 1 = 0 on both sides
		t.Errorf("(0.5, 0.5) = (%v, %v), want (0, 0)", a.Float(), b.Float())
	}
	if a, b := logisticParams(fixed.MustFloat(0.9), fixed.MustFloat(0.1), fixed.Half, fixed.Half); a != 0 || b != 0 {
		t.Error("C_H = C_L must give (0, 0)")
	}
	for _, c := range []float64{0.1, 0.5, 0.9} {
		x := fixed.ExpUnclamped(fixed.Zero.SatSub(fixed.One.Mul(fixed.MustFloat(c))))
		got := fixed.One.SatDiv(fixed.One.SatAdd(x))
		if want := 1 / (1 + math.Exp(-c)); math.Abs(got.Float()-want) > 1e-6 {
			t.Errorf("alpha(c=%v) = %v, want %v", c, got.Float(), want)
		}
	}
	data := f32s(1, 2, 3, 4, 5)
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.25, 2}, {0.5, 3}, {0.66, 3.64}, {0.75, 4}, {1, 5}} {
		if got := quantile(data, c.q); math.Abs(got.Float()-c.want) > 1e-6 {
			t.Errorf("quantile(%v) = %v, want %v", c.q, got.Float(), c.want)
		}
	}
}

func TestTopKNonzero(t *testing.T) {
	x := []fixed.I32F32{5, 0, 5, 3, 5}
	got := isTopKNonzero(x, 2)
	// ties: the lower uid loses -> uids 2 and 4 keep permits
	want := []bool{false, false, true, false, true}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("topk = %v, want %v", got, want)
		}
	}
	got = isTopKNonzero(x, 10) // n < k: every non-zero
	if !got[0] || got[1] || !got[3] {
		t.Fatalf("n < k: %v", got)
	}
}

// weightedMedianCol (the first split fused with reading the column) must
// equal weightedMedian on the same pairs, ties and zero stakes included.
func TestWeightedMedianColMatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for k := 0; k < 3000; k++ {
		n := rng.IntN(40)
		scores := make([]fixed.I32F32, n)
		stakes := make([]fixed.I32F32, n)
		levels := 1 + rng.IntN(8) // few distinct scores: many ties
		for i := range scores {
			scores[i] = fixed.I32F32(rng.IntN(levels)) * (fixed.One / 8)
			stakes[i] = fixed.I32F32(rng.Int64N(int64(fixed.One)))
		}
		normalize(stakes)
		sum := sumOf(stakes)
		minority := fixed.I32F32(rng.Int64N(int64(sum) + 1))
		if k%2 == 0 {
			// Exactly at (or one unit beside) a cumulative stake boundary,
			// where the search's <= and < comparisons decide.
			level := fixed.I32F32(rng.IntN(levels)) * (fixed.One / 8)
			minority = 0
			for i := range scores {
				if scores[i] < level || (k%4 == 0 && scores[i] == level) {
					minority += stakes[i]
				}
			}
			minority += fixed.I32F32(rng.IntN(3) - 1)
		}
		want := weightedMedian(pairs(stakes, scores), make([]scored, n), minority, 0, sum)
		got := weightedMedianCol(scores, stakes, make([]scored, n), make([]scored, n), minority, sum)
		if got != want {
			t.Fatalf("case %d: fused %v, loop %v (scores %v stakes %v minority %v)", k, got, want, scores, stakes, minority)
		}
	}
}

// weightedMedianFast (the weighted quantile where the chain's search does
// not depend on its pivots) must equal the chain's loop on every input:
// ties, zero stakes, clustered and spread scores, minority at and beside
// the cumulative-stake boundaries and outside [0, sum).
func TestWeightedMedianFastMatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for k := 0; k < 20000; k++ {
		n := rng.IntN(90)
		if k%50 == 0 {
			n = 250 + rng.IntN(100) // longer than the quantile's bucket-index array
		}
		scores := make([]fixed.I32F32, n)
		stakes := make([]fixed.I32F32, n)
		mode := k % 5
		levels := 1 + rng.IntN(6)
		for i := range scores {
			switch mode {
			case 0: // few distinct scores: many ties
				scores[i] = fixed.I32F32(rng.IntN(levels)) * (fixed.One / 8)
			case 1: // spread over [0, 1]
				scores[i] = fixed.I32F32(rng.Int64N(int64(fixed.One) + 1))
			case 2: // exponentially spread (deep bucketing)
				scores[i] = fixed.I32F32(rng.Int64N(int64(fixed.One))) >> rng.IntN(33)
			case 3: // one cluster and a few outliers
				scores[i] = fixed.One/256 + fixed.I32F32(rng.IntN(3))
				if rng.IntN(10) == 0 {
					scores[i] = fixed.I32F32(rng.Int64N(int64(fixed.One)))
				}
			default: // neighbouring raw values
				scores[i] = fixed.I32F32(1000 + rng.IntN(20))
			}
			stakes[i] = fixed.I32F32(rng.Int64N(int64(fixed.One)))
			if rng.IntN(8) == 0 {
				stakes[i] = 0
			}
		}
		normalize(stakes)
		sum := sumOf(stakes)
		var minority fixed.I32F32
		switch k % 4 {
		case 0:
			minority = fixed.I32F32(rng.Int64N(int64(sum) + 1))
		case 1, 2: // at or one unit beside a cumulative boundary
			var level fixed.I32F32
			if n > 0 {
				level = scores[rng.IntN(n)]
			}
			for i := range scores {
				if scores[i] < level || (k%4 == 1 && scores[i] == level) {
					minority += stakes[i]
				}
			}
			minority += fixed.I32F32(rng.IntN(3) - 1)
		default: // outside [0, sum): the chain's loop decides
			minority = sum + fixed.I32F32(rng.IntN(3))
			if rng.IntN(2) == 0 {
				minority = -1 - fixed.I32F32(rng.IntN(3))
			}
		}
		want := weightedMedian(pairs(stakes, scores), make([]scored, n), minority, 0, sum)
		got := weightedMedianFast(scores, stakes, make([]scored, n), make([]scored, n), minority, sum)
		if got != want {
			t.Fatalf("case %d (mode %d, n %d): fast %v, loop %v (minority %v, sum %v)", k, mode, n, got, want, minority, sum)
		}
	}
}

// The sigmoid memo (direct-mapped, by d, emptied per epoch) never changes an
// alpha: many distinct d values collide in its slots, and a new epoch with
// other bounds must not see the previous epoch's entries.
func TestSigmoidMemoExact(t *testing.T) {
	m := fixed.FromU16(65535)
	rng := rand.New(rand.NewPCG(15, 16))
	memo := new(sigmoidMemo)
	for epoch := 0; epoch < 3; epoch++ {
		lo := fixed.FromU16(uint16(1000 + 3000*epoch)).SafeDiv(m)
		hi := fixed.FromU16(uint16(20000 + 9000*epoch)).SafeDiv(m)
		steep := fixed.FromInt(int64(500 + 400*epoch))
		sg := newSigmoid(lo, hi, steep, memo)
		for k := 0; k < 6000; k++ {
			c := fixed.I32F32(rng.Int64N(int64(fixed.One)))
			w := fixed.I32F32(rng.Int64N(int64(fixed.One)))
			b := fixed.I32F32(rng.Int64N(int64(fixed.One)))
			if k%3 == 0 { // repeat a few d values often
				c, w, b = 0, fixed.I32F32(rng.IntN(50))<<20, 0
			}
			if got, want := sg.alpha(c, w, b), alphaSigmoid(c, w, b, lo, hi, steep); got != want {
				t.Fatalf("epoch %d: memoised alpha(%v, %v, %v) = %v, fresh %v", epoch, c, w, b, got, want)
			}
		}
	}
}
