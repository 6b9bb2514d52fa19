package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yuma-go/yuma/internal/atomicfile"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/paper"
)

func newPaperCmd(e *env) *cobra.Command {
	var (
		out, variant, alphaLows, stakes string
		opts                            paper.Options
	)
	cmd := &cobra.Command{
		Use:   "paper",
		Short: "Reproduce the liquid-alpha working paper's figures and headline numbers",
		Long: `Reproduce the simulated setting of "Amplifying the Weight-copying Penalty in
Bittensor" (section 4.1): validators j (1 TAO, honest), k (1 TAO, copies the
consensus 5 rounds late) and c (98 TAO, honest), miners A-D.

Writes fig1..fig5 and lag_sweep (CSV, PNG, SVG), summary.json (each headline
number: the paper's value, the reproduced value, the settings) and claims.md
into --out, and prints the headline and claims tables.

--variant notebook (default) uses the paper's own rules (the 2024 notebooks'
Yuma2, liquid alpha v1 with the new bond weighted by 1 - clip(alpha));
chain-v1 the chain's 2024 liquid alpha v1; yuma3-v2 today's Yuma3 with liquid
alpha v2; all runs the three (into --out/<variant>/) and prints one table.`,
		Example: "  yuma paper --out yuma-out/paper\n  yuma paper --variant all --out yuma-out/paper",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			variants := paper.Variants()
			if variant != "all" {
				v, err := paper.ParseVariant(variant)
				if err != nil {
					return usagef("--variant: %v", err)
				}
				variants = []paper.Variant{v}
			}
			if err := rejectZero(cmd, "rounds", "lag", "alpha-low", "alpha-high", "step", "max-lag", "sweep-rounds", "sweep-delta", "gamma"); err != nil {
				return err
			}
			var err error
			if opts.AlphaLows, err = floatList("--alpha-lows", alphaLows); err != nil {
				return err
			}
			if opts.CopierStakes, err = floatList("--copier-stakes", stakes); err != nil {
				return err
			}
			var results []*paper.Result
			for _, v := range variants {
				o := opts
				o.Variant = v
				bar := progress.NewBar(e.stderr, "paper "+string(v))
				o.Progress = bar.Func()
				res, err := paper.Run(cmd.Context(), o)
				bar.Done()
				if err != nil {
					return err
				}
				dir := out
				if len(variants) > 1 {
					dir = filepath.Join(out, string(v))
				}
				if err := res.Write(dir); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "%s: %s\nwrote %s\n\n%s\nLag sweep (copier's dividend per stake over the honest validator's):\n\n%s\n",
					v, v.Describe(), dir, res.HeadlineTable(), res.LagTable())
				results = append(results, res)
			}
			table := paper.ClaimsTable(results)
			fmt.Fprintf(e.stdout, "Does each claim of the paper still hold?\n\n%s", table)
			if len(results) > 1 {
				if err := writeClaims(filepath.Join(out, "claims.md"), table); err != nil {
					return err
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&out, "out", filepath.Join("yuma-out", "paper"), "output directory")
	f.StringVar(&variant, "variant", "notebook", "rules: notebook, chain-v1, yuma3-v2 or all")
	f.IntVar(&opts.Rounds, "rounds", 20, "rounds per run")
	f.IntVar(&opts.Lag, "lag", 5, "the copier's lag in rounds (commit-reveal interval)")
	f.Float64Var(&opts.AlphaLow, "alpha-low", 0.1, "alpha_low of Figs. 1-3")
	f.Float64Var(&opts.AlphaHigh, "alpha-high", 0.9, "alpha_high")
	f.Float64Var(&opts.Step, "step", 0.05, "grid step of rho and delta (Figs. 1, 4, 5)")
	f.StringVar(&alphaLows, "alpha-lows", "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9", "alpha_low grid of Figs. 4 and 5 (comma list)")
	f.IntVar(&opts.MaxLag, "max-lag", 20, "longest copier lag of the lag sweep")
	f.IntVar(&opts.SweepRounds, "sweep-rounds", 40, "rounds per run of the lag sweep")
	f.Float64Var(&opts.SweepDelta, "sweep-delta", 0.5, "jump of miner A's signal in the lag sweep")
	f.StringVar(&stakes, "copier-stakes", "0.01,0.05,0.1,0.2,0.3,0.45", "copier stake shares of the lag sweep (comma list)")
	f.Float64Var(&opts.Take, "take", 0.18, "delegate take that copying must beat")
	f.Float64Var(&opts.Gamma, "gamma", 0.95, "discount of the long-term penalty Gamma (Figs. 2-3)")
	f.IntVar(&opts.Workers, "workers", 0, "worker goroutines (0 = all cores)")
	return cmd
}

// floatList parses a comma-separated list of numbers given to flag.
func floatList(flag, text string) ([]float64, error) {
	var out []float64
	for i, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		x, err := strconv.ParseFloat(part, 64)
		if err != nil {
			return nil, badinput.New("", "", flag, "item %d (%q) is not a number", i, part)
		}
		out = append(out, x)
	}
	return out, nil
}

func writeClaims(path, table string) error {
	return atomicfile.WriteFile(path, []byte("# Does each claim of the liquid-alpha paper still hold?\n\n"+table))
}

// rejectZero returns a bad-input error when one of the numeric flags (where
// zero would silently mean "the paper's default") was explicitly set to 0.
func rejectZero(cmd *cobra.Command, names ...string) error {
	for _, name := range names {
		fl := cmd.Flags().Lookup(name)
		if fl != nil && fl.Changed {
			if x, err := strconv.ParseFloat(fl.Value.String(), 64); err == nil && x == 0 {
				return badinput.New("", "", "--"+name, "must not be 0")
			}
		}
	}
	return nil
}
