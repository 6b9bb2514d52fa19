package fixed

import "math/bits"

// The low-precision constants substrate-fixed's transcendental functions use:
// I9F23 values floor(c * 2^23) / 2^23, widened to I32F32.
const (
	// EI9F23 is e as an I9F23 constant (floor(e*2^23) = 22802600).
	EI9F23 I32F32 = 22802600 << 9
	// Log2EI9F23 is log2(e) as an I9F23 constant (floor(log2(e)*2^23) = 12102203).
	Log2EI9F23 I32F32 = 12102203 << 9
)

// Exp is substrate-fixed's transcendental::exp for I32F32: exp(0) = 1,
// exp(1) = the I9F23 constant e, otherwise the Taylor series
// 1 + y + sum_{i=2..31} term_i with term_i = trunc(floor(term_{i-1}*y)/i) for
// y = |x|, and 1/result for negative x. ok is false on overflow.
func Exp(x I32F32) (I32F32, bool) {
	if x == 0 {
		return One, true
	}
	if x == One {
		return EI9F23, true
	}
	neg := x < 0
	y := x
	if neg {
		if x == Min {
			return 0, false
		}
		y = -x
	}
	result, ok := checkedAdd(y, One)
	if !ok {
		return 0, false
	}
	term := y
	for i := int64(2); i < FracBits; i++ {
		if term == 0 {
			break // every later term is 0 as well: floor(0*y)/i = 0
		}
		// floor(term*y) for non-negative operands, inlined: overflow when the
		// shifted product needs more than 63 bits.
		hi, lo := bits.Mul64(uint64(term), uint64(y))
		if hi>>31 != 0 {
			return 0, false
		}
		term = I32F32(hi<<32 | lo>>32)
		// term / I32F32(i) = (term_raw << 32) / (i << 32) = trunc(term_raw / i);
		// term >= 0 here.
		term = divSmall(term, i)
		result, ok = checkedAdd(result, term)
		if !ok {
			return 0, false
		}
	}
	if neg {
		return One.CheckedDiv(result)
	}
	return result, true
}

func checkedAdd(a, b I32F32) (I32F32, bool) {
	s := a + b
	if (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0) {
		return 0, false
	}
	return s, true
}

// ExpSafe is the chain's exp_safe (math.rs): the input is clamped to
// [-20, 20]; on overflow it returns 0 for x <= 0 and Max otherwise.
func ExpSafe(x I32F32) I32F32 {
	lo, hi := FromInt(-20), FromInt(20)
	if x < lo {
		x = lo
	}
	if x > hi {
		x = hi
	}
	r, ok := Exp(x)
	if !ok {
		if x <= 0 {
			return 0
		}
		return Max
	}
	return r
}

// ExpUnclamped is the pre-2025-12 safe_exp: Exp with 0 returned on overflow
// (used by liquid alpha v1).
func ExpUnclamped(x I32F32) I32F32 {
	r, ok := Exp(x)
	if !ok {
		return 0
	}
	return r
}

// rs is the rounding right shift substrate-fixed's log2 uses: (x>>1) + (x&1).
func rs(x I32F32) I32F32 { return (x >> 1) + (x & 1) }

// log2Inner computes log2(x) for x >= 1 by repeated squaring: the integer
// part by halving (with rounding shifts) until x < 2, then one fraction bit
// per squaring.
func log2Inner(x I32F32) I32F32 {
	two := FromInt(2)
	var result I32F32
	for x >= two {
		x = rs(x)
		result += One
	}
	bit := Half
	for i := 0; i < FracBits; i++ {
		x = x.Mul(x)
		if x >= two {
			x = rs(x)
			result += bit
		}
		bit >>= 1
		if bit == 0 {
			break
		}
	}
	return result
}

// Log2 is substrate-fixed's log2 for I32F32; ok is false for x <= 0.
func Log2(x I32F32) (I32F32, bool) {
	if x <= 0 {
		return 0, false
	}
	if x < One {
		inv, ok := One.CheckedDiv(x)
		if !ok {
			return 0, false
		}
		return -log2Inner(inv), true
	}
	return log2Inner(x), true
}

// Ln is substrate-fixed's ln: log2(x) divided by the I9F23 constant log2(e).
func Ln(x I32F32) (I32F32, bool) {
	l, ok := Log2(x)
	if !ok {
		return 0, false
	}
	return l.CheckedDiv(Log2EI9F23)
}

// SafeLn is the chain's safe_ln: Ln, or 0 on error.
func SafeLn(x I32F32) I32F32 {
	r, ok := Ln(x)
	if !ok {
		return 0
	}
	return r
}

// divSmall divides by a constant in 2..31 so the compiler can replace the
// division with a multiplication (same truncated result).
func divSmall(t I32F32, i int64) I32F32 {
	switch i {
	case 2:
		return t / 2
	case 3:
		return t / 3
	case 4:
		return t / 4
	case 5:
		return t / 5
	case 6:
		return t / 6
	case 7:
		return t / 7
	case 8:
		return t / 8
	case 9:
		return t / 9
	case 10:
		return t / 10
	case 11:
		return t / 11
	case 12:
		return t / 12
	case 13:
		return t / 13
	case 14:
		return t / 14
	case 15:
		return t / 15
	case 16:
		return t / 16
	case 17:
		return t / 17
	case 18:
		return t / 18
	case 19:
		return t / 19
	case 20:
		return t / 20
	case 21:
		return t / 21
	case 22:
		return t / 22
	case 23:
		return t / 23
	case 24:
		return t / 24
	case 25:
		return t / 25
	case 26:
		return t / 26
	case 27:
		return t / 27
	case 28:
		return t / 28
	case 29:
		return t / 29
	case 30:
		return t / 30
	case 31:
		return t / 31
	}
	return t / I32F32(i)
}
