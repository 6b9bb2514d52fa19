package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/sim"
	"github.com/yuma-go/yuma/sim/simout"
)

func newSimulateCmd(e *env) *cobra.Command {
	var (
		list, resets, noCharts bool
		yumas, las             []string
		compat, out            string
		params                 []string
	)
	cmd := &cobra.Command{
		Use:   "simulate FILE|CASE...",
		Short: "Run a simulation scenario with validator strategies",
		Long: `Run simulation scenarios: validators with strategies (fixed schedules, honest,
noisy, consensus copier with a commit-reveal lag, copier of a named validator,
late mover, stake changes) and miners with signals, for each Yuma variant.

Arguments are scenario files (YAML or JSON, see docs/simulate.md) or built-in
cases: case01 ... case24 (or their numbers or descriptive names, e.g.
kappa-moves-first), paper (the liquid-alpha paper's 3 x 4 setting), or "all".

Each scenario writes to OUT/<name>/: summary.json, and per variant
<variant>/series.csv (epoch,entity,kind,metric,value) and the charts
weights, dividends, dividend_per_stake, bonds and incentives (.png and .svg).`,
		Example: `  yuma simulate --list
  yuma simulate kappa-moves-first --yuma yuma2,yuma3 --liquid-alpha off,v2
  yuma simulate all --no-charts --out /tmp/sim
  yuma simulate testdata/scenarios/copier.yaml --param bonds_penalty=1`,
		RunE: func(cmd *cobra.Command, args []string) error {
			copts := sim.CatalogueOptions{WithResets: resets}
			if list {
				for _, sc := range sim.Catalogue(copts) {
					fmt.Fprintf(e.stdout, "%-7s %-55s %s\n", sc.Name, strings.Join(sc.Aliases, ", "), sc.Description)
				}
				return nil
			}
			if len(args) == 0 {
				return usagef("simulate: give at least one scenario file or case (see --list)")
			}
			runs, err := variantFlags(cmd, yumas, las, compat)
			if err != nil {
				return err
			}
			over, err := sim.ParseParamAssignments(params)
			if err != nil {
				return err
			}
			var scenarios []*sim.Scenario
			var files []string
			for _, a := range args {
				if strings.EqualFold(a, "all") {
					for _, sc := range sim.Catalogue(copts) {
						scenarios, files = append(scenarios, sc), append(files, "")
					}
					continue
				}
				sc, file, err := sim.Resolve(a, copts)
				if err != nil {
					return err
				}
				scenarios, files = append(scenarios, sc), append(files, file)
			}
			for k, sc := range scenarios {
				sc.Params = sim.MergeParams(sc.Params, over)
				bar := progress.NewBar(e.stderr, "simulate "+sc.Name)
				res, err := sim.Run(cmd.Context(), sc, sim.Options{Runs: runs, Progress: bar.Func(), File: files[k]})
				bar.Done()
				if err != nil {
					return err
				}
				dir := filepath.Join(out, sc.Name)
				written, err := simout.WriteAll(cmd.Context(), dir, res, simout.WriteOptions{NoCharts: noCharts})
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "%s: %d variants, %d files in %s\n", sc.Name, len(res.Variants), len(written), dir)
				for _, rr := range res.Variants {
					ws := rr.Summary.Warnings
					for k, w := range ws {
						if k == 3 {
							fmt.Fprintf(e.stderr, "yuma: warning: %s/%s: %d more engine warnings in summary.json\n", sc.Name, rr.Variant.Name, len(ws)-k)
							break
						}
						fmt.Fprintf(e.stderr, "yuma: warning: %s/%s: %s\n", sc.Name, rr.Variant.Name, w)
					}
					if n := len(rr.Summary.ZeroConsensusEpochs); n > 0 {
						fmt.Fprintf(e.stderr, "yuma: warning: %s/%s: no miner reached consensus in %d epoch(s), first %d\n",
							sc.Name, rr.Variant.Name, n, rr.Summary.ZeroConsensusEpochs[0])
					}
					fmt.Fprintf(e.stdout, "  %-28s total dividends", rr.Variant.Name)
					for i, v := range res.Validators {
						fmt.Fprintf(e.stdout, " %s=%.4f", v, rr.Summary.TotalDividends[i])
					}
					fmt.Fprintln(e.stdout)
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&list, "list", false, "list the built-in cases and exit")
	f.StringSliceVar(&yumas, "yuma", nil, "Yuma versions to run (yuma1,yuma2,yuma2a,yuma2b,yuma2c,yuma3); replaces the scenario's runs")
	f.StringSliceVar(&las, "liquid-alpha", nil, "liquid-alpha modes to run (off,v1,v1-paper,v2); combined with every --yuma")
	f.StringVar(&compat, "compat", "", "compat mode for --yuma/--liquid-alpha runs (chain, yuma-simulation, notebook)")
	f.StringVar(&out, "out", filepath.Join("yuma-out", "simulate"), "output folder; each scenario writes to OUT/<name>/")
	f.StringArrayVar(&params, "param", nil, "override a parameter, name=value (e.g. bonds_penalty=1); repeatable")
	f.BoolVar(&resets, "reset-bonds", false, "add yuma-simulation's optional bond resets to cases 5-8, 12 and 13")
	f.BoolVar(&noCharts, "no-charts", false, "skip chart rendering (CSV and JSON only)")
	return cmd
}

// variantFlags turns --yuma / --liquid-alpha / --compat into runs (nil when
// none is given: each scenario's own runs apply).
func variantFlags(cmd *cobra.Command, yumas, las []string, compat string) ([]sim.RunSpec, error) {
	if !cmd.Flags().Changed("yuma") && !cmd.Flags().Changed("liquid-alpha") && !cmd.Flags().Changed("compat") {
		return nil, nil
	}
	if len(yumas) == 0 {
		yumas = []string{"yuma3"}
	}
	if len(las) == 0 {
		las = []string{"off"}
	}
	if _, ok := sim.ParseCompat(compat); !ok {
		return nil, badinput.New("", "", "--compat", "unknown compat mode %q (want chain, yuma-simulation or notebook)", compat)
	}
	var runs []sim.RunSpec
	for _, y := range yumas {
		if _, ok := sim.ParseYuma(y); !ok {
			return nil, badinput.New("", "", "--yuma", "unknown Yuma version %q (want yuma1, yuma2, yuma2a, yuma2b, yuma2c or yuma3)", y)
		}
		for _, l := range las {
			if _, ok := sim.ParseLiquidAlpha(l); !ok {
				return nil, badinput.New("", "", "--liquid-alpha", "unknown liquid-alpha mode %q (want off, v1, v1-paper or v2)", l)
			}
			runs = append(runs, sim.RunSpec{Yuma: y, LiquidAlpha: l, Compat: compat})
		}
	}
	return runs, nil
}
