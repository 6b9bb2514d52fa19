package fixed

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// checkDivisor compares Divisor.Quo with CheckedDiv for one (a, d).
func checkDivisor(t *testing.T, a, d I32F32) {
	t.Helper()
	v, ok := NewDivisor(d)
	if !ok {
		if d > 0 && d < 1<<62 {
			t.Fatalf("NewDivisor(%d) refused a divisor in (0, 2^62)", d)
		}
		if _, qok := v.Quo(a); qok {
			t.Fatalf("the Divisor NewDivisor(%d) refused answered Quo(%d)", d, a)
		}
		return
	}
	got, gok := v.Quo(a)
	want, wok := a.CheckedDiv(d)
	if gok && (!wok || got != want) {
		t.Fatalf("Quo(%d / %d) = %d, want %d (ok %v)", a, d, got, want, wok)
	}
	// The fast path must cover every quotient of a part by its whole.
	if !gok && a >= 0 && a <= d {
		t.Fatalf("Quo(%d / %d) refused a proportion", a, d)
	}
}

func TestDivisorMatchesDivision(t *testing.T) {
	edges := []I32F32{0, 1, 2, 3, 65535, 1 << 31, One - 1, One, One + 1, 3 * One, 1 << 47, 1<<52 - 1, 1 << 52,
		1<<62 - 1, 1<<62 + 12345, Max - 1, Max, -1, -One, Min, 1<<33 - 1, 1 << 33, 1<<33 + 1, 1 << 40}
	for _, a := range edges {
		for _, d := range edges {
			checkDivisor(t, a, d)
			checkDivisor(t, a+1, d)
			checkDivisor(t, a-1, d)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 300_000; k++ {
		d := I32F32(rng.Int64N(math.MaxInt64>>rng.IntN(63)) + 1)
		var a I32F32
		switch k % 4 {
		case 0: // a part of d
			a = I32F32(rng.Int64N(int64(d) + 1))
		case 1: // any magnitude
			a = I32F32(rng.Int64N(math.MaxInt64 >> rng.IntN(63)))
		case 2: // a*2^32 just below or at a multiple of d (quotient boundaries)
			q := uint64(rng.Int64N(1 << 33))
			hi, lo := bitsMul(q, uint64(d))
			if hi>>32 == 0 && lo&(1<<32-1) == 0 {
				a = I32F32(hi<<32 | lo>>32)
			}
		default: // small parts of large sums and the reverse
			a = I32F32(rng.Int64N(1 << 20))
		}
		checkDivisor(t, a, d)
		checkDivisor(t, a+1, d)
		if a > 0 {
			checkDivisor(t, a-1, d)
		}
	}
}

func bitsMul(a, b uint64) (uint64, uint64) { return bits.Mul64(a, b) }

func FuzzDivisor(f *testing.F) {
	f.Add(int64(1), int64(3))
	f.Add(int64(One), int64(One))
	f.Add(int64(Max), int64(Max))
	f.Add(int64(12345678901), int64(98765432109))
	f.Fuzz(func(t *testing.T, a, d int64) {
		checkDivisor(t, I32F32(a), I32F32(d))
	})
}

func BenchmarkDivide(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := make([]I32F32, 4096)
	var sum I32F32
	for i := range xs {
		xs[i] = I32F32(rng.Int64N(1 << 40))
		sum += xs[i]
	}
	b.Run("SatDiv", func(b *testing.B) {
		b.ReportAllocs()
		var s I32F32
		for i := 0; i < b.N; i++ {
			for _, x := range xs {
				s += x.SatDiv(sum)
			}
		}
		_ = s
	})
	b.Run("Divisor", func(b *testing.B) {
		b.ReportAllocs()
		v, _ := NewDivisor(sum)
		var s I32F32
		for i := 0; i < b.N; i++ {
			for _, x := range xs {
				q, ok := v.Quo(x)
				if !ok {
					q = x.SatDiv(sum)
				}
				s += q
			}
		}
		_ = s
	})
}
