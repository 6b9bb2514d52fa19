package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/yuma-go/yuma/hparams"
	"github.com/yuma-go/yuma/internal/badinput"
)

func newHparamsCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "hparams",
		Short: "Encode, decode and validate subnet hyperparameters",
		Long: `Encode, decode and validate subnet hyperparameters, and print the btcli and
Python SDK calls that set them.

  yuma hparams list
  yuma hparams encode alpha_low 0.1          # 6554 (u16 fractions round half up)
  yuma hparams decode alpha_high 52428       # 0.8
  yuma hparams check --runtime current liquid_alpha_enabled=1 alpha_low=3277 alpha_high=26214
  yuma hparams plan --netuid 1 alpha_low=0.05 alpha_high=0.4 commit_reveal_period=3
  yuma hparams from-btcli bonds_moving_avg 4.878909776e-14   # raw 900000`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "machine-readable JSON output")
	cmd.AddCommand(hparamsList(e, &asJSON), hparamsEncode(e, &asJSON), hparamsDecode(e, &asJSON),
		hparamsCheck(e, &asJSON), hparamsPlan(e, &asJSON), hparamsFromBtcli(e, &asJSON))
	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func lookupArg(name string) (hparams.Param, error) {
	p, ok := hparams.Lookup(name)
	if !ok {
		return p, badinput.New("", "", name, "unknown hyperparameter (see `yuma hparams list`)")
	}
	return p, nil
}

func hparamsList(e *env, asJSON *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Print the hyperparameter catalogue",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			cat := hparams.Catalogue()
			if *asJSON {
				return writeJSON(e.stdout, cat)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tTYPE\tENCODING\tDEFAULT\tSET BY\tEXTRINSIC")
			for _, p := range cat {
				def := hparams.Format(hparams.Decode(p, p.Default))
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d (%s)\t%s\t%s\n", p.Name, p.Type, p.Encoding, p.Default, def, p.SetBy, p.Extrinsic)
			}
			return tw.Flush()
		},
	}
}

type codeResult struct {
	Name     string `json:"name"`
	Encoding string `json:"encoding"`
	Raw      int64  `json:"raw"`
	Value    any    `json:"value"`
}

func hparamsEncode(e *env, asJSON *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "encode NAME VALUE",
		Short: "Convert a human value (0.1, 10, true) to the raw chain integer",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			p, err := lookupArg(args[0])
			if err != nil {
				return err
			}
			raw, err := hparams.Encode(p, args[1], p.Name)
			if err != nil {
				return err
			}
			if *asJSON {
				return writeJSON(e.stdout, codeResult{p.Name, string(p.Encoding), raw, hparams.Decode(p, raw)})
			}
			fmt.Fprintln(e.stdout, raw)
			return nil
		},
	}
}

func hparamsDecode(e *env, asJSON *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "decode NAME RAW",
		Short: "Convert a raw chain integer to its human value",
		Args:  cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			p, err := lookupArg(args[0])
			if err != nil {
				return err
			}
			raw, err := hparams.ParseRaw(p, args[1], p.Name)
			if err != nil {
				return err
			}
			v := hparams.Decode(p, raw)
			if *asJSON {
				return writeJSON(e.stdout, codeResult{p.Name, string(p.Encoding), raw, v})
			}
			fmt.Fprintln(e.stdout, hparams.Format(v))
			return nil
		},
	}
}

func hparamsFromBtcli(e *env, asJSON *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "from-btcli NAME SHOWN",
		Short: "Undo btcli's normalised display: raw value and real meaning of what btcli shows",
		Long: `btcli's "normalised" column divides bonds_moving_avg by 2^64-1 and
alpha_sigmoid_steepness by 65535, which the chain does not do. from-btcli turns
the shown number back into the raw chain value and its real meaning:

  yuma hparams from-btcli bonds_moving_avg 4.878909776e-14   # raw 900000 = 0.9`,
		Args: cobra.ExactArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			p, err := lookupArg(args[0])
			if err != nil {
				return err
			}
			raw, err := hparams.FromBtcli(p, args[1], p.Name)
			if err != nil {
				return err
			}
			v := hparams.Decode(p, raw)
			if *asJSON {
				return writeJSON(e.stdout, codeResult{p.Name, string(p.Encoding), raw, v})
			}
			fmt.Fprintf(e.stdout, "raw %d = %s\n", raw, hparams.Format(v))
			return nil
		},
	}
}

func hparamsCheck(e *env, asJSON *bool) *cobra.Command {
	var runtime, origin string
	cmd := &cobra.Command{
		Use:   "check NAME=RAW...",
		Short: "Check raw values against the chain's setter rules (exit 2 when refused)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			set := map[string]int64{}
			for _, a := range args {
				p, v, err := hparams.ParseAssignment(a)
				if err != nil {
					return err
				}
				raw, err := hparams.ParseRaw(p, v, p.Name)
				if err != nil {
					return err
				}
				set[p.Name] = raw
			}
			r, err := hparams.Check(set, runtime, hparams.Origin(origin))
			if err != nil {
				return err
			}
			if *asJSON {
				if err := writeJSON(e.stdout, r); err != nil {
					return err
				}
			} else {
				for _, w := range r.Warnings {
					fmt.Fprintln(e.stdout, "warning:", w)
				}
				if r.Accepted {
					fmt.Fprintf(e.stdout, "accepted (runtime %s, origin %s)\n", r.Runtime, r.Origin)
				}
				for _, v := range r.Violations {
					fmt.Fprintf(e.stdout, "refused: %s: %s (%s)\n", v.Param, v.Error, v.Rule)
				}
			}
			return r.Err()
		},
	}
	cmd.Flags().StringVar(&runtime, "runtime", hparams.EraCurrent, "runtime era: v1 (liquid alpha v1, 2024-07..2025-06) or current")
	cmd.Flags().StringVar(&origin, "origin", string(hparams.Owner), "who signs: owner or root")
	return cmd
}

func hparamsPlan(e *env, asJSON *bool) *cobra.Command {
	var opt hparams.PlanOptions
	var recFile, subnet string
	cmd := &cobra.Command{
		Use:   "plan [--recommendation recommendation.json] NAME=VALUE...",
		Short: "Print the btcli and Python SDK calls that set human values",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 && recFile == "" {
				return usagef("plan requires at least 1 NAME=VALUE argument or --recommendation")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			var settings []hparams.Setting
			seen := map[string]bool{}
			if recFile != "" {
				f, err := os.Open(recFile)
				if err != nil {
					return badinput.New(recFile, "", "", "%v", err)
				}
				fromRec, note, err := hparams.FromRecommendation(f, recFile, subnet)
				f.Close()
				if err != nil {
					return err
				}
				if note != "" {
					fmt.Fprintln(e.stderr, "note:", note)
				}
				overridden := map[string]bool{}
				for _, a := range args {
					if p, _, err := hparams.ParseAssignment(a); err == nil {
						overridden[p.Name] = true
					}
				}
				for _, s := range fromRec {
					if !overridden[s.Param.Name] {
						settings = append(settings, s)
						seen[s.Param.Name] = true
					}
				}
			}
			for _, a := range args {
				p, v, err := hparams.ParseAssignment(a)
				if err != nil {
					return err
				}
				if seen[p.Name] {
					return badinput.New("", "", p.Name, "given twice")
				}
				seen[p.Name] = true
				raw, err := hparams.Encode(p, v, p.Name)
				if err != nil {
					return err
				}
				settings = append(settings, hparams.Setting{Param: p, Raw: raw})
			}
			if opt.Netuid < -1 || opt.Netuid > 65535 {
				return usagef("--netuid %d is outside 0..65535", opt.Netuid)
			}
			pl, err := hparams.MakePlan(settings, opt)
			if err != nil {
				return err
			}
			if *asJSON {
				if err := writeJSON(e.stdout, pl); err != nil {
					return err
				}
				return pl.Check.Err()
			}
			printPlan(e.stdout, pl, opt)
			return pl.Check.Err()
		},
	}
	cmd.Flags().IntVar(&opt.Netuid, "netuid", -1, "subnet id used in the printed calls (-1: a <NETUID> placeholder)")
	cmd.Flags().StringVar(&opt.Wallet, "wallet", "", "owner wallet name used in the printed calls")
	cmd.Flags().StringVar(&opt.Network, "network", "", "network name for btcli and the SDK (default finney)")
	cmd.Flags().StringVar(&opt.Runtime, "runtime", hparams.EraCurrent, "runtime era whose rules the plan is checked against: v1 or current")
	cmd.Flags().StringVar(&recFile, "recommendation", "", "FILE recommendation.json written by yuma diagnose: plan its best setting (NAME=VALUE arguments override it)")
	cmd.Flags().StringVar(&subnet, "subnet", "", "subnet name in the recommendation file when it holds several")
	return cmd
}

func printPlan(w io.Writer, pl hparams.Plan, opt hparams.PlanOptions) {
	fmt.Fprintln(w, "# btcli, in this order:")
	for i, s := range pl.Steps {
		var args []string
		for k, v := range s.Args {
			args = append(args, fmt.Sprintf("%s=%d", k, v))
		}
		fmt.Fprintf(w, "# %d. %s (raw %s)\n%s\n", i+1, s.Extrinsic, strings.Join(sortedStrings(args), ", "), s.Btcli)
	}
	fmt.Fprintln(w, "\n# Python SDK (bittensor), same order:")
	fmt.Fprintln(w, hparams.PythonPreamble(opt))
	for _, s := range pl.Steps {
		fmt.Fprintln(w, s.SDK)
	}
	if len(pl.Warnings) > 0 {
		fmt.Fprintln(w, "\n# warnings:")
		for _, x := range pl.Warnings {
			fmt.Fprintln(w, "#  -", x)
		}
	}
	if pl.Check.Accepted {
		fmt.Fprintf(w, "\n# chain check (runtime %s, owner): accepted\n", pl.Check.Runtime)
	} else {
		for _, v := range pl.Check.Violations {
			fmt.Fprintf(w, "\n# chain check: REFUSED %s: %s (%s)\n", v.Param, v.Error, v.Rule)
		}
	}
}

func sortedStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}
