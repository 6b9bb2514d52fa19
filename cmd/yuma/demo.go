package main

import (
	"fmt"
	"html/template"
	"path/filepath"
	"strings"
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
			sections = append([]template.HTML{demoIntro(res, !noPaper)}, sections...)
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

// demoIntro is the report's opening paragraph: what is in it and the
// diagnostic's answer in one sentence.
func demoIntro(res *diagnose.Result, withPaper bool) template.HTML {
	var b strings.Builder
	b.WriteString("<p>Everything below ran offline on data embedded in the binary.")
	if withPaper {
		b.WriteString(" First, the liquid-alpha working paper's simulated setting, re-run; then")
	} else {
		b.WriteString(" Below,")
	}
	b.WriteString(" the weight-copying diagnostic on 100 tempos of real SN31 weights (Bittensor finney, blocks 3,600,000&ndash;3,635,640).")
	for _, s := range res.Subnets {
		if r := s.Recommendation; r != nil {
			if r.NoLABelowOne.Found {
				fmt.Fprintf(&b, " <strong>On %s a consensus copier stops out-earning the median honest validator (G &lt; 1) from a reveal period of %s", template.HTMLEscapeString(s.Name), tempos(r.NoLABelowOne.RevealPeriod))
				if r.NoLABelowTake.Found {
					fmt.Fprintf(&b, ", and stops paying after an %.0f%% take from %s.</strong>", 100*res.Config.Take, tempos(r.NoLABelowTake.RevealPeriod))
				} else {
					fmt.Fprintf(&b, "; no reveal period of the grid pushes it below 1 &minus; take (%.2f).</strong>", r.TakeThreshold)
				}
			}
		}
	}
	b.WriteString("</p>")
	return template.HTML(b.String())
}

func tempos(n int) string {
	if n == 1 {
		return "1 tempo"
	}
	return fmt.Sprintf("%d tempos", n)
}
