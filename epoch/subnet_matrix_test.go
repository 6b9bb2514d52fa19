package epoch_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/subnet"
)

// TestSubnetEngineMatchesMatrixEngine checks every Yuma version and
// liquid-alpha mode of the float subnet engine against the matrix engine
// (epoch.Engine, compat chain) on a subnet where the state machine adds
// nothing: every uid permitted, active and registered long ago, dense
// positive weights (no self-weight), so that both engines see the same
// matrices. Six epochs, weights redrawn every second epoch, stake changed
// at epoch 3. Proportions and bonds agree within 1e-6 (relative for
// yuma2c's 2^64-scale bonds).
func TestSubnetEngineMatchesMatrixEngine(t *testing.T) {
	variants := []struct {
		yuma, la string
		beta     uint16
	}{
		{subnet.Yuma1, subnet.LiquidAlphaOff, 65535},
		{subnet.Yuma2, subnet.LiquidAlphaOff, 65535},
		{subnet.Yuma2, subnet.LiquidAlphaV1, 32767},
		{subnet.Yuma2, subnet.LiquidAlphaV1Paper, 65535},
		{subnet.Yuma2a, subnet.LiquidAlphaOff, 0},
		{subnet.Yuma2a, subnet.LiquidAlphaV1Paper, 65535},
		{subnet.Yuma2b, subnet.LiquidAlphaOff, 65535},
		{subnet.Yuma2b, subnet.LiquidAlphaV1, 32767},
		{subnet.Yuma2c, subnet.LiquidAlphaOff, 65535},
		{subnet.Yuma3, subnet.LiquidAlphaOff, 32767},
		{subnet.Yuma3, subnet.LiquidAlphaV2, 65535},
	}
	const n, epochs = 12, 6
	for _, v := range variants {
		t.Run(v.yuma+"-"+v.la, func(t *testing.T) {
			r := rand.New(rand.NewPCG(5, uint64(v.beta)))
			h := subnet.DefaultHyperparameters()
			h.Yuma, h.LiquidAlpha, h.BondsPenalty = v.yuma, v.la, v.beta
			h.CommitReveal, h.MaxAllowedValidators, h.Tempo, h.ActivityCutoff = false, n, 10, 1<<30
			h.BondsMovingAverage = 800000
			st := subnet.NewState(h)
			for i := 0; i < n; i++ {
				st.Neurons = append(st.Neurons, subnet.Neuron{Stake: 1 + r.Uint64N(1<<30), ValidatorPermit: true})
			}
			p := epoch.DefaultParams()
			p.Kappa, p.BondsPenalty, p.BondsMovingAverage = float64(h.Kappa)/65535, float64(v.beta)/65535, 0.8
			p.AlphaLow, p.AlphaHigh = float64(h.AlphaLow)/65535, float64(h.AlphaHigh)/65535
			p.AlphaSigmoidSteepness = float64(h.AlphaSigmoidSteepness) / 100
			me, err := epoch.New(epoch.Config{Yuma: epoch.YumaVersion(v.yuma), LiquidAlpha: epoch.LiquidAlphaMode(v.la), Params: p}, n, n)
			if err != nil {
				t.Fatal(err)
			}
			fe := epoch.NewSubnet()
			weights := make([]float64, n*n)
			worst := 0.0
			for ep := 0; ep < epochs; ep++ {
				block := uint64(100 + 10*ep)
				if ep%2 == 0 {
					for i := 0; i < n; i++ {
						var ws []subnet.WeightEntry
						for j := 0; j < n; j++ {
							x := 0
							if j != i {
								x = 1 + r.IntN(65535)
								ws = append(ws, subnet.WeightEntry{UID: uint16(j), Value: uint16(x)})
							}
							weights[i*n+j] = float64(x)
						}
						st.Neurons[i].Weights, st.Neurons[i].LastUpdate = ws, block-1
					}
				}
				if ep == 3 {
					st.Neurons[0].Stake *= 5
				}
				stake := make([]float64, n)
				for i := range stake {
					stake[i] = float64(st.Neurons[i].Stake)
				}
				out, err := st.Epoch(fe, block, 1e9)
				if err != nil {
					t.Fatal(err)
				}
				res, err := me.Step(epoch.Input{Stake: stake, Weights: weights})
				if err != nil {
					t.Fatal(err)
				}
				cmp := func(field string, got, want []float64, scale float64) {
					for k := range want {
						d := math.Abs(got[k]-want[k]) / scale
						worst = max(worst, d)
						if !(d <= 1e-6) {
							t.Fatalf("epoch %d %s[%d]: subnet engine %.9g, matrix engine %.9g", ep, field, k, got[k], want[k])
						}
					}
				}
				x := out.Exact
				cmp("consensus", x.Consensus, res.Consensus, 1)
				cmp("incentive", x.Incentive, res.Incentive, 1)
				cmp("dividends", x.Dividends, res.Dividends, 1)
				cmp("validator_trust", x.ValidatorTrust, res.ValidatorTrust, 1)
				scale := 1.0
				if v.yuma == subnet.Yuma2c {
					scale = math.Ldexp(1, 64)
				}
				for i := 0; i < n; i++ {
					cmp("bonds", x.Bonds[i], res.Bonds[i*n:(i+1)*n], scale)
				}
			}
			t.Logf("worst gap %.3g", worst)
		})
	}
}

// The float engine refuses liquid-alpha rules that have no meaning for the
// Yuma version, naming the field.
func TestSubnetEngineRefusals(t *testing.T) {
	for _, c := range []struct{ yuma, la, field string }{
		{subnet.Yuma3, subnet.LiquidAlphaV1, "liquid_alpha"},
		{subnet.Yuma2c, subnet.LiquidAlphaV1Paper, "liquid_alpha"},
		{"yuma9", subnet.LiquidAlphaOff, "yuma"},
		{subnet.Yuma2, "v9", "liquid_alpha"},
	} {
		h := subnet.DefaultHyperparameters()
		h.Yuma, h.LiquidAlpha = c.yuma, c.la
		st := subnet.NewState(h)
		st.Neurons = []subnet.Neuron{{Stake: 1}}
		_, err := epoch.NewSubnet().Epoch(st, 1, 1)
		var be *badinput.Error
		if !errors.As(err, &be) || be.Field != c.field {
			t.Errorf("%s/%s: got %v, want a bad-input error on %s", c.yuma, c.la, err, c.field)
		}
	}
	h := subnet.DefaultHyperparameters()
	if _, err := epoch.NewSubnet().Epoch(subnet.NewState(h), 1, 1); !badinput.Is(err) {
		t.Errorf("empty subnet: %v", err)
	}
}
