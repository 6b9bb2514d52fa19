package epoch

import "math"

// expTable holds 2^(j/256) for j = 0..255.
var expTable = func() (t [256]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 256)
	}
	return t
}()

// expBounded returns e^z for |z| ≤ 700 (callers clamp), within two units in
// the last place of math.Exp, without branches: z = (256n + j) ln2/256 + r
// with |r| ≤ ln2/512, e^z = 2^n · 2^(j/256) · e^r, and e^r − 1 from its
// degree-4 Taylor polynomial (truncation error below 4e-17 relative). Liquid
// alpha v2 calls it once per bond whose distance is not 0, where math.Exp's
// special cases cost more than the arithmetic; it is small enough to inline.
func expBounded(z float64) float64 {
	const (
		invStep = 256 / math.Ln2
		stepHi  = 0x1.62e42ffp-9 // ln2/256 to 32 significant bits (exact in binary): kf·stepHi is exact for |k| < 2^21
		stepLo  = math.Ln2/256 - stepHi
		round   = 1.5 * (1 << 52) // adding and subtracting it rounds to an integer
	)
	kf := (z*invStep + round) - round
	r := (z - kf*stepHi) - kf*stepLo
	k := int64(kf)
	t := expTable[k&255]
	return (t + t*(r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24)))))) * math.Float64frombits(uint64((k>>8)+1023)<<52)
}
