package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yuma-go/yuma/diagnose"
	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/metagraph/datasets"
	"github.com/yuma-go/yuma/penalty"
)

// diagnoseFlags are the flags of `yuma diagnose` (shared with `yuma demo`).
type diagnoseFlags struct {
	dataset, snapshots, store, netuids                            string
	from, to                                                      uint64
	alphaLow, alphaHigh, revealPeriods, steepness                 string
	yuma, liquidAlpha, compat, copier, copierStake, metric, shard string
	window                                                        string
	take                                                          float64
	tempos, workers, shardCount, maxValidators                    int
	activityCutoff                                                uint64
	noPNG, notebookParams                                         bool
}

func (d *diagnoseFlags) register(cmd *cobra.Command, withInput bool) {
	f := cmd.Flags()
	if withInput {
		f.StringVar(&d.dataset, "dataset", "", "bundled history: "+datasetNames()+" (comma list for several subnets)")
		f.StringVar(&d.snapshots, "snapshots", "", "folder (or file) of snapshot files: *.json, *.json.gz, *.pt, *.pkl")
		f.StringVar(&d.store, "store", "", "snapshot store (SQLite file written by yuma fetch or yuma diagnose import)")
		f.StringVar(&d.netuids, "netuid", "", "subnet(s) to read from --store, e.g. 31 or 31,15")
		f.Uint64Var(&d.from, "from", 0, "first block to read from --store")
		f.Uint64Var(&d.to, "to", 0, "last block to read from --store (0 = latest)")
	}
	f.StringVar(&d.alphaLow, "alpha-low", "0.1,0.3,0.5,0.7,0.9", "alpha_low grid: comma list or start:stop:step")
	f.StringVar(&d.alphaHigh, "alpha-high", "0.1,0.3,0.5,0.7,0.9", "alpha_high grid (cells with alpha_low > alpha_high are skipped)")
	f.StringVar(&d.revealPeriods, "reveal-periods", "0,1:29:2", "reveal periods in tempos: comma list and/or start:stop:step")
	f.StringVar(&d.steepness, "steepness", "10", "liquid alpha v2 steepness grid (chain value / 100)")
	f.StringVar(&d.yuma, "yuma", "yuma2", "Yuma version: yuma2 or yuma3 (also yuma1, yuma2a, yuma2b, yuma2c)")
	f.StringVar(&d.liquidAlpha, "liquid-alpha", "v1-paper", "liquid alpha rule: v1-paper (notebooks), v1 (chain 2024), v2 (current chain), off")
	f.StringVar(&d.compat, "compat", "chain", "numeric conventions: chain, notebook or yuma-simulation")
	f.StringVar(&d.copier, "copier", "consensus", "copier: consensus (copies the lagged consensus) or top (copies the top-stake validator)")
	f.StringVar(&d.copierStake, "copier-stake", "median", "copier stake: median (validator median), share:0.05 or tao:1000")
	f.Float64Var(&d.take, "take", 0.18, "validator take; threshold G < 1 - take")
	f.StringVar(&d.metric, "metric", "cumulative", "G used for the recommendation: cumulative, mean or last (the notebook's)")
	f.IntVar(&d.tempos, "tempos", 30, "scored tempos per run")
	f.StringVar(&d.window, "window", "common", "scored epochs: common (the same tempos for every reveal period) or notebook (reveal period rp scores tempos rp..rp+tempos-1)")
	f.Uint64Var(&d.activityCutoff, "activity-cutoff", 5000, "activity cutoff in blocks when the snapshots carry none")
	f.IntVar(&d.maxValidators, "max-validators", 64, "permits = top-k by stake when the snapshots carry none")
	f.BoolVar(&d.notebookParams, "notebook-params", false, "use the notebook's kappa 0.5, bonds_moving_average 0.9, bonds_penalty 1 even when the snapshots carry the subnet's own")
	f.StringVar(&d.shard, "shard", "", "run part i/n of the grid, or auto (JOB_COMPLETION_INDEX, with --shard-count or JOB_COMPLETIONS)")
	f.IntVar(&d.shardCount, "shard-count", 0, "number of shards for --shard auto")
	f.IntVar(&d.workers, "workers", 0, "worker goroutines (0 = all cores)")
	f.BoolVar(&d.noPNG, "no-png", false, "write the charts as SVG only (faster)")
}

func datasetNames() string {
	var names []string
	for _, d := range datasets.List() {
		names = append(names, d.Name)
	}
	return strings.Join(names, ", ")
}

// options turns the flags into diagnose.Options (without sources).
func (d *diagnoseFlags) options() (diagnose.Options, error) {
	o := diagnose.DefaultOptions()
	var err error
	if o.AlphaLow, err = diagnose.ParseFloats("--alpha-low", d.alphaLow); err != nil {
		return o, err
	}
	if o.AlphaHigh, err = diagnose.ParseFloats("--alpha-high", d.alphaHigh); err != nil {
		return o, err
	}
	o.RevealPeriods = nil
	for _, part := range strings.Split(d.revealPeriods, ",") {
		rp, err := diagnose.ParseInts("--reveal-periods", part)
		if err != nil {
			return o, err
		}
		o.RevealPeriods = append(o.RevealPeriods, rp...)
	}
	if o.Steepness, err = diagnose.ParseFloats("--steepness", d.steepness); err != nil {
		return o, err
	}
	switch v := epoch.YumaVersion(d.yuma); v {
	case epoch.Yuma1, epoch.Yuma2, epoch.Yuma2a, epoch.Yuma2b, epoch.Yuma2c, epoch.Yuma3:
		o.Yuma = v
	default:
		return o, usagef("--yuma %q: want yuma2 or yuma3 (or yuma1, yuma2a, yuma2b, yuma2c)", d.yuma)
	}
	o.LiquidAlpha = epoch.LiquidAlphaMode(d.liquidAlpha)
	switch c := epoch.Compat(d.compat); c {
	case epoch.CompatChain, epoch.CompatNotebook, epoch.CompatYumaSimulation:
		o.Compat = c
	default:
		return o, usagef("--compat %q: want chain, notebook or yuma-simulation", d.compat)
	}
	o.Copier = d.copier
	if o.CopierStake, err = diagnose.ParseCopierStake(d.copierStake); err != nil {
		return o, err
	}
	o.Take, o.Metric, o.Tempos, o.Workers, o.Window = d.take, d.metric, d.tempos, d.workers, d.window
	o.ActivityCutoff, o.MaxValidators, o.NotebookParams = d.activityCutoff, d.maxValidators, d.notebookParams
	if d.activityCutoff == 0 {
		return o, badinput.New("", "", "--activity-cutoff", "must be positive")
	}
	if d.tempos <= 0 {
		return o, badinput.New("", "", "--tempos", "must be positive")
	}
	if d.workers < 0 {
		return o, badinput.New("", "", "--workers", "must not be negative")
	}
	switch {
	case d.shard == "":
	case d.shard == "auto":
		if o.Shard, err = diagnose.ShardFromEnv(os.Getenv, d.shardCount); err != nil {
			return o, err
		}
	default:
		if o.Shard, err = penalty.ParseShard(d.shard); err != nil {
			return o, badinput.New("", "", "--shard", "%v", err)
		}
	}
	return o, nil
}

// sources loads the history named by the input flags.
func (d *diagnoseFlags) sources(ctx context.Context) ([]diagnose.Source, error) {
	given := 0
	for _, s := range []string{d.dataset, d.snapshots, d.store} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		return nil, usagef("give exactly one input: --dataset NAME, --snapshots DIR or --store FILE --netuid N")
	}
	switch {
	case d.dataset != "":
		var out []diagnose.Source
		for _, name := range strings.Split(d.dataset, ",") {
			src, err := diagnose.LoadDataset(strings.TrimSpace(name))
			if err != nil {
				return nil, err
			}
			out = append(out, src)
		}
		return out, nil
	case d.snapshots != "":
		return diagnose.LoadPath(d.snapshots)
	}
	var netuids []int
	for _, part := range strings.Split(d.netuids, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 0 || n > 65535 {
			return nil, badinput.New("", "", "--netuid", "%q is not a netuid (0..65535)", part)
		}
		netuids = append(netuids, n)
	}
	if d.to != 0 && d.to < d.from {
		return nil, badinput.New("", "", "--to", "%d is before --from %d", d.to, d.from)
	}
	return diagnose.LoadStore(ctx, d.store, netuids, d.from, d.to)
}

func newDiagnoseCmd(e *env) *cobra.Command {
	var (
		d   diagnoseFlags
		out string
	)
	cmd := &cobra.Command{
		Use:   "diagnose",
		Short: "Weight-copying diagnostic on real subnet history",
		Long: `Replay a subnet's history with the chain's masks (activity cutoff, outdated
weights, permits, self-weights), insert a synthetic copier whose row at epoch t
is the consensus of epoch t - reveal period, and sweep alpha_low x alpha_high x
reveal period (x steepness for liquid alpha v2). For every cell it reports the
copier's relative dividend rate G (last epoch, mean, cumulative) against the
thresholds 1 and 1 - take, and the effect on honest validators.

Writes results.csv, recommendation.json, summary.csv (one line per subnet),
result.json, charts (PNG and SVG) and index.html into --out.

--shard i/n runs the i-th of n disjoint parts of the grid; join the parts with
'yuma diagnose merge'. Without grid flags it runs the notebook's grid
(alpha_low, alpha_high in 0.1..0.9 step 0.2; reveal periods 0,1,3,...,29) on 30
tempos.`,
		Example: `  yuma diagnose --dataset sn31
  yuma diagnose --store yuma.db --netuid 31,15 --from 3600000 --out yuma-out/diag
  yuma diagnose --dataset sn31 --yuma yuma3 --liquid-alpha v2 --steepness 5,10,20
  yuma diagnose --dataset sn31 --shard 0/4 --out part0   # then: yuma diagnose merge --out all part*`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o, err := d.options()
			if err != nil {
				return err
			}
			if o.Sources, err = d.sources(cmd.Context()); err != nil {
				return err
			}
			bar := progress.NewBar(e.stderr, "diagnose")
			res, err := diagnose.Run(cmd.Context(), o, bar.Func())
			bar.Done()
			if err != nil {
				return err
			}
			if err := res.WriteFiles(out, !d.noPNG); err != nil {
				return err
			}
			printSummary(e, res, out)
			return nil
		},
	}
	d.register(cmd, true)
	cmd.Flags().StringVar(&out, "out", filepath.Join("yuma-out", "diagnose"), "output directory")
	cmd.AddCommand(newDiagnoseMergeCmd(e), newDiagnoseImportCmd(e), newDiagnoseExportCmd(e))
	return cmd
}

func printSummary(e *env, res *diagnose.Result, out string) {
	if !res.Complete() {
		fmt.Fprintf(e.stdout, "shard %s done; merge all shards with: yuma diagnose merge --out DIR SHARD_DIR...\n", res.Shard)
	}
	for _, s := range res.Subnets {
		for _, w := range s.Warnings {
			fmt.Fprintf(e.stderr, "yuma: %s: note: %s\n", s.Name, w)
		}
		rec := s.Recommendation
		if rec == nil {
			continue
		}
		show := func(p diagnose.Pick) string {
			if !p.Found {
				return "no reveal period of the grid"
			}
			if p.AlphaHigh == 0 {
				return fmt.Sprintf("reveal period %d (G %.3f)", p.RevealPeriod, float64(p.G))
			}
			return fmt.Sprintf("reveal period %d at alpha_low %g / alpha_high %g (G %.3f)", p.RevealPeriod, p.AlphaLow, p.AlphaHigh, float64(p.G))
		}
		fmt.Fprintf(e.stdout, "%s (netuid %d, blocks %d-%d, %d honest validators, copier stake %.0f):\n", s.Name, s.Netuid, s.FirstBlock, s.LastBlock, s.Honest, s.CopierStake)
		fmt.Fprintf(e.stdout, "  G < 1 without liquid alpha: %s\n", show(rec.NoLABelowOne))
		fmt.Fprintf(e.stdout, "  G < 1 with liquid alpha (%s): %s\n", rec.LiquidAlpha, show(rec.LABelowOne))
		fmt.Fprintf(e.stdout, "  G < %.2f (1 - take) without liquid alpha: %s\n", rec.TakeThreshold, show(rec.NoLABelowTake))
		fmt.Fprintf(e.stdout, "  G < %.2f (1 - take) with liquid alpha: %s\n", rec.TakeThreshold, show(rec.LABelowTake))
		verdict := "recommended: " + show(rec.Best)
		if !rec.Best.Found {
			p := rec.Best
			p.Found = true
			verdict = "no setting of the grid pushes G below 1; smallest G at " + show(p)
		}
		fmt.Fprintf(e.stdout, "  %s\n", verdict)
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", filepath.Join(out, "index.html"))
}

func newDiagnoseMergeCmd(e *env) *cobra.Command {
	var (
		out   string
		noPNG bool
	)
	cmd := &cobra.Command{
		Use:     "merge --out DIR SHARD_DIR...",
		Short:   "Join the outputs of 'yuma diagnose --shard i/n' into the unsharded result",
		Example: "  yuma diagnose merge --out yuma-out/diagnose part0 part1 part2 part3",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			var parts []*diagnose.Result
			for _, dir := range args {
				r, err := diagnose.ReadResult(dir)
				if err != nil {
					return err
				}
				parts = append(parts, r)
			}
			res, err := diagnose.Merge(parts)
			if err != nil {
				return err
			}
			if err := res.WriteFiles(out, !noPNG); err != nil {
				return err
			}
			printSummary(e, res, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", filepath.Join("yuma-out", "diagnose"), "output directory")
	cmd.Flags().BoolVar(&noPNG, "no-png", false, "write the charts as SVG only (faster)")
	return cmd
}

func newDiagnoseImportCmd(e *env) *cobra.Command {
	var store, dataset string
	cmd := &cobra.Command{
		Use:   "import --store FILE [--dataset NAME] [PATH...]",
		Short: "Import snapshots (files, folders, .pt/.pkl metagraphs, bundled datasets) into a snapshot store",
		Long: `Import snapshot files (*.json, *.json.gz), Python-saved metagraphs (*.pt
torch zips or *.pkl pickles: the SDK's state_dict or yuma-simulation's
{netuid, block, S, W, hotkeys}), the bundled data's JSON schemas, folders of
those, or a bundled dataset (--dataset sn31) into a snapshot store. Each PATH
is imported in one transaction: a bad file leaves the store unchanged.`,
		Example: "  yuma diagnose import --store yuma.db --dataset sn31\n  yuma diagnose import --store yuma.db ~/.bittensor/metagraphs/network-finney/netuid-31/",
		RunE: func(cmd *cobra.Command, args []string) error {
			if store == "" {
				return usagef("--store is required")
			}
			if dataset == "" && len(args) == 0 {
				return usagef("give --dataset NAME or at least one PATH")
			}
			type batch struct {
				name  string
				snaps []*metagraph.Snapshot
			}
			var batches []batch
			if dataset != "" {
				for _, name := range strings.Split(dataset, ",") {
					snaps, err := datasets.Load(strings.TrimSpace(name))
					if err != nil {
						return err
					}
					batches = append(batches, batch{"dataset " + name, snaps})
				}
			}
			for _, p := range args {
				snaps, err := metagraph.ImportPath(p)
				if err != nil {
					return err
				}
				batches = append(batches, batch{p, snaps})
			}
			st, err := metagraph.OpenStore(store)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, b := range batches {
				if err := st.PutAll(cmd.Context(), b.snaps); err != nil {
					return badinput.WithFile(err, b.name)
				}
				fmt.Fprintf(e.stdout, "%s: %d snapshots\n", b.name, len(b.snaps))
			}
			subs, err := st.Subnets(cmd.Context())
			if err != nil {
				return err
			}
			for _, n := range subs {
				blocks, err := st.Blocks(cmd.Context(), n, 0, 0)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "store %s: netuid %d: %d snapshots, blocks %d-%d\n", store, n, len(blocks), blocks[0], blocks[len(blocks)-1])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&store, "store", "", "snapshot store (SQLite file; created if missing)")
	cmd.Flags().StringVar(&dataset, "dataset", "", "import a bundled dataset: "+datasetNames())
	return cmd
}

func newDiagnoseExportCmd(e *env) *cobra.Command {
	var (
		store, out, netuids string
		from, to            uint64
	)
	cmd := &cobra.Command{
		Use:   "export --store FILE --netuid N --out DIR",
		Short: "Write snapshots from a store as snapshot files (netuid<N>_block<B>.json.gz)",
		Long: `Write the snapshots of the given subnets and block range from a snapshot store
into DIR, one gzip-compressed snapshot file per block (the format of
docs/snapshots.md), e.g. to share a history or to edit it before
'yuma diagnose --snapshots DIR'.`,
		Example: "  yuma diagnose export --store yuma.db --netuid 31 --from 3600000 --out snaps/",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if store == "" || out == "" {
				return usagef("--store and --out are required")
			}
			d := diagnoseFlags{store: store, netuids: netuids, from: from, to: to}
			srcs, err := d.sources(cmd.Context())
			if err != nil {
				return err
			}
			for _, src := range srcs {
				for _, s := range src.Snapshots {
					name := filepath.Join(out, fmt.Sprintf("netuid%d_block%d.json.gz", s.Netuid, s.Block))
					if err := metagraph.WriteSnapshotFile(name, s); err != nil {
						return err
					}
				}
				fmt.Fprintf(e.stdout, "%s: %d snapshots written to %s\n", src.Name, len(src.Snapshots), out)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&store, "store", "", "snapshot store to read")
	f.StringVar(&netuids, "netuid", "", "subnet(s), e.g. 31 or 31,15")
	f.Uint64Var(&from, "from", 0, "first block")
	f.Uint64Var(&to, "to", 0, "last block (0 = latest)")
	f.StringVar(&out, "out", "", "output directory")
	return cmd
}
