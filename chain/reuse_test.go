package chain

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/yuma-go/yuma/subnet"
)

// TestEngineReuse checks that an engine reused across epochs and across
// subnets of different sizes and rules (so its scratch buffers hold other
// epochs' values) returns exactly what a fresh engine returns.
func TestEngineReuse(t *testing.T) {
	type cfg struct {
		yuma, la string
		beta     uint16
		sparse   bool
	}
	cfgs := []cfg{
		{subnet.Yuma2, subnet.LiquidAlphaOff, 65535, false},
		{subnet.Yuma2, subnet.LiquidAlphaV1, 32768, true},
		{subnet.Yuma2, subnet.LiquidAlphaOff, 0, true},
		{subnet.Yuma3, subnet.LiquidAlphaOff, 65535, true},
		{subnet.Yuma3, subnet.LiquidAlphaV2, 32768, false},
		{subnet.Yuma3, subnet.LiquidAlphaV2, 65535, true},
	}
	sizes := [][2]int{{5, 3}, {40, 12}, {17, 17}, {64, 8}}
	rng := rand.New(rand.NewPCG(7, 11))
	var states []*subnet.State
	for k, c := range cfgs {
		sz := sizes[k%len(sizes)]
		h := subnet.DefaultHyperparameters()
		h.Yuma, h.LiquidAlpha, h.BondsPenalty, h.CommitReveal, h.Tempo = c.yuma, c.la, c.beta, false, 1
		h.MaxAllowedValidators = uint16(sz[1])
		h.AlphaLow, h.AlphaHigh = 6553, 19660
		states = append(states, randomState(rng, sz[0], sz[1], h, c.sparse))
	}
	shared, sharedDense := New(), NewDense()
	for step := 0; step < 4; step++ {
		for k, st := range states {
			block := st.Block + 1
			for _, p := range []struct {
				name          string
				shared, fresh *Engine
			}{{"sparse", shared, New()}, {"dense", sharedDense, NewDense()}} {
				got, err := p.shared.Epoch(st, block, 1_000_000_000)
				if err != nil {
					t.Fatal(err)
				}
				want, err := p.fresh.Epoch(st, block, 1_000_000_000)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("step %d state %d (%s): reused engine differs from a fresh one", step, k, p.name)
				}
			}
			// Advance the state, and perturb its weights so epochs differ.
			if _, err := st.Epoch(New(), block, 1_000_000_000); err != nil {
				t.Fatal(err)
			}
			for i := range st.Neurons {
				for w := range st.Neurons[i].Weights {
					if rng.IntN(4) == 0 {
						st.Neurons[i].Weights[w].Value = uint16(rng.IntN(65536))
					}
				}
			}
		}
	}
}
