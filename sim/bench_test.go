package sim

import (
	"context"
	"strconv"
	"testing"

	"github.com/yuma-go/yuma/epoch"
)

// suiteRuns are the four variants of the suite benchmark (issue 3, item 5).
var suiteRuns = []RunSpec{
	{Yuma: "yuma2"},
	{Yuma: "yuma3"},
	{Yuma: "yuma3", LiquidAlpha: "v2"},
	{Yuma: "yuma2c"},
}

// BenchmarkSuite runs the 24 synthetic cases x 4 variants (96 runs of 40
// epochs, no chart rendering) per iteration.
func BenchmarkSuite(b *testing.B) {
	b.ReportAllocs()
	var cases []*Scenario
	for _, sc := range Catalogue(CatalogueOptions{}) {
		if sc.Name != "paper" {
			cases = append(cases, sc)
		}
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		for _, sc := range cases {
			if _, err := Run(ctx, sc, Options{Runs: suiteRuns}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(cases)*len(suiteRuns)*CaseEpochs)/b.Elapsed().Seconds(), "epochs/s")
}

// BenchmarkCopierScenario64x256 runs a 64-validator, 256-miner scenario with
// noisy honest validators and consensus copiers for 100 epochs of yuma3 +
// liquid alpha v2: the driver's overhead at a realistic subnet size.
func BenchmarkCopierScenario64x256(b *testing.B) {
	benchCopier(b, nil)
}

// nopEngine returns a constant result: it isolates the driver's own cost
// (strategies, noise, recording, summary) from the engine's.
type nopEngine struct{ res epoch.Result }

func (n *nopEngine) Step(epoch.Input) (epoch.Result, error) { return n.res, nil }

// BenchmarkDriverOverhead64x256 is BenchmarkCopierScenario64x256 on an engine
// that does nothing.
func BenchmarkDriverOverhead64x256(b *testing.B) {
	benchCopier(b, func(_ epoch.Config, v, m int) (epoch.Stepper, error) {
		return &nopEngine{epoch.Result{
			Consensus: make([]float64, m), Incentive: make([]float64, m), Dividends: make([]float64, v),
			ValidatorTrust: make([]float64, v), Bonds: make([]float64, v*m),
		}}, nil
	})
}

func benchCopier(b *testing.B, engine epoch.Factory) {
	b.ReportAllocs()
	sc := &Scenario{Name: "bench", Epochs: 100, Seed: 1, Params: CaseParams(),
		Runs: []RunSpec{{Yuma: "yuma3", LiquidAlpha: "v2"}}}
	for j := 0; j < 256; j++ {
		sc.Miners = append(sc.Miners, MinerSpec{Name: "m" + strconv.Itoa(j), Signal: SignalSpec{Type: "noisy", Mean: ptr(float64(j%17) / 17), Sigma: ptr(0.05)}})
	}
	for i := 0; i < 64; i++ {
		st := StrategySpec{Type: "noisy", Sigma: ptr(0.02)}
		if i%8 == 7 {
			st = StrategySpec{Type: "consensus_copier", Lag: ptr(3)}
		}
		sc.Validators = append(sc.Validators, ValidatorSpec{Name: "v" + strconv.Itoa(i), StakeTAO: ptr(float64(1000 + 37*i)), Strategy: st})
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run(ctx, sc, Options{Engine: engine}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*sc.Epochs)/b.Elapsed().Seconds(), "epochs/s")
}
