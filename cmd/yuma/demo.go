package main

import (
	"fmt"
	"html/template"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/yuma-go/yuma/diagnose"
	"github.com/yuma-go/yuma/internal/atomicfile"
	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/paper"
)

func newDemoCmd(e *env) *cobra.Command {
	var (
		out     string
		noPaper bool
		d       diagnoseFlags
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the main job on bundled data: paper reproduction and the diagnostic on SN31",
		Long: `Run the main job offline on the data embedded in the binary:

  1. the liquid-alpha paper's reproduction (as 'yuma paper'), into --out/paper;
  2. the weight-copying diagnostic on the bundled SN31 history (100 tempos of
     real finney weights), with the notebook's grid, into --out/diagnose;

and write one HTML report with both, charts inline, to --out/index.html.`,
		Example: "  yuma demo\n  yuma demo --out /tmp/demo --tempos 20",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			start := time.Now()
			o, err := d.options()
			if err != nil {
				return err
			}
			src, err := diagnose.LoadDataset("sn31")
			if err != nil {
				return err
			}
			o.Sources = []diagnose.Source{src}
			var sections []template.HTML
			if !noPaper {
				bar := progress.NewBar(e.stderr, "paper")
				pr, err := paper.Run(cmd.Context(), paper.Options{Workers: d.workers, Progress: bar.Func()})
				bar.Done()
				if err != nil {
					return fmt.Errorf("paper reproduction: %w", err)
				}
				if err := pr.Write(filepath.Join(out, "paper")); err != nil {
					return err
				}
				sec, err := pr.HTMLSection()
				if err != nil {
					return err
				}
				sections = append(sections, sec)
				fmt.Fprintf(e.stdout, "paper reproduction: %s\n\n", filepath.Join(out, "paper"))
			}
			bar := progress.NewBar(e.stderr, "diagnose sn31")
			res, err := diagnose.Run(cmd.Context(), o, bar.Func())
			bar.Done()
			if err != nil {
				return fmt.Errorf("diagnostic: %w", err)
			}
			dir := filepath.Join(out, "diagnose")
			if err := res.WriteFiles(dir, !d.noPNG); err != nil {
				return err
			}
			printSummary(e, res, dir)
			sec, err := res.HTMLSection()
			if err != nil {
				return err
			}
			sections = append(sections, sec)
			page, err := diagnose.Page("yuma demo: the liquid-alpha paper and the weight-copying diagnostic on SN31", sections...)
			if err != nil {
				return err
			}
			index := filepath.Join(out, "index.html")
			if err := atomicfile.WriteFile(index, page); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "\nreport: %s (%.1f s)\n", index, time.Since(start).Seconds())
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", filepath.Join("yuma-out", "demo"), "output directory")
	cmd.Flags().BoolVar(&noPaper, "no-paper", false, "skip the paper reproduction")
	d.register(cmd, false)
	return cmd
}
