package epoch

import "math"

// expTable holds 2^(j/64) for j = 0..63.
var expTable = func() (t [64]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 64)
	}
	return t
}()

// expBounded returns e^z for z clamped to [-700, 700], within about one unit
// in the last place of math.Exp, without branches: z = (64n + j) ln2/64 + r
// with |r| ≤ ln2/128, e^z = 2^n · 2^(j/64) · e^r, and e^r from its degree-5
// Taylor polynomial (truncation error below 4e-17 relative). Liquid alpha v2
// calls it once per bond whose distance is not 0, where math.Exp's special
// cases cost more than the arithmetic. The clamp changes nothing that matters
// there: 1/(1 + e^z) is below 1e-304 beyond it.
func expBounded(z float64) float64 {
	const (
		invStep = 64 / math.Ln2
		stepHi  = 0x1.62e42ffp-7 // ln2/64 to 32 significant bits (exact in binary): kf·stepHi is exact for |k| < 2^21
		stepLo  = math.Ln2/64 - stepHi
		round   = 1.5 * (1 << 52) // adding and subtracting it rounds to an integer
	)
	z = max(-700, min(700, z))
	kf := (z*invStep + round) - round
	k := int64(kf)
	r := (z - kf*stepHi) - kf*stepLo
	q := r * (1 + r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120))))) // e^r − 1
	t := expTable[k&63]
	scale := math.Float64frombits(uint64((k>>6)+1023) << 52)
	return (t + t*q) * scale
}
