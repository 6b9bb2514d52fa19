package paper

import (
	"math"
	"sort"

	"github.com/yuma-go/yuma/epoch"
)

// oracle is an independent, deliberately plain re-implementation of the 2024
// notebooks' Yuma2 with liquid alpha v1 in its "1 - clip" semantics
// (peers-and-paper.md section 3.2 step 5). The tests run the reproduction on it
// and compare it with the epoch package's notebook mode.
type oracle struct {
	cfg  epoch.Config
	v, m int
	b    []float64 // bonds, nil before the first epoch
	res  epoch.Result
}

func newOracle(cfg epoch.Config, v, m int) (epoch.Stepper, error) {
	return &oracle{cfg: cfg, v: v, m: m}, nil
}

func (o *oracle) Step(in epoch.Input) (epoch.Result, error) {
	V, M := o.v, o.m
	p := o.cfg.Params
	w := make([]float64, V*M)
	for i := range V {
		s := 0.0
		for j := range M {
			s += in.Weights[i*M+j]
		}
		for j := range M {
			if s > 0 {
				w[i*M+j] = in.Weights[i*M+j] / s
			}
		}
	}
	st := make([]float64, V)
	tot := 0.0
	for _, x := range in.Stake {
		tot += x
	}
	for i := range V {
		st[i] = in.Stake[i] / tot
	}
	// Consensus: the largest c with stake(W >= c) >= kappa, per column.
	c := make([]float64, M)
	for j := range M {
		best := 0.0
		for i := range V {
			cand := w[i*M+j]
			sum := 0.0
			for k := range V {
				if w[k*M+j] >= cand {
					sum += st[k]
				}
			}
			if sum >= p.Kappa && cand > best {
				best = cand
			}
		}
		c[j] = best
	}
	// Notebook: consensus normalised to sum 1 then truncated to u16.
	cs := 0.0
	for _, x := range c {
		cs += x
	}
	for j := range c {
		if cs > 0 {
			c[j] = math.Floor(c[j]/cs*65535) / 65535
		}
	}
	clip := make([]float64, V*M)
	inc := make([]float64, M)
	for i := range V {
		for j := range M {
			clip[i*M+j] = math.Min(w[i*M+j], c[j])
			inc[j] += st[i] * clip[i*M+j]
		}
	}
	is := 0.0
	for _, x := range inc {
		is += x
	}
	for j := range inc {
		if is > 0 {
			inc[j] /= is
		}
	}
	delta := make([]float64, V*M)
	for j := range M {
		s := 0.0
		for i := range V {
			s += st[i] * clip[i*M+j]
		}
		for i := range V {
			if s > 0 {
				delta[i*M+j] = st[i] * clip[i*M+j] / s
			}
		}
	}
	rate := make([]float64, M) // weight of the new bond
	for j := range rate {
		rate[j] = 1 - p.BondsMovingAverage
	}
	if o.cfg.LiquidAlpha == epoch.LiquidAlphaV1Paper {
		hi, lo := quantile(c, 0.75), quantile(c, 0.25)
		if hi == lo {
			hi = quantile(c, 0.99)
		}
		a := (math.Log(1/p.AlphaHigh-1) - math.Log(1/p.AlphaLow-1)) / (lo - hi)
		b := math.Log(1/p.AlphaLow-1) + a*lo
		for j := range M {
			alpha := 1 / (1 + math.Exp(-a*c[j]+b))
			rate[j] = 1 - math.Min(math.Max(alpha, p.AlphaLow), p.AlphaHigh)
		}
	}
	if o.b == nil {
		o.b = delta
	} else {
		for i := range V {
			for j := range M {
				o.b[i*M+j] = rate[j]*delta[i*M+j] + (1-rate[j])*o.b[i*M+j]
			}
		}
	}
	div := make([]float64, V)
	ds := 0.0
	for i := range V {
		for j := range M {
			div[i] += o.b[i*M+j] * inc[j]
		}
		ds += div[i]
	}
	for i := range div {
		if ds > 0 {
			div[i] /= ds
		}
	}
	o.res = epoch.Result{Consensus: c, Incentive: inc, Dividends: div, Bonds: o.b}
	return o.res, nil
}

// quantile is numpy's default (linear interpolation) quantile.
func quantile(x []float64, q float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(s)-1)
	return s[lo] + (pos-float64(lo))*(s[hi]-s[lo])
}
