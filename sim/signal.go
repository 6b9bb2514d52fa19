package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Signal is a miner's true quality over epochs, what an honest validator
// observes. Value must be deterministic for a given epoch.
type Signal interface {
	Value(t int) float64
}

// Constant is a signal with the same value every epoch.
type Constant float64

// Value implements Signal.
func (c Constant) Value(int) float64 { return float64(c) }

// Piecewise is a piecewise-linear signal through Points ([epoch, value]
// pairs, increasing epochs), flat before the first and after the last point.
// The paper's miner A (seeds/000, eq. 33: rho for t < 1, rho + delta*t/3 for
// 1 <= t < 3, rho + delta from 3 on) is Points {{0, rho}, {3, rho + delta}} at
// integer epochs.
type Piecewise struct {
	Points [][2]float64
}

// Value implements Signal.
func (p Piecewise) Value(t int) float64 {
	x := float64(t)
	pts := p.Points
	if x <= pts[0][0] {
		return pts[0][1]
	}
	for k := 1; k < len(pts); k++ {
		if x <= pts[k][0] {
			x0, y0, x1, y1 := pts[k-1][0], pts[k-1][1], pts[k][0], pts[k][1]
			return y0 + (y1-y0)*(x-x0)/(x1-x0)
		}
	}
	return pts[len(pts)-1][1]
}

// Step is Before until epoch At and After from epoch At on.
type Step struct {
	Before, After float64
	At            int
}

// Value implements Signal.
func (s Step) Value(t int) float64 {
	if t < s.At {
		return s.Before
	}
	return s.After
}

// Noisy is Mean plus Gaussian noise of standard deviation Sigma, clipped at 0.
// The draw for epoch t depends only on (Seed, Stream, t), so runs are
// reproducible and independent of evaluation order.
type Noisy struct {
	Mean, Sigma float64
	Seed        uint64
	Stream      uint64
}

// Value implements Signal.
func (n Noisy) Value(t int) float64 {
	return math.Max(0, n.Mean+n.Sigma*normal(n.Seed, n.Stream, t))
}

// normal returns a standard normal draw determined by (seed, stream, t).
func normal(seed, stream uint64, t int) float64 {
	r := rand.New(rand.NewPCG(seed, stream^(uint64(t)*0x9e3779b97f4a7c15)))
	return r.NormFloat64()
}

// Stream identifiers keep miner and validator noise independent.
const (
	minerStream     = 1 << 40
	validatorStream = 2 << 40
)

func compileSignal(c checker, field string, s SignalSpec, seed uint64, j int) (Signal, error) {
	need := func(name string, present bool) error {
		if !present {
			return c.errf(field+"."+name, "required for signal type %q", s.Type)
		}
		return nil
	}
	forbid := func(allowed ...string) error {
		set := map[string]bool{}
		for _, a := range allowed {
			set[a] = true
		}
		present := map[string]bool{
			"value": s.Value != nil, "points": s.Points != nil, "before": s.Before != nil,
			"after": s.After != nil, "at": s.At != nil, "mean": s.Mean != nil, "sigma": s.Sigma != nil,
		}
		for _, k := range []string{"value", "points", "before", "after", "at", "mean", "sigma"} {
			if present[k] && !set[k] {
				return c.errf(field+"."+k, "not used by signal type %q", s.Type)
			}
		}
		return nil
	}
	switch s.Type {
	case "constant":
		if err := forbid("value"); err != nil {
			return nil, err
		}
		if err := need("value", s.Value != nil); err != nil {
			return nil, err
		}
		if err := c.nonNeg(field+".value", *s.Value); err != nil {
			return nil, err
		}
		return Constant(*s.Value), nil
	case "piecewise":
		if err := forbid("points"); err != nil {
			return nil, err
		}
		if len(s.Points) == 0 {
			return nil, c.errf(field+".points", "at least one [epoch, value] point is required")
		}
		for k, p := range s.Points {
			pf := fmt.Sprintf("%s.points[%d]", field, k)
			if !finite(p[0]) || p[0] < 0 {
				return nil, c.errf(pf, "epoch must be a finite non-negative number, got %v", p[0])
			}
			if err := c.nonNeg(pf, p[1]); err != nil {
				return nil, err
			}
			if k > 0 && p[0] <= s.Points[k-1][0] {
				return nil, c.errf(pf, "epochs must increase, got %v after %v", p[0], s.Points[k-1][0])
			}
		}
		return Piecewise{Points: append([][2]float64(nil), s.Points...)}, nil
	case "step":
		if err := forbid("before", "after", "at"); err != nil {
			return nil, err
		}
		for _, f := range []struct {
			n  string
			ok bool
		}{{"before", s.Before != nil}, {"after", s.After != nil}, {"at", s.At != nil}} {
			if err := need(f.n, f.ok); err != nil {
				return nil, err
			}
		}
		if err := c.nonNeg(field+".before", *s.Before); err != nil {
			return nil, err
		}
		if err := c.nonNeg(field+".after", *s.After); err != nil {
			return nil, err
		}
		if *s.At < 0 {
			return nil, c.errf(field+".at", "must be a non-negative epoch, got %d", *s.At)
		}
		return Step{Before: *s.Before, After: *s.After, At: *s.At}, nil
	case "noisy":
		if err := forbid("mean", "sigma"); err != nil {
			return nil, err
		}
		if err := need("mean", s.Mean != nil); err != nil {
			return nil, err
		}
		if err := need("sigma", s.Sigma != nil); err != nil {
			return nil, err
		}
		if err := c.nonNeg(field+".mean", *s.Mean); err != nil {
			return nil, err
		}
		if err := c.nonNeg(field+".sigma", *s.Sigma); err != nil {
			return nil, err
		}
		return Noisy{Mean: *s.Mean, Sigma: *s.Sigma, Seed: seed, Stream: minerStream + uint64(j)}, nil
	case "":
		return nil, c.errf(field+".type", "missing (want constant, piecewise, step or noisy)")
	default:
		return nil, c.errf(field+".type", "unknown signal type %q (want constant, piecewise, step or noisy)", s.Type)
	}
}
