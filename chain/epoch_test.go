package chain

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/yuma-go/yuma/subnet"
)

// randomState builds a random subnet: nv validators (with permits) weighing
// every uid, n uids in total.
func randomState(rng *rand.Rand, n, nv int, h subnet.Hyperparameters, sparseRows bool) *subnet.State {
	st := subnet.NewState(h)
	for i := 0; i < n; i++ {
		nr := subnet.Neuron{RegisteredAt: 0, LastUpdate: 1}
		if i < nv {
			nr.Stake = 1 + rng.Uint64N(1_000_000_000)
			nr.ValidatorPermit = true
			for j := 0; j < n; j++ {
				if sparseRows && rng.IntN(3) == 0 {
					continue
				}
				nr.Weights = append(nr.Weights, subnet.WeightEntry{UID: uint16(j), Value: uint16(rng.IntN(65536))})
			}
		}
		st.Neurons = append(st.Neurons, nr)
	}
	st.Block = 1
	return st
}

func runEpochs(t testing.TB, eng subnet.Engine, st *subnet.State, epochs int) []subnet.EpochOutput {
	t.Helper()
	var outs []subnet.EpochOutput
	for e := 0; e < epochs; e++ {
		out, err := st.Epoch(eng, st.Block+1, 1_000_000_000)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out)
	}
	return outs
}

func equalOutputs(t *testing.T, label string, a, b subnet.EpochOutput) {
	t.Helper()
	cmp := func(name string, x, y []float64) {
		for i := range x {
			if x[i] != y[i] {
				t.Fatalf("%s: %s[%d]: sparse %v, dense %v", label, name, i, x[i], y[i])
			}
		}
	}
	cmp("consensus", a.Consensus, b.Consensus)
	cmp("incentive", a.Incentive, b.Incentive)
	cmp("dividends", a.Dividends, b.Dividends)
	cmp("validator_trust", a.ValidatorTrust, b.ValidatorTrust)
	cmp("emission", a.Emission, b.Emission)
	for i := range a.Bonds {
		cmp("bonds row", a.Bonds[i], b.Bonds[i])
	}
}

// test_512_graph_random_weights style: the dense and sparse paths agree for
// original Yuma with beta in {0, 1/2, 1}, and for Yuma3 without liquid alpha.
func TestDenseEqualsSparse(t *testing.T) {
	n, nv := 128, 16
	if testing.Short() {
		n = 48
	}
	for _, yuma := range []string{subnet.Yuma2, subnet.Yuma3} {
		for _, beta := range []uint16{0, 32767, 65535} {
			h := subnet.DefaultHyperparameters()
			h.Yuma, h.BondsPenalty, h.CommitReveal, h.Tempo = yuma, beta, false, 1
			rng := rand.New(rand.NewPCG(uint64(beta), 7))
			st := randomState(rng, n, nv, h, true)
			sp := runEpochs(t, New(), st.Clone(), 3)
			de := runEpochs(t, NewDense(), st.Clone(), 3)
			for e := range sp {
				equalOutputs(t, yuma, sp[e], de[e])
			}
		}
	}
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// checkInvariants asserts the output ranges and sums every epoch must meet.
func checkInvariants(t testing.TB, out subnet.EpochOutput, n int, emission uint64) {
	t.Helper()
	for _, f := range [][]float64{out.Consensus, out.Incentive, out.Dividends, out.ValidatorTrust} {
		if len(f) != n {
			t.Fatalf("output length %d, want %d", len(f), n)
		}
		for _, v := range f {
			if v < 0 || v > 65535 || v != math.Trunc(v) {
				t.Fatalf("u16 output %v out of range", v)
			}
		}
	}
	for name, f := range map[string][]float64{"incentive": out.Incentive, "dividends": out.Dividends} {
		// each entry is floored, so the sum is 65535 minus at most one per uid
		if s := sum(f); s != 0 && (s > 65535 || s < 65535-float64(n)) {
			t.Fatalf("%s sums to %v, want 0 or 65535 - rounding", name, s)
		}
	}
	if s := sum(out.Emission); s > float64(emission) || s < float64(emission)-float64(n) {
		t.Fatalf("emission sums to %v of %d", s, emission)
	}
	for i, row := range out.Bonds {
		for j, v := range row {
			if v < 0 || v > 65535 || v != math.Trunc(v) {
				t.Fatalf("bond [%d][%d] = %v out of range", i, j, v)
			}
		}
	}
	ex := out.Exact
	if s := sum(ex.Incentive); s != 0 && math.Abs(s-1) > 1e-6 {
		t.Fatalf("exact incentive sums to %v", s)
	}
	if s := sum(ex.Dividends); s != 0 && math.Abs(s-1) > 1e-6 {
		t.Fatalf("exact dividends sums to %v", s)
	}
}

func TestEpochProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	modes := []struct{ yuma, la string }{
		{subnet.Yuma2, subnet.LiquidAlphaOff}, {subnet.Yuma2, subnet.LiquidAlphaV1},
		{subnet.Yuma3, subnet.LiquidAlphaOff}, {subnet.Yuma3, subnet.LiquidAlphaV2},
	}
	for it := 0; it < 60; it++ {
		m := modes[it%len(modes)]
		h := subnet.DefaultHyperparameters()
		h.Yuma, h.LiquidAlpha, h.CommitReveal, h.Tempo = m.yuma, m.la, false, 1
		h.BondsPenalty = uint16(rng.IntN(65536))
		h.Kappa = uint16(rng.IntN(65536))
		h.AlphaLow, h.AlphaHigh = 6553, 19660
		h.MaxAllowedValidators = uint16(1 + rng.IntN(8))
		n := 2 + rng.IntN(20)
		st := randomState(rng, n, 1+rng.IntN(n), h, true)
		for _, out := range runEpochs(t, New(), st, 4) {
			checkInvariants(t, out, n, 1_000_000_000)
		}
	}
}

// Permuting the uids permutes the outputs (distinct stakes, no owner, no
// liquid alpha v2 whose sparse walk depends on row order).
func TestPermutationEquivariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, yuma := range []string{subnet.Yuma2, subnet.Yuma3} {
		h := subnet.DefaultHyperparameters()
		h.Yuma, h.CommitReveal, h.Tempo, h.MaxAllowedValidators = yuma, false, 1, 4
		n := 12
		st := randomState(rng, n, 6, h, true)
		perm := rng.Perm(n)
		ps := subnet.NewState(h)
		ps.Block = st.Block
		ps.Neurons = make([]subnet.Neuron, n)
		for i, nr := range st.Neurons {
			c := nr
			c.Weights = nil
			for _, w := range nr.Weights {
				c.Weights = append(c.Weights, subnet.WeightEntry{UID: uint16(perm[w.UID]), Value: w.Value})
			}
			ps.Neurons[perm[i]] = c
		}
		a := runEpochs(t, New(), st, 3)
		b := runEpochs(t, New(), ps, 3)
		for e := range a {
			for i := 0; i < n; i++ {
				p := perm[i]
				if a[e].Incentive[i] != b[e].Incentive[p] || a[e].Dividends[i] != b[e].Dividends[p] ||
					a[e].Consensus[i] != b[e].Consensus[p] || a[e].Emission[i] != b[e].Emission[p] ||
					a[e].ValidatorPermit[i] != b[e].ValidatorPermit[p] {
					t.Fatalf("%s epoch %d uid %d (-> %d): outputs not permuted", yuma, e, i, p)
				}
				for j := 0; j < n; j++ {
					if a[e].Bonds[i][j] != b[e].Bonds[p][perm[j]] {
						t.Fatalf("%s epoch %d bond [%d][%d] not permuted", yuma, e, i, j)
					}
				}
			}
		}
	}
}

func TestOwnerExceptions(t *testing.T) {
	h := subnet.DefaultHyperparameters()
	h.Yuma, h.CommitReveal, h.Tempo, h.StakeThreshold = subnet.Yuma2, false, 1, 100
	owner := 0
	h.OwnerUID = &owner
	st := subnet.NewState(h)
	// The owner has stake below the threshold and no permit, and self-weights.
	st.Neurons = []subnet.Neuron{
		{Stake: 50, LastUpdate: 1, Weights: []subnet.WeightEntry{{UID: 0, Value: 65535}}},
		{Stake: 0, LastUpdate: 1},
	}
	st.Block = 1
	out, err := st.Epoch(New(), 2, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if !out.ValidatorPermit[0] || out.Consensus[0] != 65535 || out.Incentive[0] != 65535 {
		t.Fatalf("owner: permit %v consensus %v incentive %v", out.ValidatorPermit, out.Consensus, out.Incentive)
	}
	// The dense path has no owner exceptions: threshold applies, self-weight masked.
	st2 := subnet.NewState(h)
	st2.Neurons = []subnet.Neuron{
		{Stake: 50, LastUpdate: 1, Weights: []subnet.WeightEntry{{UID: 0, Value: 65535}}},
		{Stake: 0, LastUpdate: 1},
	}
	out, err = st2.Epoch(NewDense(), 2, 1_000_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if out.ValidatorPermit[0] || out.Consensus[0] != 0 {
		t.Fatalf("dense owner: permit %v consensus %v", out.ValidatorPermit, out.Consensus)
	}
}

// Liquid alpha v2's sparse walk reads out-of-order row entries as 0 (section
// 6a): an unsorted weight row gives different bonds from the same row sorted.
func TestLiquidAlphaV2RowOrderSensitivity(t *testing.T) {
	mk := func(order []int) subnet.EpochOutput {
		h := subnet.DefaultHyperparameters()
		h.Yuma, h.LiquidAlpha, h.CommitReveal, h.Tempo, h.BondsPenalty = subnet.Yuma3, subnet.LiquidAlphaV2, false, 1, 0
		h.AlphaLow, h.AlphaHigh = 6553, 19660
		st := subnet.NewState(h)
		vals := map[int]uint16{2: 65535, 3: 20000}
		var w []subnet.WeightEntry
		for _, j := range order {
			w = append(w, subnet.WeightEntry{UID: uint16(j), Value: vals[j]})
		}
		st.Neurons = []subnet.Neuron{
			{Stake: 1, LastUpdate: 1, ValidatorPermit: true, Weights: w},
			{Stake: 3, LastUpdate: 1, ValidatorPermit: true, Weights: []subnet.WeightEntry{{UID: 2, Value: 10000}, {UID: 3, Value: 65535}}},
			{LastUpdate: 1}, {LastUpdate: 1},
		}
		st.Block = 1
		out, err := st.Epoch(New(), 2, 1_000_000_000)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	sorted, unsorted := mk([]int{2, 3}), mk([]int{3, 2})
	if sorted.Bonds[0][3] == unsorted.Bonds[0][3] && sorted.Bonds[0][2] == unsorted.Bonds[0][2] {
		t.Fatalf("expected the unsorted row to change validator 0's bonds: %v vs %v", sorted.Bonds[0], unsorted.Bonds[0])
	}
}

// FuzzChainEpoch drives random subnets from fuzz bytes: no panic, outputs in
// range, sums 65535 - rounding or 0.
func FuzzChainEpoch(f *testing.F) {
	f.Add(uint64(1), uint8(5), uint8(2), uint16(32767), uint16(65535), uint8(0))
	f.Add(uint64(2), uint8(1), uint8(1), uint16(0), uint16(0), uint8(1))
	f.Add(uint64(3), uint8(30), uint8(30), uint16(65535), uint16(100), uint8(2))
	f.Add(uint64(4), uint8(9), uint8(3), uint16(1), uint16(40000), uint8(3))
	f.Fuzz(func(t *testing.T, seed uint64, n, nv uint8, kappa, beta uint16, mode uint8) {
		if n == 0 || n > 40 {
			return
		}
		if nv > n {
			nv = n
		}
		modes := []struct{ yuma, la string }{
			{subnet.Yuma2, subnet.LiquidAlphaOff}, {subnet.Yuma2, subnet.LiquidAlphaV1},
			{subnet.Yuma3, subnet.LiquidAlphaOff}, {subnet.Yuma3, subnet.LiquidAlphaV2},
		}
		m := modes[int(mode)%len(modes)]
		h := subnet.DefaultHyperparameters()
		h.Yuma, h.LiquidAlpha, h.CommitReveal, h.Tempo, h.Kappa, h.BondsPenalty = m.yuma, m.la, false, 1, kappa, beta
		rng := rand.New(rand.NewPCG(seed, uint64(mode)))
		h.AlphaLow = uint16(rng.IntN(65536))
		h.AlphaHigh = h.AlphaLow + uint16(rng.IntN(65536-int(h.AlphaLow)))
		h.AlphaSigmoidSteepness = int16(rng.IntN(65536) - 32768)
		h.MaxAllowedValidators = uint16(rng.IntN(int(n) + 2))
		st := randomState(rng, int(n), int(nv), h, seed%2 == 0)
		for e := 0; e < 3; e++ {
			out, err := st.Epoch(New(), st.Block+1, rng.Uint64N(1<<40))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range [][]float64{out.Incentive, out.Dividends} {
				if s := sum(f); s != 0 && (s > 65535 || s < 65535-float64(n)) {
					t.Fatalf("sum %v", s)
				}
			}
			for _, row := range out.Bonds {
				for _, v := range row {
					if v < 0 || v > 65535 {
						t.Fatalf("bond %v", v)
					}
				}
			}
		}
	})
}

// The bond registration mask (section 5): bonds on a miner registered at or
// after last_tempo are dropped; last_tempo = block - tempo, or
// LastStepBlock + 1 when the production storage is known.
func TestBondRegistrationMask(t *testing.T) {
	mk := func(lastStep uint64) subnet.EpochOutput {
		h := subnet.DefaultHyperparameters()
		h.Yuma, h.CommitReveal, h.Tempo = subnet.Yuma3, false, 10
		st := subnet.NewState(h)
		st.Neurons = []subnet.Neuron{
			{Stake: 1, LastUpdate: 1, ValidatorPermit: true, Bonds: []subnet.BondEntry{{UID: 1, Value: 30000}}},
			{RegisteredAt: 95, LastUpdate: 95},
		}
		st.Block = 100
		st.LastStepBlock = lastStep
		out, err := st.Epoch(New(), 100, 1_000_000_000)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// block - tempo = 90 <= 95: masked, the bond is gone (no weights to rebuild it).
	if b := mk(0).Bonds[0][1]; b != 0 {
		t.Fatalf("bond kept under the test anchor: %v", b)
	}
	// LastStepBlock 95 -> last_tempo 96 > 95: kept and decayed by alpha 0.1.
	if b := mk(95).Bonds[0][1]; b != 26999 {
		t.Fatalf("bond under the production anchor = %v, want floor(30000/65535*0.9*65535) = 26999", b)
	}
}
