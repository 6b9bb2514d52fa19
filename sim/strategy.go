package sim

import (
	"fmt"
	"math"
)

// Strategy decides one validator's weights each epoch. Implementations are
// immutable values: all per-run state lives in the History, so one compiled
// scenario can run any number of variants.
type Strategy interface {
	// Weights writes the validator's weights for epoch t into dst (one entry
	// per miner, any non-negative values; the engine normalises rows). It may
	// read the signal of any epoch up to t, the consensus of epochs before t,
	// and the weights other validators submitted before t (or at t, for the
	// lag-0 copy target, which the driver evaluates first).
	Weights(h *History, t int, dst []float64)
}

// History is what strategies may observe during a run.
type History struct {
	validators, miners int
	signal             []float64 // epochs x miners
	weights            []float64 // epochs x validators x miners, row-normalised
	consensus          []float64 // epochs x miners
}

// Miners returns the number of miners.
func (h *History) Miners() int { return h.miners }

// Signal returns the miners' true signal at epoch t (read only).
func (h *History) Signal(t int) []float64 { return h.signal[t*h.miners : (t+1)*h.miners] }

// Consensus returns the consensus computed at epoch t (read only; t must be an
// epoch that has already run).
func (h *History) Consensus(t int) []float64 { return h.consensus[t*h.miners : (t+1)*h.miners] }

// Weights returns the weights validator v submitted at epoch t, normalised
// to sum 1 (a zero row stays zero; read only).
func (h *History) Weights(v, t int) []float64 {
	off := (t*h.validators + v) * h.miners
	return h.weights[off : off+h.miners]
}

// fallback writes initial when given, else the epoch-0 signal: what a copier
// reports before it has anything to copy.
func fallback(h *History, initial, dst []float64) {
	if initial != nil {
		copy(dst, initial)
		return
	}
	copy(dst, h.Signal(0))
}

func compileWeights(c checker, field string, w []float64, miners int) ([]float64, error) {
	if len(w) != miners {
		return nil, c.errf(field, "has %d entries, want one per miner (%d)", len(w), miners)
	}
	for j, x := range w {
		if !finite(x) || x < 0 || x > MaxValue {
			return nil, c.errf(fmt.Sprintf("%s[%d]", field, j), "weight must be a finite number in [0, %g], got %v", MaxValue, x)
		}
	}
	return append([]float64(nil), w...), nil
}

// compileStrategy builds validator i's strategy. dep is the validator a
// lag-0 copier reads in the same epoch, or -1.
func compileStrategy(c checker, field string, s StrategySpec, i, miners int, seed uint64, valIdx map[string]int) (Strategy, int, error) {
	used := map[string]bool{
		"schedule": s.Schedule != nil, "sigma": s.Sigma != nil, "pick": s.Pick != "", "lag": s.Lag != nil,
		"target": s.Target != "", "initial": s.Initial != nil, "delay": s.Delay != nil,
	}
	allow := func(names ...string) error {
		ok := map[string]bool{}
		for _, n := range names {
			ok[n] = true
		}
		for _, k := range []string{"schedule", "sigma", "pick", "lag", "target", "initial", "delay"} {
			if used[k] && !ok[k] {
				return c.errf(field+"."+k, "not used by strategy type %q", s.Type)
			}
		}
		return nil
	}
	var initial []float64
	if s.Initial != nil {
		var err error
		if initial, err = compileWeights(c, field+".initial", s.Initial, miners); err != nil {
			return nil, -1, err
		}
	}
	switch s.Type {
	case "fixed":
		if err := allow("schedule"); err != nil {
			return nil, -1, err
		}
		st, err := compileFixed(c, field+".schedule", s.Schedule, miners)
		return st, -1, err
	case "honest":
		if err := allow(); err != nil {
			return nil, -1, err
		}
		return Honest{}, -1, nil
	case "noisy":
		if err := allow("sigma", "pick"); err != nil {
			return nil, -1, err
		}
		if s.Sigma == nil {
			return nil, -1, c.errf(field+".sigma", "required for strategy type noisy")
		}
		if err := c.nonNeg(field+".sigma", *s.Sigma); err != nil {
			return nil, -1, err
		}
		n := NoisyHonest{Sigma: *s.Sigma, Seed: seed, Stream: validatorStream + uint64(i)}
		switch s.Pick {
		case "", "proportional":
		case "argmax":
			n.Argmax = true
		default:
			return nil, -1, c.errf(field+".pick", "must be proportional or argmax, got %q", s.Pick)
		}
		return n, -1, nil
	case "consensus_copier":
		if err := allow("lag", "initial"); err != nil {
			return nil, -1, err
		}
		if s.Lag == nil || *s.Lag < 1 {
			got := "missing"
			if s.Lag != nil {
				got = fmt.Sprint(*s.Lag)
			}
			return nil, -1, c.errf(field+".lag", "must be at least 1 (the consensus of the current epoch is not known yet), got %s", got)
		}
		return ConsensusCopier{Lag: *s.Lag, Initial: initial}, -1, nil
	case "copy":
		if err := allow("lag", "target", "initial"); err != nil {
			return nil, -1, err
		}
		if s.Target == "" {
			return nil, -1, c.errf(field+".target", "required for strategy type copy (a validator name)")
		}
		tgt, ok := valIdx[s.Target]
		if !ok {
			return nil, -1, c.errf(field+".target", "unknown validator %q", s.Target)
		}
		if tgt == i {
			return nil, -1, c.errf(field+".target", "a validator cannot copy itself")
		}
		lag := 0
		if s.Lag != nil {
			lag = *s.Lag
		}
		if lag < 0 {
			return nil, -1, c.errf(field+".lag", "must be non-negative, got %d", lag)
		}
		dep := -1
		if lag == 0 {
			dep = tgt
		}
		return Copier{Target: tgt, Lag: lag, Initial: initial}, dep, nil
	case "late_mover":
		if err := allow("delay"); err != nil {
			return nil, -1, err
		}
		if s.Delay == nil || *s.Delay < 0 {
			got := "missing"
			if s.Delay != nil {
				got = fmt.Sprint(*s.Delay)
			}
			return nil, -1, c.errf(field+".delay", "must be a non-negative number of epochs, got %s", got)
		}
		return LateMover{Delay: *s.Delay}, -1, nil
	case "":
		return nil, -1, c.errf(field+".type", "missing (want fixed, honest, noisy, consensus_copier, copy or late_mover)")
	default:
		return nil, -1, c.errf(field+".type", "unknown strategy type %q (want fixed, honest, noisy, consensus_copier, copy or late_mover)", s.Type)
	}
}

// argmaxOneHot replaces dst by a one-hot vector on its largest entry (the
// lowest index among ties); an all-zero vector stays zero.
func argmaxOneHot(dst []float64) {
	best, bi := math.Inf(-1), -1
	for j, x := range dst {
		if x > best {
			best, bi = x, j
		}
	}
	for j := range dst {
		dst[j] = 0
	}
	if bi >= 0 && best > 0 {
		dst[bi] = 1
	}
}
