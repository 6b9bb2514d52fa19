package epoch_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/yuma-go/yuma/chain"
	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/subnet"
)

// diffCase is one random subnet in two encodings of the same state: the
// chain's (bonds as stored u16 values) and the float engine's (bonds as the
// float values those u16 encode).
type diffCase struct {
	desc         string
	chainState   *subnet.State
	floatState   *subnet.State
	block        uint64
	yuma, liquid string
}

// randomSubnet builds a seeded random subnet: n uids, permits from a
// previous epoch with max_allowed_validators possibly below n, zero and
// explicit-zero weights in random column order, stale weights (last update
// at or before a target's registration), inactive validators, fresh
// registrations (bond columns masked), commit-reveal masks, an owner, liquid
// alpha on or off, yuma2 or yuma3, and β in {0, ½, 1}.
func randomSubnet(r *rand.Rand) diffCase {
	n := 2 + r.IntN(63)
	h := subnet.DefaultHyperparameters()
	h.Tempo = 10
	h.ActivityCutoff = 50
	h.Kappa = []uint16{32767, 32767, 39321, 19660}[r.IntN(4)]
	h.BondsPenalty = []uint16{0, 32767, 65535}[r.IntN(3)]
	h.BondsMovingAverage = []uint64{900000, 975000, 500000}[r.IntN(3)]
	if r.IntN(2) == 0 {
		h.AlphaLow, h.AlphaHigh = 6553, 19660
	}
	h.AlphaSigmoidSteepness = []int16{1000, 300, 2000}[r.IntN(3)]
	h.MaxAllowedValidators = uint16(1 + r.IntN(n+3))
	h.CommitReveal = r.IntN(3) == 0
	if r.IntN(4) == 0 {
		o := r.IntN(n)
		h.OwnerUID = &o
	}
	if r.IntN(2) == 0 {
		h.Yuma = subnet.Yuma2
		h.LiquidAlpha = []string{subnet.LiquidAlphaOff, subnet.LiquidAlphaV1}[r.IntN(2)]
	} else {
		h.Yuma = subnet.Yuma3
		h.LiquidAlpha = []string{subnet.LiquidAlphaOff, subnet.LiquidAlphaV2}[r.IntN(2)]
	}
	const block = 1000
	// Blocks drawn from a small set so equalities (stale weights) happen.
	blocks := []uint64{0, 100, 500, 900, 940, 985, 990, 995, 1000}
	cs := subnet.NewState(h)
	fs := subnet.NewState(h)
	for i := 0; i < n; i++ {
		var nr subnet.Neuron
		switch r.IntN(5) {
		case 0:
			nr.Stake = 0
		case 1:
			nr.Stake = uint64(r.IntN(1000))
		default:
			nr.Stake = r.Uint64N(1 << 40)
		}
		nr.RegisteredAt = blocks[r.IntN(len(blocks)-1)]
		nr.LastUpdate = max(nr.RegisteredAt, blocks[r.IntN(len(blocks))])
		nr.ValidatorPermit = r.IntN(3) != 0
		cs.Neurons = append(cs.Neurons, nr)
	}
	fs.Neurons = make([]subnet.Neuron, n)
	copy(fs.Neurons, cs.Neurons)
	for i := 0; i < n; i++ {
		c, f := &cs.Neurons[i], &fs.Neurons[i]
		if r.IntN(6) != 0 {
			perm := r.Perm(n)
			k := r.IntN(n + 1)
			if r.IntN(2) == 0 {
				// ascending columns, as most validators send them
				perm = perm[:k]
				sortInts(perm)
			} else {
				perm = perm[:k]
			}
			var ws []subnet.WeightEntry
			for _, j := range perm {
				v := uint16(r.IntN(65536))
				if r.IntN(5) == 0 {
					v = 0 // explicit zero
				}
				ws = append(ws, subnet.WeightEntry{UID: uint16(j), Value: v})
			}
			c.Weights, f.Weights = ws, ws
		}
		if r.IntN(4) != 0 {
			perm := r.Perm(n)[:r.IntN(n+1)]
			if r.IntN(3) != 0 {
				sortInts(perm)
			}
			var cb, fb []subnet.BondEntry
			for _, j := range perm {
				u := uint16(1 + r.IntN(65535))
				cb = append(cb, subnet.BondEntry{UID: uint16(j), Value: float64(u)})
				fv := float64(u)
				if h.Yuma == subnet.Yuma3 {
					fv /= 65535 // Yuma3 stores proportions as u16
				}
				fb = append(fb, subnet.BondEntry{UID: uint16(j), Value: fv})
			}
			c.Bonds, f.Bonds = cb, fb
		}
		if h.CommitReveal && r.IntN(3) == 0 {
			cm := []subnet.Commit{{Block: blocks[r.IntN(len(blocks))], UIDs: []uint16{0}, Values: []uint16{1}}}
			c.Commits, f.Commits = cm, cm
		}
	}
	desc := fmt.Sprintf("n=%d %s la=%s beta=%d k=%d kappa=%d cr=%v owner=%v", n, h.Yuma, h.LiquidAlpha, h.BondsPenalty, h.MaxAllowedValidators, h.Kappa, h.CommitReveal, h.OwnerUID != nil)
	return diffCase{desc: desc, chainState: cs, floatState: fs, block: block, yuma: h.Yuma, liquid: h.LiquidAlpha}
}

func sortInts(x []int) {
	for i := 1; i < len(x); i++ {
		for k := i; k > 0 && x[k] < x[k-1]; k-- {
			x[k], x[k-1] = x[k-1], x[k]
		}
	}
}

// TestFloatVersusChainDifferential runs one epoch of the float subnet engine
// and of the chain engine from the same random state and compares the
// chain's exact (pre-u16) proportions with the float ones: consensus,
// incentive, dividends, validator trust, emission and the bond matrix stay
// within 1e-6, and permits and activity are equal. It logs the worst gap.
func TestFloatVersusChainDifferential(t *testing.T) {
	const bound = 1e-6
	cases := 400
	if testing.Short() {
		cases = 100
	}
	r := rand.New(rand.NewPCG(20261123, 3))
	fe, ce := epoch.NewSubnet(), chain.New()
	worst, worstWhere := 0.0, ""
	counts := map[string]int{}
	for c := 0; c < cases; c++ {
		dc := randomSubnet(r)
		counts[dc.yuma+"/"+dc.liquid]++
		co, err := ce.Epoch(dc.chainState, dc.block, 1e9)
		if err != nil {
			t.Fatalf("case %d (%s): chain: %v", c, dc.desc, err)
		}
		fo, err := fe.Epoch(dc.floatState, dc.block, 1e9)
		if err != nil {
			t.Fatalf("case %d (%s): float: %v", c, dc.desc, err)
		}
		cx, fx := co.Exact, fo.Exact
		cmp := func(field string, want, got []float64) {
			if len(want) != len(got) {
				t.Fatalf("case %d %s: %d values, want %d", c, field, len(got), len(want))
			}
			for i := range want {
				d := math.Abs(want[i] - got[i])
				if d > worst || math.IsNaN(d) {
					worst, worstWhere = d, fmt.Sprintf("case %d (%s) %s[%d]", c, dc.desc, field, i)
				}
				if !(d <= bound) {
					t.Errorf("case %d (%s): %s[%d] float %.9g, chain %.9g (gap %.3g)", c, dc.desc, field, i, got[i], want[i], d)
					return
				}
			}
		}
		cmp("consensus", cx.Consensus, fx.Consensus)
		cmp("incentive", cx.Incentive, fx.Incentive)
		cmp("dividends", cx.Dividends, fx.Dividends)
		cmp("validator_trust", cx.ValidatorTrust, fx.ValidatorTrust)
		cmp("emission", cx.Emission, fx.Emission)
		for i := range cx.Bonds {
			cmp(fmt.Sprintf("bonds[%d]", i), cx.Bonds[i], fx.Bonds[i])
		}
		for i := range co.ValidatorPermit {
			if co.ValidatorPermit[i] != fo.ValidatorPermit[i] || co.Active[i] != fo.Active[i] {
				t.Errorf("case %d (%s): uid %d permit/active float %v/%v, chain %v/%v", c, dc.desc, i, fo.ValidatorPermit[i], fo.Active[i], co.ValidatorPermit[i], co.Active[i])
			}
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	t.Logf("%d random subnets %v: worst gap %.3g at %s (bound %g)", cases, counts, worst, worstWhere, bound)
}
