package sim

import (
	"math"
	"slices"
	"strconv"
)

// Floats is a float64 slice whose JSON form writes NaN and infinities as
// null (encoding/json rejects them).
type Floats []float64

// MarshalJSON implements json.Marshaler.
func (f Floats) MarshalJSON() ([]byte, error) {
	if f == nil {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 2+len(f)*8)
	b = append(b, '[')
	for i, x := range f {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b = append(b, "null"...)
			continue
		}
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	return append(b, ']'), nil
}

// Summary condenses one variant's run into the figures a researcher compares
// across variants. Per-validator slices follow Result.Validators, per-miner
// slices follow Result.Miners.
type Summary struct {
	// TotalDividends is the sum over epochs of each validator's dividend share.
	TotalDividends Floats `json:"total_dividends"`
	// MeanDividendPerStake is the mean over epochs (with positive stake) of
	// dividend share / stake share; 1 means paid exactly pro rata.
	MeanDividendPerStake Floats `json:"mean_dividend_per_stake"`
	// MeanRelativeDividend is the mean over epochs of dividend share - stake
	// share (yuma-simulation's "relative dividend").
	MeanRelativeDividend Floats `json:"mean_relative_dividend"`
	// RelativeDividendRate is the weight-copying paper's G for each validator:
	// the mean over epochs of (D/S)_i / median over the other staked validators
	// of (D/S), counting epochs where both are defined. Below 1, the validator
	// earns less per unit of stake than the typical other validator.
	RelativeDividendRate Floats `json:"relative_dividend_rate"`
	// TotalStake is the sum over epochs of each validator's stake share, the
	// pro-rata benchmark for TotalDividends.
	TotalStake Floats `json:"total_stake"`
	// FinalDividends are the last epoch's dividend shares.
	FinalDividends Floats `json:"final_dividends"`
	// MeanValidatorTrust is the mean over epochs of validator trust.
	MeanValidatorTrust Floats `json:"mean_validator_trust"`
	// MeanIncentive is the mean over epochs of each miner's incentive share.
	MeanIncentive Floats `json:"mean_incentive"`
	// FinalIncentive and FinalConsensus are the last epoch's values.
	FinalIncentive Floats `json:"final_incentive"`
	FinalConsensus Floats `json:"final_consensus"`
	// FinalBonds is the last epoch's bond matrix, validators x miners.
	FinalBonds []Floats `json:"final_bonds"`
	// ZeroConsensusEpochs lists epochs where no miner reached consensus (every
	// consensus value is 0), e.g. when every validator backs a different miner.
	ZeroConsensusEpochs []int `json:"zero_consensus_epochs"`
	// Warnings are the engine's notes about degenerate epochs (for example an
	// all-zero consensus under compat yuma-simulation, where the Python
	// simulator's result is undefined).
	Warnings []string `json:"warnings"`
}

func summarise(res *Result, rr *RunResult) Summary {
	nv, nm, ne := len(res.Validators), len(res.Miners), res.Epochs
	s := Summary{
		TotalDividends:       make(Floats, nv),
		MeanDividendPerStake: make(Floats, nv),
		MeanRelativeDividend: make(Floats, nv),
		RelativeDividendRate: relativeRate(res, rr),
		TotalStake:           make(Floats, nv),
		FinalDividends:       append(Floats(nil), rr.Dividends[(ne-1)*nv:]...),
		MeanValidatorTrust:   make(Floats, nv),
		MeanIncentive:        make(Floats, nm),
		FinalIncentive:       append(Floats(nil), rr.Incentive[(ne-1)*nm:]...),
		FinalConsensus:       append(Floats(nil), rr.Consensus[(ne-1)*nm:]...),
		FinalBonds:           make([]Floats, nv),
		ZeroConsensusEpochs:  []int{},
		Warnings:             []string{},
	}
	for i := 0; i < nv; i++ {
		count := 0
		for t := 0; t < ne; t++ {
			d, st := rr.Dividends[t*nv+i], res.Stake[t*nv+i]
			s.TotalDividends[i] += d
			s.TotalStake[i] += st
			s.MeanRelativeDividend[i] += (d - st) / float64(ne)
			s.MeanValidatorTrust[i] += rr.ValidatorTrust[t*nv+i] / float64(ne)
			if st > 0 {
				s.MeanDividendPerStake[i] += d / st
				count++
			}
		}
		if count > 0 {
			s.MeanDividendPerStake[i] /= float64(count)
		} else {
			s.MeanDividendPerStake[i] = math.NaN()
		}
		off := ((ne-1)*nv + i) * nm
		s.FinalBonds[i] = append(Floats(nil), rr.Bonds[off:off+nm]...)
	}
	for t := 0; t < ne; t++ {
		zero := true
		for j := 0; j < nm; j++ {
			s.MeanIncentive[j] += rr.Incentive[t*nm+j] / float64(ne)
			if rr.Consensus[t*nm+j] != 0 {
				zero = false
			}
		}
		if zero {
			s.ZeroConsensusEpochs = append(s.ZeroConsensusEpochs, t)
		}
	}
	return s
}

// relativeRate computes Summary.RelativeDividendRate.
func relativeRate(res *Result, rr *RunResult) Floats {
	nv, ne := len(res.Validators), res.Epochs
	out := make(Floats, nv)
	others := make([]float64, 0, nv)
	for i := 0; i < nv; i++ {
		sum, n := 0.0, 0
		for t := 0; t < ne; t++ {
			if res.Stake[t*nv+i] <= 0 {
				continue
			}
			others = others[:0]
			for k := 0; k < nv; k++ {
				if k != i && res.Stake[t*nv+k] > 0 {
					others = append(others, rr.DividendPerStake[t*nv+k])
				}
			}
			if len(others) == 0 {
				continue
			}
			if med := median(others); med > 0 {
				sum += rr.DividendPerStake[t*nv+i] / med
				n++
			}
		}
		out[i] = math.NaN()
		if n > 0 {
			out[i] = sum / float64(n)
		}
	}
	return out
}

// median sorts x in place and returns its median.
func median(x []float64) float64 {
	slices.Sort(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}
