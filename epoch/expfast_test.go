package epoch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulps returns how many float64 steps apart a and b are (both positive).
func ulps(a, b float64) int64 {
	d := int64(math.Float64bits(a)) - int64(math.Float64bits(b))
	if d < 0 {
		d = -d
	}
	return d
}

func TestExpBoundedMatchesMathExp(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var worst int64
	check := func(z float64) {
		got, want := expBounded(z), math.Exp(z)
		if u := ulps(got, want); u > worst {
			worst = u
			if u > 2 {
				t.Errorf("expBounded(%v) = %v, math.Exp = %v (%d ulps apart)", z, got, want, u)
			}
		}
	}
	for _, z := range []float64{0, 1, -1, 0.5, -0.5, 5, -5, 20, -20, math.Ln2, 700, -700, 1e-300, -1e-17} {
		check(z)
	}
	for range 200000 {
		check(r.Float64()*40 - 20) // the chain's clamped range
	}
	for range 200000 {
		check(r.Float64()*1400 - 700)
	}
	t.Logf("worst distance from math.Exp: %d ulp", worst)
	if got := expBounded(0); got != 1 {
		t.Errorf("expBounded(0) = %v, want 1", got)
	}
}

func FuzzExpBounded(f *testing.F) {
	f.Add(0.0)
	f.Add(-20.0)
	f.Add(709.0)
	f.Fuzz(func(t *testing.T, z float64) {
		if !(math.Abs(z) <= 700) {
			return // outside the documented domain (callers clamp)
		}
		got := expBounded(z)
		want := math.Exp(z)
		if ulps(got, want) > 2 {
			t.Fatalf("expBounded(%v) = %v, want %v", z, got, want)
		}
	})
}
