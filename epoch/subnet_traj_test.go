package epoch_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/yuma-go/yuma/chain"
	"github.com/yuma-go/yuma/epoch"
)

// TestFloatVersusChainTrajectories runs random subnets for several epochs,
// each engine on its own copy of the state (the chain storing u16 bonds, the
// float engine its float bonds), and checks that the trajectories stay
// close: the only drift is the chain's u16 bond storage, so the bound is
// 5e-3 on every proportion and bond over four epochs (a u16 bond of a
// small column, renormalised, moves a dividend by up to about 1e-3).
func TestFloatVersusChainTrajectories(t *testing.T) {
	const bound, epochs = 5e-3, 4
	cases := 150
	if testing.Short() {
		cases = 40
	}
	r := rand.New(rand.NewPCG(7, 11))
	fe, ce := epoch.NewSubnet(), chain.New()
	worst, where := 0.0, ""
	for c := 0; c < cases; c++ {
		dc := randomSubnet(r)
		cs, fs := dc.chainState, dc.floatState
		for ep := 0; ep < epochs; ep++ {
			block := dc.block + uint64(ep)*uint64(cs.Hyper.Tempo)
			co, err := cs.Epoch(ce, block, 1e9)
			if err != nil {
				t.Fatalf("case %d: chain: %v", c, err)
			}
			fo, err := fs.Epoch(fe, block, 1e9)
			if err != nil {
				t.Fatalf("case %d: float: %v", c, err)
			}
			cmp := func(field string, want, got []float64) {
				for i := range want {
					d := math.Abs(want[i] - got[i])
					if d > worst || math.IsNaN(d) {
						worst, where = d, fmt.Sprintf("case %d (%s) epoch %d %s[%d]", c, dc.desc, ep, field, i)
					}
					if !(d <= bound) {
						t.Fatalf("case %d (%s) epoch %d: %s[%d] float %.9g, chain %.9g", c, dc.desc, ep, field, i, got[i], want[i])
					}
				}
			}
			cx, fx := co.Exact, fo.Exact
			cmp("consensus", cx.Consensus, fx.Consensus)
			cmp("incentive", cx.Incentive, fx.Incentive)
			cmp("dividends", cx.Dividends, fx.Dividends)
			cmp("validator_trust", cx.ValidatorTrust, fx.ValidatorTrust)
			for i := range cx.Bonds {
				cmp(fmt.Sprintf("bonds[%d]", i), cx.Bonds[i], fx.Bonds[i])
			}
		}
	}
	t.Logf("%d random subnets x %d epochs: worst gap %.3g at %s (bound %g)", cases, epochs, worst, where, bound)
}
