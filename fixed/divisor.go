package fixed

// Divisor divides many values by one positive divisor (a row or column sum
// or maximum in a normalisation) without a hardware division per value.
// Quo's quotients are exactly the truncated quotients of CheckedDiv, SafeDiv
// and SatDiv: a floating-point estimate of (a << 32) / d, off by at most one,
// is corrected with exact 128-bit integer arithmetic.
//
// Error bound: the estimate f = float64(a) * float64(2^32 / d) carries three
// roundings, so |f - t| <= 3.0000001 * 2^-53 * t for the exact quotient t.
// Quo only answers when f < 2^33 (then t < 2^33 + 1 and |f - t| < 2^-18), so
// q = floor(f) is within one of floor(t) and the remainder
// r = a*2^32 - q*d lies in [-d, 2d). With d < 2^62 that interval fits in an
// int64, so the low 64 bits of a*2^32 - q*d (plain wrapping arithmetic) are
// r exactly, and one comparison each way corrects q.
//
// The zero Divisor answers nothing (Quo always reports false).
type Divisor struct {
	d     uint64
	inv   float64 // 2^32 / d, rounded
	limit float64 // 2^33, or 0 when the Divisor is not usable
}

// NewDivisor returns a Divisor for d; ok is false unless 0 < d < 2^62, and
// then the returned (zero) Divisor declines every Quo, so callers divide
// with SafeDiv or SatDiv.
func NewDivisor(d I32F32) (Divisor, bool) {
	if d <= 0 || d >= 1<<62 {
		return Divisor{}, false
	}
	return Divisor{d: uint64(d), inv: (1 << FracBits) / float64(d), limit: 1 << 33}, true
}

// Quo returns trunc((a << 32) / d) and true when a >= 0 and the quotient is
// below about 2^33 (every proportion a <= d qualifies). Otherwise it returns
// false and the caller must divide with SafeDiv or SatDiv, which then also
// apply their overflow rules. It is small enough to be inlined.
func (v Divisor) Quo(a I32F32) (I32F32, bool) {
	f := float64(a) * v.inv
	q := uint64(f) // meaningless when not ok, and then not used
	r := int64(uint64(a)<<FracBits - q*v.d)
	if r < 0 {
		q-- // the estimate was one too high
	} else if r >= int64(v.d) {
		q++ // one too low
	}
	return I32F32(q), f < v.limit && a >= 0
}
