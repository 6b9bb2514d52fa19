package diagnose

import (
	"math"
	"sort"

	"github.com/yuma-go/yuma/epoch"
)

// oracle is a small, independent float Yuma 2 (bonds penalty 1) with liquid
// alpha off or in the notebooks' v1 semantics, used to test the diagnostic
// without depending on the production engine.
type oracle struct {
	cfg  epoch.Config
	v, m int
	b    []float64
	res  epoch.Result
}

func newOracle(cfg epoch.Config, v, m int) (epoch.Stepper, error) {
	return &oracle{cfg: cfg, v: v, m: m, b: make([]float64, v*m)}, nil
}

func normalize(x []float64) {
	s := 0.0
	for _, v := range x {
		s += v
	}
	if s > 0 {
		for i := range x {
			x[i] /= s
		}
	}
}

func colNormalize(b []float64, v, m int) {
	for j := 0; j < m; j++ {
		s := 0.0
		for i := 0; i < v; i++ {
			s += b[i*m+j]
		}
		if s > 0 {
			for i := 0; i < v; i++ {
				b[i*m+j] /= s
			}
		}
	}
}

func quantile(c []float64, q float64) float64 {
	s := append([]float64(nil), c...)
	sort.Float64s(s)
	pos := q * float64(len(s)-1)
	lo, hi := math.Floor(pos), math.Ceil(pos)
	return s[int(lo)] + (s[int(hi)]-s[int(lo)])*(pos-lo)
}

func (o *oracle) Step(in epoch.Input) (epoch.Result, error) {
	v, m := o.v, o.m
	s := append([]float64(nil), in.Stake...)
	normalize(s)
	w := append([]float64(nil), in.Weights...)
	for i := 0; i < v; i++ {
		normalize(w[i*m : (i+1)*m])
	}
	c := make([]float64, m)
	kappa := o.cfg.Params.Kappa
	type ws struct{ w, s float64 }
	col := make([]ws, 0, v)
	for j := 0; j < m; j++ {
		col = col[:0]
		for i := 0; i < v; i++ {
			if s[i] > 0 {
				col = append(col, ws{w[i*m+j], s[i]})
			}
		}
		sort.Slice(col, func(a, b int) bool { return col[a].w > col[b].w })
		sum := 0.0
		for _, x := range col {
			sum += x.s
			if sum >= kappa {
				c[j] = x.w
				break
			}
		}
	}
	clip := make([]float64, v*m)
	inc := make([]float64, m)
	for i := 0; i < v; i++ {
		for j := 0; j < m; j++ {
			clip[i*m+j] = math.Min(w[i*m+j], c[j])
			inc[j] += s[i] * clip[i*m+j]
		}
	}
	normalize(inc)
	for _, j := range in.ResetBonds {
		for i := 0; i < v; i++ {
			o.b[i*m+j] = 0
		}
	}
	colNormalize(o.b, v, m)
	delta := make([]float64, v*m)
	for i := 0; i < v; i++ {
		for j := 0; j < m; j++ {
			delta[i*m+j] = s[i] * clip[i*m+j]
		}
	}
	colNormalize(delta, v, m)
	alpha := make([]float64, m)
	for j := range alpha {
		alpha[j] = 1 - o.cfg.Params.BondsMovingAverage
	}
	if o.cfg.LiquidAlpha == epoch.LiquidAlphaV1Paper {
		lo, hi := o.cfg.Params.AlphaLow, o.cfg.Params.AlphaHigh
		ch, cl := quantile(c, 0.75), quantile(c, 0.25)
		if ch == cl {
			ch = quantile(c, 0.99)
		}
		if ch > cl {
			a := (math.Log(1/hi-1) - math.Log(1/lo-1)) / (cl - ch)
			b := math.Log(1/lo-1) + a*cl
			for j := range alpha {
				x := 1 / (1 + math.Exp(-a*c[j]+b))
				alpha[j] = 1 - math.Min(hi, math.Max(lo, x))
			}
		}
	}
	for i := 0; i < v; i++ {
		for j := 0; j < m; j++ {
			o.b[i*m+j] = alpha[j]*delta[i*m+j] + (1-alpha[j])*o.b[i*m+j]
		}
	}
	colNormalize(o.b, v, m)
	d := make([]float64, v)
	for i := 0; i < v; i++ {
		for j := 0; j < m; j++ {
			d[i] += o.b[i*m+j] * inc[j]
		}
	}
	normalize(d)
	o.res = epoch.Result{Consensus: c, Incentive: inc, Dividends: d, Bonds: o.b}
	return o.res, nil
}
