package sim

import (
	"context"
	"math"
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
)

// TestCatalogueOnEveryVariant runs every built-in scenario on every Yuma
// version x liquid-alpha mode x compat mode of the float engine and checks the
// invariants of each epoch: dividend and incentive shares sum to 1 (or 0),
// nothing is NaN or negative, validator trust is in [0, 1], and the recorded
// summary agrees with the series. Combinations the engine refuses must be
// refused as bad input, never as a crash.
func TestCatalogueOnEveryVariant(t *testing.T) {
	var runs []RunSpec
	for _, y := range YumaVersions() {
		for _, la := range LiquidAlphaModes() {
			for _, c := range CompatModes() {
				runs = append(runs, RunSpec{Yuma: string(y), LiquidAlpha: string(la), Compat: string(c)})
			}
		}
	}
	ran, refused := 0, 0
	for _, sc := range Catalogue(CatalogueOptions{WithResets: true}) {
		for _, rs := range runs {
			res, err := Run(context.Background(), sc, Options{Runs: []RunSpec{rs}})
			if err != nil {
				if !badinput.Is(err) {
					t.Fatalf("%s %+v: %v", sc.Name, rs, err)
				}
				refused++
				continue
			}
			ran++
			checkInvariants(t, sc.Name, res)
		}
	}
	t.Logf("%d runs checked, %d variant combinations refused by the engine", ran, refused)
	if ran < len(runs)/2*25 {
		t.Fatalf("only %d runs succeeded", ran)
	}
}

func checkInvariants(t *testing.T, name string, res *Result) {
	t.Helper()
	nv, nm := len(res.Validators), len(res.Miners)
	for _, rr := range res.Variants {
		where := name + "/" + rr.Variant.Name
		// The peers' conventions divide by (sum + 1e-6), which leaves shares
		// short of 1 when the raw dividends are small.
		tol := 1e-9
		if rr.Variant.Config.Compat != "chain" {
			tol = 1e-3
		}
		for e := 0; e < res.Epochs; e++ {
			sumShares := func(x []float64, what string) {
				s := 0.0
				for _, v := range x {
					if math.IsNaN(v) || v < -1e-12 {
						t.Fatalf("%s epoch %d: %s %v", where, e, what, x)
					}
					s += v
				}
				if math.Abs(s-1) > tol && math.Abs(s) > tol {
					t.Fatalf("%s epoch %d: %s sums to %v", where, e, what, s)
				}
			}
			sumShares(rr.Dividends[e*nv:(e+1)*nv], "dividends")
			sumShares(rr.Incentive[e*nm:(e+1)*nm], "incentive")
			for _, vt := range rr.ValidatorTrust[e*nv : (e+1)*nv] {
				if math.IsNaN(vt) || vt < -1e-12 || vt > 1+1e-9 {
					t.Fatalf("%s epoch %d: validator trust %v", where, e, vt)
				}
			}
			for _, b := range rr.Bonds[e*nv*nm : (e+1)*nv*nm] {
				if math.IsNaN(b) || b < -1e-12 {
					t.Fatalf("%s epoch %d: bond %v", where, e, b)
				}
			}
		}
		total := 0.0
		for e := 0; e < res.Epochs; e++ {
			total += rr.Dividends[e*nv]
		}
		if math.Abs(total-rr.Summary.TotalDividends[0]) > 1e-9 {
			t.Fatalf("%s: summary total %v, series %v", where, rr.Summary.TotalDividends[0], total)
		}
	}
}

// TestCommitRevealLagPenalisesCopier is the behaviour commit-reveal relies
// on: in testdata/scenarios/commit-reveal-copier.yaml, where the miners'
// signal changes at epochs 10-14, a consensus copier earns less per stake
// than the other validators (G < 1), and the longer the reveal lag the less it
// earns, under every variant the scenario runs.
func TestCommitRevealLagPenalisesCopier(t *testing.T) {
	prev := map[string]float64{}
	for lag := 1; lag <= 6; lag++ {
		sc, err := LoadFile("../testdata/scenarios/commit-reveal-copier.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if sc.Validators[2].Strategy.Type != "consensus_copier" {
			t.Fatal("scenario changed: validator 2 is not the copier")
		}
		sc.Validators[2].Strategy.Lag = &lag
		res, err := Run(context.Background(), sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, rr := range res.Variants {
			g, total := rr.Summary.RelativeDividendRate[2], rr.Summary.TotalDividends[2]
			if !(g < 1) {
				t.Errorf("lag %d %s: copier G = %v, want < 1", lag, rr.Variant.Name, g)
			}
			if p, ok := prev[rr.Variant.Name]; ok && !(total < p) {
				t.Errorf("lag %d %s: copier total dividends %v not below lag %d's %v", lag, rr.Variant.Name, total, lag-1, p)
			}
			prev[rr.Variant.Name] = total
		}
	}
}
