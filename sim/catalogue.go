package sim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CaseEpochs is the length of every synthetic case (yuma-simulation's 40).
const CaseEpochs = 40

// CaseParams returns the parameters of the built-in cases: those of the chain's
// Yuma3 golden tests (chain-epoch.md section 13.I): kappa 0.5, bonds penalty 0,
// bonds moving average 0.975, alpha 0.1 / 0.3, sigmoid steepness 10 (1000 /
// 100), effective weights into liquid alpha v2, current consensus, decay rate
// and capacity alpha 0.1 (yuma-simulation's defaults for yuma2c).
func CaseParams() ParamSpec {
	f := func(x float64) *float64 { return &x }
	eff, cur := "effective", "current"
	wta := false
	return ParamSpec{
		Kappa: f(0.5), BondsPenalty: f(0), BondsMovingAverage: f(0.975),
		AlphaLow: f(0.1), AlphaHigh: f(0.3), AlphaSigmoidSteepness: f(10),
		LiquidAlphaWeights: &eff, LiquidAlphaConsensus: &cur, WinnerTakesAll: &wta,
		DecayRate: f(0.1), CapacityAlpha: f(0.1),
	}
}

// caseDef is one catalogue entry before it is turned into a Scenario.
type caseDef struct {
	num     int
	title   string // yuma-simulation's case name
	slug    string
	build   func() *Scenario
	resets  []BondReset // yuma-simulation's optional reset (applied with WithResets)
	aliases []string
}

// oneHotCase builds a two- or more-server case where every validator puts all
// weight on one server per epoch: pick(t)[i] is validator i's server.
func oneHotCase(names []string, stakes []float64, servers int, pick func(t int) []int) *Scenario {
	sc := &Scenario{Epochs: CaseEpochs, Params: CaseParams()}
	for j := 0; j < servers; j++ {
		sc.Miners = append(sc.Miners, MinerSpec{Name: fmt.Sprintf("S%d", j+1), Signal: SignalSpec{Type: "constant", Value: ptr(1.0)}})
	}
	for i, n := range names {
		sc.Validators = append(sc.Validators, ValidatorSpec{
			Name: n, Stake: ptr(stakes[i]),
			Strategy: StrategySpec{Type: "fixed", Schedule: schedule(CaseEpochs, func(t int) []float64 {
				w := make([]float64, servers)
				w[pick(t)[i]] = 1
				return w
			})},
		})
	}
	return sc
}

// rowCase builds a case from explicit weight rows: rows(t)[i] is validator i's
// row at epoch t.
func rowCase(names []string, stakes []float64, servers int, rows func(t int) [][]float64) *Scenario {
	sc := &Scenario{Epochs: CaseEpochs, Params: CaseParams()}
	for j := 0; j < servers; j++ {
		sc.Miners = append(sc.Miners, MinerSpec{Name: fmt.Sprintf("S%d", j+1), Signal: SignalSpec{Type: "constant", Value: ptr(1.0)}})
	}
	for i, n := range names {
		sc.Validators = append(sc.Validators, ValidatorSpec{
			Name: n, Stake: ptr(stakes[i]),
			Strategy: StrategySpec{Type: "fixed", Schedule: schedule(CaseEpochs, func(t int) []float64 {
				return append([]float64(nil), rows(t)[i]...)
			})},
		})
	}
	return sc
}

// schedule compresses a per-epoch weight function into fixed-schedule entries.
func schedule(epochs int, w func(t int) []float64) []WeightsAt {
	var out []WeightsAt
	for t := 0; t < epochs; t++ {
		row := w(t)
		if len(out) > 0 && slices.Equal(out[len(out)-1].Weights, row) {
			continue
		}
		out = append(out, WeightsAt{From: t, Weights: row})
	}
	return out
}

func ptr[T any](x T) *T { return &x }

// threeStakes are the catalogue's default stakes.
func threeStakes() []float64 { return []float64{0.8, 0.1, 0.1} }

// pickBy returns a pick function from per-epoch choices: ranges lists
// (first epoch, servers of A, B, C) in increasing order.
func pickBy(ranges ...[4]int) func(t int) []int {
	return func(t int) []int {
		k := len(ranges) - 1
		for k > 0 && ranges[k][0] > t {
			k--
		}
		return []int{ranges[k][1], ranges[k][2], ranges[k][3]}
	}
}

// caseTwoTiming is case 2's timing: e0 all S1, e1 B moves, e2 A and B, e3 on all.
func caseTwoTiming() func(t int) []int {
	return pickBy([4]int{0, 0, 0, 0}, [4]int{1, 0, 1, 0}, [4]int{2, 1, 1, 0}, [4]int{3, 1, 1, 1})
}

func stableMinerCase(x float64) func() *Scenario {
	return func() *Scenario {
		timing := caseTwoTiming()
		return rowCase([]string{"big", "small-eager", "small-lazy"}, threeStakes(), 3, func(t int) [][]float64 {
			p := timing(t)
			rows := make([][]float64, 3)
			for i := range rows {
				r := []float64{0, 0, x}
				r[p[i]] = 1 - x
				rows[i] = r
			}
			return rows
		})
	}
}

// noisyCase builds one of the winner-takes-all cases 19-24: validators observe
// the servers' performance with Gaussian noise; client-side cases set one-hot
// weights on the best noisy score, server-side cases report the scores.
func noisyCase(perf []float64, stakes, sigma []float64, names []string, argmax, wta bool) func() *Scenario {
	return func() *Scenario {
		sc := &Scenario{Epochs: CaseEpochs, Seed: 1, Params: CaseParams()}
		sc.Params.WinnerTakesAll = ptr(wta)
		for j, p := range perf {
			sc.Miners = append(sc.Miners, MinerSpec{Name: fmt.Sprintf("S%d", j+1), Signal: SignalSpec{Type: "constant", Value: ptr(p)}})
		}
		pick := "proportional"
		if argmax {
			pick = "argmax"
		}
		for i, n := range names {
			sc.Validators = append(sc.Validators, ValidatorSpec{
				Name: n, Stake: ptr(stakes[i]),
				Strategy: StrategySpec{Type: "noisy", Sigma: ptr(sigma[i]), Pick: pick},
			})
		}
		return sc
	}
}

// caseDefinitions returns the catalogue of yuma-simulation's synthetic cases
// in the numbering of bactensor/interactive-yuma-simulator (24 cases; see
// peers-and-paper.md section 2.4 and yuma-simulation-formulas.md).
func caseDefinitions() []caseDef {
	twoServerPerf := []float64{0.6, 0.55}
	twoServerStakes := []float64{0.49, 0.49, 0.02}
	twoServerSigma := []float64{0.05, 0.15, 0.15}
	twoServerNames := []string{"big1-low-noise", "big2-high-noise", "small-high-noise"}
	threeServerPerf := []float64{0.30, 0.35, 0.40}
	threeStakesEqual := []float64{0.34, 0.33, 0.33}
	threeHighSigma := []float64{0.05, 0.10, 0.10}
	threeLowSigma := []float64{0.01, 0.02, 0.02}
	threeNoiseNames := []string{"vali1", "vali2", "vali3"}
	threeStakes := threeStakes()
	caseTwoTiming := caseTwoTiming()
	return []caseDef{
		{num: 1, title: "Case 1 - kappa moves first", slug: "kappa-moves-first",
			build: func() *Scenario {
				return oneHotCase([]string{"big", "small-lazy", "small-lazier"}, threeStakes, 2,
					pickBy([4]int{0, 0, 0, 0}, [4]int{1, 1, 0, 0}, [4]int{2, 1, 1, 0}, [4]int{3, 1, 1, 1}))
			}},
		{num: 2, title: "Case 2 - kappa moves second", slug: "kappa-moves-second",
			build: func() *Scenario {
				return oneHotCase([]string{"big", "small-eager", "small-lazy"}, threeStakes, 2, caseTwoTiming)
			}},
		{num: 3, title: "Case 3 - kappa moves third", slug: "kappa-moves-third",
			build: func() *Scenario {
				return oneHotCase([]string{"big", "small-eager", "small-lazy"}, threeStakes, 2,
					pickBy([4]int{0, 0, 0, 0}, [4]int{1, 0, 1, 0}, [4]int{2, 0, 1, 1}, [4]int{3, 1, 1, 1}))
			}},
		{num: 4, title: "Case 4 - all validators switch", slug: "all-validators-switch",
			build: func() *Scenario {
				return oneHotCase([]string{"big", "small", "small2"}, threeStakes, 2,
					pickBy([4]int{0, 0, 0, 0}, [4]int{1, 1, 1, 1}))
			}},
		{num: 5, title: "Case 5 - kappa moves second, then third", slug: "kappa-moves-second-then-third",
			resets: []BondReset{{Epoch: 20, Miner: "S2"}},
			build: func() *Scenario {
				return oneHotCase([]string{"big", "small-eager-eager", "small-eager-lazy"}, threeStakes, 2,
					pickBy([4]int{0, 0, 0, 0}, [4]int{1, 0, 1, 1}, [4]int{2, 1, 1, 1}, [4]int{21, 1, 0, 1}, [4]int{22, 1, 0, 0}, [4]int{23, 0, 0, 0}))
			}},
		{num: 6, title: "Case 6 - kappa moves second, then all switch", slug: "kappa-moves-second-then-all-switch",
			resets: []BondReset{{Epoch: 21, Miner: "S1"}},
			build: func() *Scenario {
				return oneHotCase([]string{"big", "small-eager", "small-lazy"}, threeStakes, 2,
					pickBy([4]int{0, 0, 0, 0}, [4]int{1, 0, 1, 0}, [4]int{2, 1, 1, 0}, [4]int{3, 1, 1, 1}, [4]int{21, 0, 0, 0}))
			}},
		{num: 7, title: "Case 7 - big vali moves late, then all but one small vali moves late", slug: "big-vali-moves-late-then-all-but-one-small-moves-late",
			resets: []BondReset{{Epoch: 21, Miner: "S1"}},
			build: func() *Scenario {
				return oneHotCase([]string{"big", "small-eager-lazy", "small-eager-eager"}, threeStakes, 2,
					pickBy([4]int{0, 0, 0, 0}, [4]int{1, 0, 1, 1}, [4]int{2, 1, 1, 1}, [4]int{21, 1, 1, 0}, [4]int{22, 0, 0, 0}))
			}},
		{num: 8, title: "Case 8 - big vali moves late, then late", slug: "big-vali-moves-late-then-late",
			resets: []BondReset{{Epoch: 20, Miner: "S2"}},
			build: func() *Scenario {
				return oneHotCase([]string{"big-dishonest-lazy", "small-eager-eager", "small-eager-eager2"}, threeStakes, 2,
					pickBy([4]int{0, 0, 0, 0}, [4]int{1, 0, 1, 1}, [4]int{2, 1, 1, 1}, [4]int{21, 1, 0, 0}, [4]int{22, 0, 0, 0}))
			}},
		{num: 9, title: "Case 9 - small validators merged in e5", slug: "small-validators-merged",
			build: func() *Scenario {
				sc := oneHotCase([]string{"big", "small", "small2"}, threeStakes, 2, pickBy([4]int{0, 1, 1, 1}))
				sc.Validators[1].StakeChanges = []StakeChange{{Epoch: 6, Stake: ptr(0.2)}}
				sc.Validators[2].StakeChanges = []StakeChange{{Epoch: 6, Stake: ptr(0.0)}}
				return sc
			}},
		{num: 10, title: "Case 10 - kappa delayed", slug: "kappa-delayed",
			build: func() *Scenario {
				return oneHotCase([]string{"big-delayed", "small-eager", "small-lazy"}, threeStakes, 2,
					pickBy([4]int{0, 0, 0, 0}, [4]int{1, 0, 1, 0}, [4]int{10, 1, 1, 0}, [4]int{11, 1, 1, 1}))
			}},
		{num: 11, title: "Case 11 - clipping demo", slug: "clipping-demo",
			build: func() *Scenario {
				return rowCase([]string{"big1", "big2", "small"}, []float64{0.49, 0.49, 0.02}, 2, func(t int) [][]float64 {
					if t < 20 {
						return [][]float64{{0.3, 0.7}, {0.6, 0.4}, {0.61, 0.39}}
					}
					return [][]float64{{0.3, 0.7}, {0.6, 0.4}, {0.3, 0.61}}
				})
			}},
		{num: 12, title: "Case 12 - all validators switch, but small validator/s support alt miner with minimal weight", slug: "all-switch-small-supports-alt-miner",
			resets: []BondReset{{Epoch: 20, Miner: "S2"}},
			build: func() *Scenario {
				return rowCase([]string{"big", "small-dishonest", "small"}, threeStakes, 2, func(t int) [][]float64 {
					if t >= 1 && t <= 20 {
						return [][]float64{{0, 1}, {0.001, 0.999}, {0, 1}}
					}
					return [][]float64{{1, 0}, {0.999, 0.001}, {1, 0}}
				})
			}},
		{num: 13, title: "Case 13 - big vali supports server 2, small validator/s support server 1", slug: "big-supports-s2-small-supports-s1",
			resets: []BondReset{{Epoch: 20, Miner: "S1"}},
			build: func() *Scenario {
				return rowCase([]string{"big", "small", "small2"}, threeStakes, 2, func(t int) [][]float64 {
					if t <= 20 {
						return [][]float64{{0, 1}, {0.5, 0.5}, {0, 1}}
					}
					return [][]float64{{0, 1}, {0.5, 0.5}, {0.5, 0.5}}
				})
			}},
		{num: 14, title: "Case 14 - one validator switches to server 2 for one epoch", slug: "one-validator-switches-for-one-epoch",
			aliases: []string{"one-epoch-switch"},
			build: func() *Scenario {
				return oneHotCase([]string{"vali1", "vali2", "vali3"}, []float64{0.33, 0.33, 0.34}, 2,
					pickBy([4]int{0, 0, 0, 0}, [4]int{20, 0, 0, 1}, [4]int{21, 0, 0, 0}))
			}},
		{num: 15, title: "Case 15 - big vali moves second, stable miner gets 0.25", slug: "stable-miner-25", build: stableMinerCase(0.25)},
		{num: 16, title: "Case 16 - big vali moves second, stable miner gets 0.5", slug: "stable-miner-50", aliases: []string{"stable-miner"}, build: stableMinerCase(0.5)},
		{num: 17, title: "Case 17 - big vali moves second, stable miner gets 0.75", slug: "stable-miner-75", build: stableMinerCase(0.75)},
		{num: 18, title: "Case 18 - big vali moves second, stable miner gets 0.9", slug: "stable-miner-90", build: stableMinerCase(0.9)},
		{num: 19, title: "Case 19 - 3 servers, low noise, client-side WTA", slug: "three-servers-low-noise-client-wta",
			build: noisyCase(threeServerPerf, threeStakesEqual, threeLowSigma, threeNoiseNames, true, true)},
		{num: 20, title: "Case 20 - 3 servers, low noise, server-side WTA", slug: "three-servers-low-noise-server-wta",
			build: noisyCase(threeServerPerf, threeStakesEqual, threeLowSigma, threeNoiseNames, false, true)},
		{num: 21, title: "Case 21 - 2 servers, high noise, client-side WTA", slug: "two-servers-high-noise-client-wta",
			aliases: []string{"client-side-wta"},
			build:   noisyCase(twoServerPerf, twoServerStakes, twoServerSigma, twoServerNames, true, false)},
		{num: 22, title: "Case 22 - 2 servers, high noise, server-side WTA", slug: "two-servers-high-noise-server-wta",
			aliases: []string{"server-side-wta"},
			build:   noisyCase(twoServerPerf, twoServerStakes, twoServerSigma, twoServerNames, false, true)},
		{num: 23, title: "Case 23 - 3 servers, high noise, client-side WTA", slug: "three-servers-high-noise-client-wta",
			build: noisyCase(threeServerPerf, threeStakesEqual, threeHighSigma, threeNoiseNames, true, true)},
		{num: 24, title: "Case 24 - 3 servers, high noise, server-side WTA", slug: "three-servers-high-noise-server-wta",
			build: noisyCase(threeServerPerf, threeStakesEqual, threeHighSigma, threeNoiseNames, false, true)},
	}
}

// CaseName returns the canonical name of synthetic case n ("case01" ...).
func CaseName(n int) string { return fmt.Sprintf("case%02d", n) }

func (d caseDef) scenario(withResets bool) *Scenario {
	sc := d.build()
	sc.Name = CaseName(d.num)
	sc.Aliases = append([]string{d.slug}, d.aliases...)
	sc.Description = d.title
	if withResets && len(d.resets) > 0 {
		sc.BondResets = append([]BondReset(nil), d.resets...)
		sc.Description += fmt.Sprintf(" (with bond reset of %s at epoch %d)", d.resets[0].Miner, d.resets[0].Epoch)
	}
	return sc
}

// PaperScenario is the liquid-alpha paper's simulated setting (seeds/000
// section 4.1): honest validators j (1 TAO) and c (98 TAO), a consensus copier k
// (1 TAO) lagging five rounds, miners A-D with A = rho, rho + delta*t/3,
// rho + delta (t >= 3), B = 0.5 - A, C = 0, D = 0.5, over 20 rounds. It runs the
// June-2024 notebook Yuma (yuma2a, compat notebook, kappa 0.5, bonds penalty 1,
// new-bond weight 0.1) with fixed alpha and with liquid alpha v1 in the
// notebooks' "1 - clip" semantics (alpha_low 0.1, alpha_high 0.9).
func PaperScenario(rho, delta float64) *Scenario {
	f := func(x float64) *float64 { return &x }
	sc := &Scenario{
		Name:        "paper",
		Aliases:     []string{"paper-setting", "liquid-alpha-paper"},
		Description: fmt.Sprintf("Liquid-alpha paper setting, 3 validators x 4 miners, rho %g, delta %g", rho, delta),
		Epochs:      20,
		Params: ParamSpec{
			Kappa: f(0.5), BondsPenalty: f(1), BondsMovingAverage: f(0.9),
			AlphaLow: f(0.1), AlphaHigh: f(0.9),
		},
		Runs: []RunSpec{
			{Name: "fixed-alpha", Yuma: "yuma2a", LiquidAlpha: "off", Compat: "notebook"},
			{Name: "liquid-alpha", Yuma: "yuma2a", LiquidAlpha: "v1-paper", Compat: "notebook"},
		},
		Miners: []MinerSpec{
			{Name: "A", Signal: SignalSpec{Type: "piecewise", Points: [][2]float64{{0, rho}, {3, rho + delta}}}},
			{Name: "B", Signal: SignalSpec{Type: "piecewise", Points: [][2]float64{{0, 0.5 - rho}, {3, 0.5 - rho - delta}}}},
			{Name: "C", Signal: SignalSpec{Type: "constant", Value: f(0)}},
			{Name: "D", Signal: SignalSpec{Type: "constant", Value: f(0.5)}},
		},
		Validators: []ValidatorSpec{
			{Name: "j", StakeTAO: f(1), Strategy: StrategySpec{Type: "honest"}},
			{Name: "k", StakeTAO: f(1), Strategy: StrategySpec{Type: "consensus_copier", Lag: ptr(5)}},
			{Name: "c", StakeTAO: f(98), Strategy: StrategySpec{Type: "honest"}},
		},
	}
	return sc
}

// CatalogueOptions select variants of the built-in scenarios.
type CatalogueOptions struct {
	// WithResets adds yuma-simulation's optional bond resets to cases 5-8, 12
	// and 13 (off by default, as in yuma-simulation).
	WithResets bool
}

// Catalogue returns fresh copies of every built-in scenario: case01 ...
// case24, then the paper setting (rho 0, delta 0.5).
func Catalogue(opts CatalogueOptions) []*Scenario {
	out := make([]*Scenario, 0, 25)
	for _, d := range caseDefinitions() {
		out = append(out, d.scenario(opts.WithResets))
	}
	return append(out, PaperScenario(0, 0.5))
}

// Lookup finds a built-in scenario by canonical name ("case07"), number
// ("7"), alias ("kappa-moves-first") or "paper". It returns a fresh copy.
func Lookup(name string, opts CatalogueOptions) (*Scenario, bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	if n, err := strconv.Atoi(strings.TrimPrefix(key, "case")); err == nil {
		key = CaseName(n)
	}
	for _, sc := range Catalogue(opts) {
		if sc.Name == key || slices.Contains(sc.Aliases, key) {
			return sc, true
		}
	}
	return nil, false
}
