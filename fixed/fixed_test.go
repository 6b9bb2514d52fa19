package fixed

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestSectionTwoConstants(t *testing.T) {
	m := FromU16(65535)
	if got := FromU16(32767).SafeDiv(m).Raw(); got != 2147450879 {
		t.Errorf("kappa 32767/65535 raw = %d, want 2147450879", got)
	}
	if got := PPMComplement(900000).Raw(); got != 429496730 {
		t.Errorf("alpha(bma 900000) raw = %d, want 429496730", got)
	}
	if got := PPMComplement(975000).Raw(); got != 107374183 {
		t.Errorf("alpha(bma 975000) raw = %d, want 107374183", got)
	}
	if got := I64F64RatioToI32F32(1, 10).Raw(); got != 429496729 {
		t.Errorf("stake 1/10 raw = %d, want 429496729", got)
	}
	if got := I64F64FromInt(1).Div(I64F64FromInt(10)).ToI32F32().Raw(); got != 429496729 {
		t.Errorf("I64F64 1/10 -> I32F32 raw = %d, want 429496729", got)
	}
	// The fast path equals the I64F64 route for assorted stakes.
	for _, c := range [][2]uint64{{1, 3}, {7, 7}, {0, 5}, {123456789, 987654321}, {1 << 62, 1<<63 - 1}, {999999999999, 1000000000000}} {
		want := I64F64FromInt(c[0]).Div(I64F64FromInt(c[1])).ToI32F32()
		if got := I64F64RatioToI32F32(c[0], c[1]); got != want {
			t.Errorf("ratio %d/%d: fast %d, I64F64 %d", c[0], c[1], got, want)
		}
	}
}

func TestMulFloorsDivTruncates(t *testing.T) {
	third := One.SafeDiv(FromInt(3))
	if third.Raw() != 1431655765 {
		t.Fatalf("1/3 raw = %d", third.Raw())
	}
	neg := FromInt(-1).SafeDiv(FromInt(3))
	if neg.Raw() != -1431655765 {
		t.Errorf("-1/3 truncates toward zero: raw %d", neg.Raw())
	}
	// floor multiply: (-1 raw) * 0.5 = -0.5 raw -> floor -1 raw.
	if got := FromRaw(-1).Mul(Half).Raw(); got != -1 {
		t.Errorf("-1ulp * 0.5 = %d, want -1 (floor)", got)
	}
	if got := FromRaw(1).Mul(Half).Raw(); got != 0 {
		t.Errorf("1ulp * 0.5 = %d, want 0 (floor)", got)
	}
	if got := FromInt(3).Mul(FromInt(-2)); got != FromInt(-6) {
		t.Errorf("3*-2 = %v", got.Float())
	}
	if got := One.SafeDiv(0); got != 0 {
		t.Errorf("safe_div by 0 = %v, want 0", got)
	}
	if _, ok := FromInt(1 << 30).CheckedMul(FromInt(4)); ok {
		t.Error("2^30*4 should overflow I32F32")
	}
	if got := FromInt(1 << 30).Mul(FromInt(4)); got != Max {
		t.Error("saturating mul should clamp to Max")
	}
	if got := FromInt(1 << 30).Mul(FromInt(-4)); got != Min {
		t.Error("saturating mul should clamp to Min")
	}
	if got := Max.SatAdd(One); got != Max {
		t.Error("SatAdd should clamp")
	}
	if got := Min.SatSub(One); got != Min {
		t.Error("SatSub should clamp")
	}
	if _, ok := FromInt(1 << 30).CheckedDiv(FromRaw(1)); ok {
		t.Error("division overflow not detected")
	}
}

func TestFromFloatRoundsHalfEven(t *testing.T) {
	ulp := 1.0 / (1 << 32)
	cases := []struct {
		f    float64
		want int64
	}{
		{0.5 * ulp, 0}, {1.5 * ulp, 2}, {2.5 * ulp, 2}, {-0.5 * ulp, 0}, {-1.5 * ulp, -2},
		{0.1, 429496730}, {float64(float32(0.1)), 429496736}, {1, 1 << 32},
	}
	for _, c := range cases {
		v, ok := FromFloat(c.f)
		if !ok || v.Raw() != c.want {
			t.Errorf("FromFloat(%g) = %d, want %d", c.f, v.Raw(), c.want)
		}
	}
	if _, ok := FromFloat(math.NaN()); ok {
		t.Error("NaN accepted")
	}
	if _, ok := FromFloat(3e9); ok {
		t.Error("3e9 accepted")
	}
	if FromRaw(-1).Floor() != -1 || MustFloat(2.75).Floor() != 2 {
		t.Error("Floor must round toward -inf")
	}
	if MustFloat(2.5).Round() != FromInt(3) || MustFloat(-2.5).Round() != FromInt(-3) || MustFloat(2.49).Round() != FromInt(2) {
		t.Error("Round must be half away from zero")
	}
}

func TestU16Proportions(t *testing.T) {
	if ToU16Proportion(One) != 65535 || ToU16Proportion(0) != 0 || ToU16Proportion(FromInt(-1)) != 0 || ToU16Proportion(FromInt(2)) != 65535 {
		t.Error("ToU16Proportion range")
	}
	for _, u := range []uint16{0, 1, 6553, 19660, 32767, 45875, 58982, 65534, 65535} {
		back := ToU16Proportion(U16Proportion(u))
		// trunc then floor may lose one unit, never more
		if back != u && back+1 != u {
			t.Errorf("u16 %d -> %d", u, back)
		}
	}
	if ToU16Proportion(U16Proportion(65535)) != 65535 {
		t.Error("65535 must round-trip")
	}
	if I96F32MulU64(I64F64RatioToI32F32(1, 10), 1_000_000_000) != 99999999 {
		t.Error("emission of 1/10 of 1e9 should floor to 99999999")
	}
}

func TestExp(t *testing.T) {
	if v, _ := Exp(0); v != One {
		t.Error("exp(0) != 1")
	}
	if v, _ := Exp(One); v != EI9F23 || EI9F23.Raw() != 22802600<<9 {
		t.Error("exp(1) must be the I9F23 constant")
	}
	// The series stops at the x^31/31! term, so large arguments come out
	// low (exp(20) is about 4.81e8, not 4.85e8): compare with the same
	// truncated series in float64.
	series := func(x float64) float64 {
		y := math.Abs(x)
		r, term := 1+y, y
		for i := 2; i < 32; i++ {
			term = term * y / float64(i)
			r += term
		}
		if x < 0 {
			return 1 / r
		}
		return r
	}
	for _, x := range []float64{-20, -5, -0.5, 0.25, 0.5, 2, 5, 10, 20} {
		v, ok := Exp(MustFloat(x))
		if !ok {
			t.Fatalf("exp(%g) failed", x)
		}
		want := series(x)
		if math.Abs(v.Float()-want) > 1e-6*want+1e-8 {
			t.Errorf("exp(%g) = %.10g, want %.10g", x, v.Float(), want)
		}
		if math.Abs(x) <= 5 && math.Abs(v.Float()-math.Exp(x)) > 1e-6*math.Exp(x)+1e-8 {
			t.Errorf("exp(%g) = %.10g, far from %.10g", x, v.Float(), math.Exp(x))
		}
	}
	if ExpSafe(FromInt(100)) != ExpSafe(FromInt(20)) || ExpSafe(FromInt(-100)) != ExpSafe(FromInt(-20)) {
		t.Error("exp_safe must clamp to [-20, 20]")
	}
	if _, ok := Exp(FromInt(30)); ok {
		t.Error("exp(30) must overflow I32F32")
	}
	if ExpUnclamped(FromInt(30)) != 0 {
		t.Error("old safe_exp returns 0 on overflow")
	}
}

func TestLn(t *testing.T) {
	if Log2EI9F23.Raw() != 12102203<<9 {
		t.Fatal("log2(e) constant")
	}
	for _, x := range []float64{0.001, 0.1, 0.5, 1, 1.5, 2, 9, 100, 1e6} {
		v, ok := Ln(MustFloat(x))
		if !ok {
			t.Fatalf("ln(%g) failed", x)
		}
		if math.Abs(v.Float()-math.Log(x)) > 1e-6 {
			t.Errorf("ln(%g) = %.9g, want %.9g", x, v.Float(), math.Log(x))
		}
	}
	if v, _ := Log2(FromInt(8)); v != FromInt(3) {
		t.Errorf("log2(8) = %v", v.Float())
	}
	if _, ok := Ln(0); ok {
		t.Error("ln(0) must fail")
	}
	if SafeLn(FromInt(-1)) != 0 {
		t.Error("safe_ln of a negative number is 0")
	}
}

// The division-free U16Proportion equals the chain's definition,
// trunc((u << 32) / (65535 << 32)), for every u16.
func TestU16ProportionExhaustive(t *testing.T) {
	for u := 0; u <= math.MaxUint16; u++ {
		want := FromU16(uint16(u)).SafeDiv(FromU16(math.MaxUint16))
		if got := U16Proportion(uint16(u)); got != want {
			t.Fatalf("U16Proportion(%d) = %d, want %d", u, got, want)
		}
	}
}

// toU16ProportionRef is fixed_proportion_to_u16 written out: floor of the
// saturating floor-multiply by 65535, clamped to [0, 65535].
func toU16ProportionRef(x I32F32) uint16 {
	return uint16(max(0, min(math.MaxUint16, x.Mul(FromU16(math.MaxUint16)).Floor())))
}

func TestToU16ProportionFastPath(t *testing.T) {
	xs := []I32F32{0, 1, Half, One - 1, One, One + 1, 1<<47 - 1, 1 << 47, Max, -1, -One, Min}
	rng := rand.New(rand.NewPCG(9, 10))
	for k := 0; k < 100_000; k++ {
		xs = append(xs, I32F32(rng.Int64N(2*int64(One))), I32F32(rng.Int64()>>rng.IntN(64)))
	}
	for _, x := range xs {
		if got, want := ToU16Proportion(x), toU16ProportionRef(x); got != want {
			t.Fatalf("ToU16Proportion(%d) = %d, want %d", x, got, want)
		}
	}
}

// MulFast either declines or returns exactly Mul's product.
func TestMulFast(t *testing.T) {
	xs := []I32F32{0, 1, Half, One, One + 1, 1 << 40, 1<<47 - 1, Max, -1, -One, Min}
	rng := rand.New(rand.NewPCG(11, 12))
	for k := 0; k < 300; k++ {
		xs = append(xs, I32F32(rng.Int64()>>rng.IntN(64)), -I32F32(rng.Int64()>>rng.IntN(64)))
	}
	for _, a := range xs {
		for _, b := range xs {
			got, ok := a.MulFast(b)
			if !ok {
				if a >= 0 && b >= 0 && a.Mul(b) != Max {
					t.Fatalf("MulFast(%d, %d) declined a non-negative product that fits", a, b)
				}
				continue
			}
			if want := a.Mul(b); got != want {
				t.Fatalf("MulFast(%d, %d) = %d, want %d", a, b, got, want)
			}
		}
	}
}
