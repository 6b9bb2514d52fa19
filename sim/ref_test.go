package sim

import (
	"math"
	"sort"

	"github.com/yuma-go/yuma/epoch"
)

// refYuma3 is a deliberately plain, test-only Yuma3 epoch (chain-epoch.md
// sections 4, 5b and 6a, dense form) with liquid alpha v2 or a fixed alpha.
// It lets the catalogue and the driver be checked against the chain's golden
// dividends independently of package epoch's optimised engine.
type refYuma3 struct {
	v, m  int
	p     epoch.Params
	la    bool
	bonds []float64
}

func (r *refYuma3) Step(in epoch.Input) (epoch.Result, error) {
	v, m, p := r.v, r.m, r.p
	s := make([]float64, v)
	tot := 0.0
	for _, x := range in.Stake {
		tot += x
	}
	for i := range s {
		s[i] = in.Stake[i] / tot
	}
	w := make([]float64, v*m)
	for i := 0; i < v; i++ {
		sum := 0.0
		for j := 0; j < m; j++ {
			sum += in.Weights[i*m+j]
		}
		for j := 0; j < m && sum > 0; j++ {
			w[i*m+j] = in.Weights[i*m+j] / sum
		}
	}
	for _, j := range in.ResetBonds {
		for i := 0; i < v; i++ {
			r.bonds[i*m+j] = 0
		}
	}
	// Consensus: the largest w with stake(W >= w) >= kappa.
	c := make([]float64, m)
	for j := 0; j < m; j++ {
		idx := make([]int, v)
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return w[idx[a]*m+j] > w[idx[b]*m+j] })
		cum := 0.0
		for _, i := range idx {
			cum += s[i]
			if cum >= p.Kappa {
				c[j] = w[i*m+j]
				break
			}
		}
	}
	res := epoch.Result{Consensus: c, Incentive: make([]float64, m), Dividends: make([]float64, v),
		ValidatorTrust: make([]float64, v), Bonds: make([]float64, v*m)}
	wb := make([]float64, v*m)
	rank := make([]float64, m)
	for i := 0; i < v; i++ {
		for j := 0; j < m; j++ {
			clip := math.Min(w[i*m+j], c[j])
			rank[j] += s[i] * clip
			res.ValidatorTrust[i] += clip
			wb[i*m+j] = (1-p.BondsPenalty)*w[i*m+j] + p.BondsPenalty*clip
		}
	}
	rs := 0.0
	for _, x := range rank {
		rs += x
	}
	for j := range rank {
		if rs > 0 {
			res.Incentive[j] = rank[j] / rs
		}
	}
	anyC := false
	for _, x := range c {
		anyC = anyC || x != 0
	}
	for k := range wb {
		alpha := 1 - p.BondsMovingAverage
		if r.la && anyC {
			wk, bk, ck := wb[k], r.bonds[k], c[k%m]
			d := math.Max(0, math.Min(1, bk-wk))
			if wk >= bk {
				d = math.Max(0, math.Min(1, wk-ck))
			}
			sig := 1 / (1 + math.Exp(-p.AlphaSigmoidSteepness*(d-0.5)))
			alpha = math.Max(p.AlphaLow, math.Min(p.AlphaHigh, p.AlphaLow+sig*(p.AlphaHigh-p.AlphaLow)))
		}
		r.bonds[k] = math.Min(1, (1-alpha)*r.bonds[k]+alpha*wb[k])
	}
	copy(res.Bonds, r.bonds)
	colSum := make([]float64, m)
	for k, b := range r.bonds {
		colSum[k%m] += b
	}
	dt := 0.0
	for i := 0; i < v; i++ {
		for j := 0; j < m; j++ {
			if colSum[j] > 0 {
				res.Dividends[i] += r.bonds[i*m+j] / colSum[j] * res.Incentive[j]
			}
		}
		res.Dividends[i] *= s[i]
		dt += res.Dividends[i]
	}
	for i := range res.Dividends {
		if dt > 0 {
			res.Dividends[i] /= dt
		}
	}
	return res, nil
}

func refFactory(cfg epoch.Config, v, m int) (epoch.Stepper, error) {
	return &refYuma3{v: v, m: m, p: cfg.Params, la: cfg.LiquidAlpha == epoch.LiquidAlphaV2, bonds: make([]float64, v*m)}, nil
}
