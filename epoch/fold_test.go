package epoch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestLiquidAlphaV2FoldedMatchesRows checks that Yuma3 with liquid alpha v2
// folded into the bond update (emaRelativeRow, with its sell-only fast loop)
// gives bit for bit what the rates computed row by row and then applied give,
// over random subnets, every weight/consensus choice, β ∈ {0, ½, 1} and both
// compat modes.
func TestLiquidAlphaV2FoldedMatchesRows(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, compat := range []Compat{CompatChain, CompatYumaSimulation} {
		for _, effective := range []bool{true, false} {
			for _, cons := range []ConsensusSource{ConsensusCurrent, ConsensusPrevious, ConsensusMixed} {
				for _, beta := range []float64{0, 0.5, 1} {
					name := fmt.Sprintf("%s/effective=%v/%s/beta=%v", compat, effective, cons, beta)
					cfg := Config{Yuma: Yuma3, LiquidAlpha: LiquidAlphaV2, Compat: compat, Params: DefaultParams()}
					cfg.Params.LiquidAlphaEffectiveWeights = effective
					cfg.Params.LiquidAlphaConsensus = cons
					cfg.Params.BondsPenalty = beta
					cfg.Params.AlphaSigmoidSteepness = []float64{10, 1000, -3}[r.IntN(3)]
					v, m := 3+r.IntN(12), 2+r.IntN(20)
					folded, err := New(cfg, v, m)
					if err != nil {
						t.Fatal(err)
					}
					rows := folded.Clone()
					rows.unfolded = true
					for epoch := range 12 {
						in := randomInput(r, v, m)
						if epoch%4 == 3 {
							in.Weights = append([]float64(nil), in.Weights...)
						}
						a, err1 := folded.Step(in)
						b, err2 := rows.Step(in)
						if err1 != nil || err2 != nil {
							t.Fatalf("%s: %v %v", name, err1, err2)
						}
						for k := range a.Bonds {
							if math.Float64bits(a.Bonds[k]) != math.Float64bits(b.Bonds[k]) {
								t.Fatalf("%s epoch %d bond %d: folded %v, by rows %v", name, epoch, k, a.Bonds[k], b.Bonds[k])
							}
						}
						for i := range a.Dividends {
							if math.Float64bits(a.Dividends[i]) != math.Float64bits(b.Dividends[i]) {
								t.Fatalf("%s epoch %d dividend %d: folded %v, by rows %v", name, epoch, i, a.Dividends[i], b.Dividends[i])
							}
						}
					}
				}
			}
		}
	}
}
