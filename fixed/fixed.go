// Package fixed implements the fixed-point arithmetic the Bittensor chain
// uses in its epoch (the substrate-fixed crate, tag v0.6.0) so that Go code
// can reproduce the chain bit for bit.
//
// I32F32 is a signed 64-bit number with 32 fraction bits. Its rules follow
// substrate-fixed (chain-epoch.md section 2): add and subtract are exact,
// multiply floors the double-width product (arithmetic shift), divide
// truncates toward zero, conversions to fewer fraction bits floor, f64 -> fixed
// rounds half to even, fixed -> int floors. I64F64 (stake normalisation) and
// I96F32 (emission products) are provided through the helpers the epoch needs.
package fixed

import (
	"math"
	"math/big"
	"math/bits"
)

// I32F32 is a substrate-fixed I32F32: the raw int64 value divided by 2^32.
type I32F32 int64

// FracBits is the number of fraction bits of I32F32.
const FracBits = 32

// Common I32F32 constants.
const (
	Zero I32F32 = 0
	One  I32F32 = 1 << FracBits
	Half I32F32 = 1 << (FracBits - 1)
	Max  I32F32 = math.MaxInt64
	Min  I32F32 = math.MinInt64
)

// FromInt converts an integer exactly, saturating at the type's range.
func FromInt(v int64) I32F32 {
	if v > math.MaxInt32 {
		return Max
	}
	if v < math.MinInt32 {
		return Min
	}
	return I32F32(v << FracBits)
}

// FromRaw returns the I32F32 with the given raw bits.
func FromRaw(raw int64) I32F32 { return I32F32(raw) }

// Raw returns the raw bits.
func (a I32F32) Raw() int64 { return int64(a) }

// FromFloat converts f (as substrate-fixed's from_num does) rounding to the
// nearest representable value, ties to even. ok is false for NaN or values
// out of range.
func FromFloat(f float64) (v I32F32, ok bool) {
	if math.IsNaN(f) {
		return 0, false
	}
	r := math.RoundToEven(f * (1 << FracBits))
	if r >= 9.223372036854775807e18 || r < -9.223372036854775808e18 {
		return 0, false
	}
	return I32F32(int64(r)), true
}

// MustFloat is FromFloat for constants known to be in range; it panics otherwise.
func MustFloat(f float64) I32F32 {
	v, ok := FromFloat(f)
	if !ok {
		panic("fixed: float out of I32F32 range")
	}
	return v
}

// FromFloat32 converts f to float32 first (as Rust test code passing f32
// literals does) and then to I32F32.
func FromFloat32(f float32) I32F32 { return MustFloat(float64(f)) }

// Float returns the exact value as float64 (rounded to 53 bits).
func (a I32F32) Float() float64 { return float64(a) / (1 << FracBits) }

// Floor returns the integer part rounded toward minus infinity.
func (a I32F32) Floor() int64 { return int64(a) >> FracBits }

// Round rounds to the nearest integer, ties away from zero (Rust's round()).
func (a I32F32) Round() I32F32 {
	if a >= 0 {
		return I32F32((int64(a) + int64(Half)) &^ (int64(One) - 1))
	}
	n := -int64(a)
	n = (n + int64(Half)) &^ (int64(One) - 1)
	return I32F32(-n)
}

// Add is exact addition (wrapping like Rust release builds; callers keep
// values in range).
func (a I32F32) Add(b I32F32) I32F32 { return a + b }

// Sub is exact subtraction.
func (a I32F32) Sub(b I32F32) I32F32 { return a - b }

// SatAdd adds, clamping to the type range.
func (a I32F32) SatAdd(b I32F32) I32F32 {
	s := a + b
	if (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0) {
		if a > 0 {
			return Max
		}
		return Min
	}
	return s
}

// SatSub subtracts, clamping to the type range.
func (a I32F32) SatSub(b I32F32) I32F32 {
	if b == Min {
		if a >= 0 {
			return Max
		}
		return a - b
	}
	return a.SatAdd(-b)
}

// mulRaw returns floor(a*b / 2^32) and whether it fits in int64.
func mulRaw(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	ua, ub := abs64(a), abs64(b)
	hi, lo := bits.Mul64(ua, ub)
	// magnitude >> 32
	q := hi<<32 | lo>>32
	over := hi>>32 != 0
	if neg {
		if lo&(1<<32-1) != 0 {
			q++ // floor of a negative number rounds the magnitude up
			if q == 0 {
				over = true
			}
		}
		if over || q > 1<<63 {
			return 0, false
		}
		return int64(-q), true // -(1<<63) wraps to MinInt64 correctly
	}
	if over || q > math.MaxInt64 {
		return 0, false
	}
	return int64(q), true
}

func abs64(a int64) uint64 {
	if a < 0 {
		return uint64(-a) // MinInt64 maps to 1<<63 as uint64
	}
	return uint64(a)
}

// CheckedMul multiplies with the floor rule; ok is false on overflow.
func (a I32F32) CheckedMul(b I32F32) (I32F32, bool) {
	r, ok := mulRaw(int64(a), int64(b))
	return I32F32(r), ok
}

// Mul multiplies with the floor rule, saturating on overflow (the chain's
// saturating_mul; plain * is only used where overflow cannot happen).
func (a I32F32) Mul(b I32F32) I32F32 {
	// Fast path, inlined: non-negative operands and no overflow.
	if hi, lo := bits.Mul64(uint64(a), uint64(b)); (uint64(a|b)>>63)|(hi>>31) == 0 {
		return I32F32(hi<<32 | lo>>32)
	}
	return a.mulSigned(b)
}

// MulFast is Mul's common case in a form small enough to inline in hot
// loops: for non-negative a and b whose product fits it returns Mul(a, b)
// and true; otherwise it returns false and the caller must use Mul.
func (a I32F32) MulFast(b I32F32) (I32F32, bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	return I32F32(hi<<32 | lo>>32), (uint64(a|b)>>63)|(hi>>31) == 0
}

func (a I32F32) mulSigned(b I32F32) I32F32 {
	r, ok := mulRaw(int64(a), int64(b))
	if !ok {
		if (a < 0) != (b < 0) {
			return Min
		}
		return Max
	}
	return I32F32(r)
}

// CheckedDiv divides, truncating toward zero: (a << 32) / b. ok is false on
// division by zero or overflow.
func (a I32F32) CheckedDiv(b I32F32) (I32F32, bool) {
	if b == 0 {
		return 0, false
	}
	neg := (a < 0) != (b < 0)
	ua, ub := abs64(int64(a)), abs64(int64(b))
	hi, lo := ua>>32, ua<<32
	if hi >= ub {
		return 0, false
	}
	q, _ := bits.Div64(hi, lo, ub)
	if neg {
		if q > 1<<63 {
			return 0, false
		}
		return I32F32(-int64(q)), true
	}
	if q > math.MaxInt64 {
		return 0, false
	}
	return I32F32(q), true
}

// SafeDiv is the chain's safe_div: the truncated quotient, or 0 when the
// division fails (b == 0 or overflow).
func (a I32F32) SafeDiv(b I32F32) I32F32 {
	if a >= 0 && b > 0 { // fast path: non-negative quotient
		if hi := uint64(a) >> 32; hi < uint64(b) {
			q, _ := bits.Div64(hi, uint64(a)<<32, uint64(b))
			if q <= math.MaxInt64 {
				return I32F32(q)
			}
		}
		return 0
	}
	q, ok := a.CheckedDiv(b)
	if !ok {
		return 0
	}
	return q
}

// SatDiv divides and clamps on overflow; division by zero gives 0.
func (a I32F32) SatDiv(b I32F32) I32F32 {
	if a >= 0 && b > 0 { // fast path: non-negative quotient
		if hi := uint64(a) >> 32; hi < uint64(b) {
			q, _ := bits.Div64(hi, uint64(a)<<32, uint64(b))
			if q <= math.MaxInt64 {
				return I32F32(q)
			}
		}
		return Max
	}
	if b == 0 {
		return 0
	}
	q, ok := a.CheckedDiv(b)
	if !ok {
		if (a < 0) != (b < 0) {
			return Min
		}
		return Max
	}
	return q
}

// Min returns the smaller of a and b.
func (a I32F32) Min(b I32F32) I32F32 {
	if b < a {
		return b
	}
	return a
}

// Max returns the larger of a and b.
func (a I32F32) Max(b I32F32) I32F32 {
	if b > a {
		return b
	}
	return a
}

// FromU16 reads a raw u16 as an integer-valued I32F32 (the chain's u16_to_fixed).
func FromU16(u uint16) I32F32 { return I32F32(int64(u) << FracBits) }

// U16Proportion is the chain's u16_proportion_to_fixed: trunc(u / 65535).
func U16Proportion(u uint16) I32F32 {
	// floor(u * 2^32 / 65535) without a division: 2^32 = 65535*65537 + 1, so
	// u*2^32 = 65535*(u*65537) + u and the quotient is u*65537 + floor(u/65535).
	q := I32F32(u) * 65537
	if u == math.MaxUint16 {
		q++
	}
	return q
}

// ToU16Proportion is the chain's fixed_proportion_to_u16:
// floor(floor_mul(x, 65535)), saturating to [0, 65535].
func ToU16Proportion(x I32F32) uint16 {
	if uint64(x) < 1<<47 {
		// 0 <= x < 2^47: x * (65535 << 32) >> 32 = 65535x exactly (no
		// overflow, no bits dropped), and its floor is 65535x >> 32.
		return uint16(min(uint64(x)*math.MaxUint16>>FracBits, math.MaxUint16))
	}
	return toU16ProportionSlow(x)
}

func toU16ProportionSlow(x I32F32) uint16 {
	v := x.Mul(FromU16(math.MaxUint16)).Floor()
	if v < 0 {
		return 0
	}
	if v > math.MaxUint16 {
		return math.MaxUint16
	}
	return uint16(v)
}

// ToU16Saturating floors x to an integer and saturates it to [0, 65535].
func ToU16Saturating(x I32F32) uint16 {
	v := x.Floor()
	if v < 0 {
		return 0
	}
	if v > math.MaxUint16 {
		return math.MaxUint16
	}
	return uint16(v)
}

// I96F32MulU64 returns floor(I96F32(x) * I96F32(n)) as u64, saturating:
// the chain's emission product (x a non-negative proportion, n rao).
func I96F32MulU64(x I32F32, n uint64) uint64 {
	if x <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(x), n)
	if hi>>32 != 0 {
		return math.MaxUint64
	}
	return hi<<32 | lo>>32
}

// I64F64RatioToI32F32 returns I32F32(I64F64(a) / I64F64(b)) for integers
// 0 <= a <= b: the I64F64 quotient is truncated to 64 fraction bits and then
// floored to 32, which equals floor(a*2^32/b). b == 0 returns 0 (with
// inplace_normalize_64 leaving a zero vector unchanged).
func I64F64RatioToI32F32(a, b uint64) I32F32 {
	if b == 0 {
		return 0
	}
	hi, lo := a>>32, a<<32
	if hi >= b {
		return Max
	}
	q, _ := bits.Div64(hi, lo, b)
	if q > math.MaxInt64 {
		return Max
	}
	return I32F32(q)
}

// PPMComplement returns 1 - I32F32(I64F64(ppm) / 10^6): the chain's bonds
// moving-average alpha (compute_ema_bonds_normal / compute_disabled_liquid_alpha).
// The I64F64 quotient floored to 32 fraction bits is floor(ppm*2^32/10^6).
func PPMComplement(ppm uint64) I32F32 {
	hi, lo := bits.Mul64(ppm, 1<<32)
	if hi >= 1_000_000 {
		// ppm/1e6 >= 2^32 cannot fit; the chain would saturate.
		return Min
	}
	q, _ := bits.Div64(hi, lo, 1_000_000)
	if q > math.MaxInt64 {
		return Min
	}
	return One.SatSub(I32F32(q))
}

// I64F64 is a substrate-fixed I64F64 (128-bit raw, 64 fraction bits),
// restricted to the non-negative values the epoch's stake normalisation uses.
type I64F64 struct {
	hi, lo uint64 // raw = hi*2^64 + lo
}

// I64F64FromInt converts a non-negative integer exactly.
func I64F64FromInt(v uint64) I64F64 { return I64F64{hi: v} }

// Div divides with truncation: (a << 64) / b. Division by zero, or a
// quotient that does not fit, returns the zero value (the chain's safe_div
// gives 0 when checked_div fails). It uses math/big: the epoch's hot path
// uses I64F64RatioToI32F32 instead, which is proven equal in the tests.
func (a I64F64) Div(b I64F64) I64F64 {
	bb := b.big()
	if bb.Sign() == 0 {
		return I64F64{}
	}
	q := new(big.Int).Lsh(a.big(), 64)
	q.Quo(q, bb)
	if q.BitLen() > 127 {
		return I64F64{}
	}
	lo := new(big.Int).And(q, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	hi := new(big.Int).Rsh(q, 64).Uint64()
	return I64F64{hi: hi, lo: lo}
}

func (a I64F64) big() *big.Int {
	v := new(big.Int).SetUint64(a.hi)
	v.Lsh(v, 64)
	return v.Or(v, new(big.Int).SetUint64(a.lo))
}

// ToI32F32 drops the low 32 fraction bits (floor), saturating.
func (a I64F64) ToI32F32() I32F32 {
	if a.hi>>31 != 0 {
		return Max
	}
	return I32F32(a.hi<<32 | a.lo>>32)
}

// Float returns the value as float64.
func (a I64F64) Float() float64 {
	return float64(a.hi) + float64(a.lo)/(1<<64)
}
