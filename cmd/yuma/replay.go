package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/replay"
)

func newReplayCmd(e *env) *cobra.Command {
	var fields string
	cmd := &cobra.Command{
		Use:   "replay FILE",
		Short: "Run a subnet replay file and print one JSON object per epoch",
		Long: `Run a replay file and print one JSON line per epoch on stdout.

A file with "steps" drives the chain's state machine (register, set_weights,
set_stake, reset_bonds, commit/reveal, epoch); a file with "epochs" is a matrix
replay of explicit stake and weights per epoch, run on the float64 engine
(any Yuma variant, compat chain, yuma-simulation or notebook). A step file
with "engine": "float" runs the state machine on the float64 subnet engine.
See docs/replay.md and docs/replay-matrix.md.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := replay.Options{FloatEngine: epoch.NewSubnet()}
			if fields != "" {
				opts.Fields = strings.Split(fields, ",")
			}
			bar := progress.NewBar(e.stderr, "replay")
			defer bar.Done()
			opts.Progress = bar.Func()
			return replay.RunFile(cmd.Context(), args[0], opts, e.stdout)
		},
	}
	cmd.Flags().StringVar(&fields, "fields", "", "comma-separated output fields to keep (e.g. dividends,incentive)")
	return cmd
}
