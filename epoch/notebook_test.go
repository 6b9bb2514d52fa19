package epoch

import (
	"math"
	"testing"
)

// paperCopierDividend runs the liquid-alpha paper's setting (seed paper
// section 4.1; peers-and-paper.md section 4.3): validators j, k, c with stake
// 1, 1, 98; miners A-D; k copies the consensus of five rounds earlier. It
// returns the copier's dividend share per round.
func paperCopierDividend(t *testing.T, rho, delta float64, liquid bool, rounds int) []float64 {
	t.Helper()
	p := DefaultParams()
	p.Kappa, p.BondsPenalty, p.BondsMovingAverage = 0.5, 1, 0.9
	p.AlphaLow, p.AlphaHigh = 0.1, 0.9
	cfg := Config{Yuma: Yuma2a, LiquidAlpha: LiquidAlphaOff, Compat: CompatNotebook, Params: p}
	if liquid {
		cfg.LiquidAlpha = LiquidAlphaV1Paper
	}
	e, err := New(cfg, 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	signal := func(tt int) []float64 {
		a := rho
		switch {
		case tt >= 3:
			a = rho + delta
		case tt >= 1:
			a = rho + delta*float64(tt)/3
		}
		return []float64{a, 0.5 - a, 0, 0.5}
	}
	var history [][]float64
	out := make([]float64, rounds)
	for tt := 0; tt < rounds; tt++ {
		v := signal(tt)
		k := signal(0)
		if tt >= 5 {
			k = history[tt-5]
		}
		w := append(append(append([]float64{}, v...), k...), v...)
		res, err := e.Step(Input{Stake: []float64{1, 1, 98}, Weights: w})
		if err != nil {
			t.Fatal(err)
		}
		history = append(history, append([]float64(nil), res.Consensus...))
		out[tt] = res.Dividends[1]
	}
	return out
}

// TestPaperHeadlineCopierDividend checks the paper's Figure 3 headline: at
// t = 5 with δ = 0.5 the copier's dividend share falls from 0.0071 (fixed
// alpha) to 0.0053 (liquid alpha); the reproduction gives 0.00712 and 0.00532.
func TestPaperHeadlineCopierDividend(t *testing.T) {
	fixed := paperCopierDividend(t, 0, 0.5, false, 20)
	liquid := paperCopierDividend(t, 0, 0.5, true, 20)
	if math.Abs(fixed[5]-0.00712) > 5e-5 || math.Abs(liquid[5]-0.00532) > 5e-5 {
		t.Fatalf("copier dividend at t=5: fixed %.5f (want 0.00712), liquid %.5f (want 0.00532)", fixed[5], liquid[5])
	}
	fixed1 := paperCopierDividend(t, 0, 0.1, false, 20)
	liquid1 := paperCopierDividend(t, 0, 0.1, true, 20)
	if math.Abs(fixed1[5]-0.00957) > 5e-5 || math.Abs(liquid1[5]-0.00901) > 5e-5 {
		t.Fatalf("delta 0.1 at t=5: fixed %.5f (want 0.00957), liquid %.5f (want 0.00901)", fixed1[5], liquid1[5])
	}
}
