package hparams

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Setting is one hyperparameter with its raw chain value.
type Setting struct {
	Param Param
	Raw   int64
}

// PlanOptions names the subnet and wallet the printed calls use.
type PlanOptions struct {
	Netuid  int    // -1 prints a <NETUID> placeholder
	Wallet  string // wallet (coldkey) name; "" prints <WALLET>
	Network string // btcli/SDK network name, e.g. "finney"
	Runtime string // EraCurrent or EraV1 for the rule check
}

// Step is one extrinsic of a plan.
type Step struct {
	Extrinsic string           `json:"extrinsic"`
	Args      map[string]int64 `json:"args"` // raw chain values, netuid excluded
	Human     map[string]any   `json:"human"`
	Btcli     string           `json:"btcli"`
	SDK       string           `json:"sdk"` // Python lines composing and submitting the call
}

// Plan is the ordered list of calls that sets a configuration, with the rule
// check of the whole set and the pitfalls that apply.
type Plan struct {
	Steps    []Step   `json:"steps"`
	Check    Report   `json:"check"`
	Warnings []string `json:"warnings"`
}

// MakePlan orders the settings into extrinsic calls: liquid alpha is enabled
// first, alpha_low and alpha_high go together in one sudo_set_alpha_values,
// the rest follow in name order. It always returns the plan; Plan.Check says
// whether the chain would accept it as the subnet owner.
func MakePlan(settings []Setting, opt PlanOptions) (Plan, error) {
	if opt.Runtime == "" {
		opt.Runtime = EraCurrent
	}
	set := map[string]int64{}
	for _, s := range settings {
		set[s.Param.Name] = s.Raw
	}
	var pl Plan
	pl.Warnings = []string{}
	_, hasLo := set["alpha_low"]
	_, hasHi := set["alpha_high"]
	alpha := hasLo || hasHi
	if alpha {
		if _, ok := set["liquid_alpha_enabled"]; !ok {
			set["liquid_alpha_enabled"] = 1
			pl.Warnings = append(pl.Warnings, "liquid_alpha_enabled=true was added: the chain refuses alpha values while liquid alpha is off")
		}
		if !hasLo {
			set["alpha_low"] = 45875
		}
		if !hasHi {
			set["alpha_high"] = 58982
		}
	}
	rep, err := Check(set, opt.Runtime, Owner)
	if err != nil {
		return Plan{}, err
	}
	pl.Check = rep
	pl.Warnings = append(pl.Warnings, rep.Warnings...)

	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	order := []string{}
	if _, ok := set["liquid_alpha_enabled"]; ok {
		order = append(order, "liquid_alpha_enabled")
	}
	if alpha {
		order = append(order, "alpha_values")
	}
	for _, n := range names {
		if n != "liquid_alpha_enabled" && n != "alpha_low" && n != "alpha_high" {
			order = append(order, n)
		}
	}
	for _, n := range order {
		if n == "alpha_values" {
			pl.Steps = append(pl.Steps, alphaStep(set["alpha_low"], set["alpha_high"], opt))
			pl.Warnings = append(pl.Warnings, alphaWarnings(set["alpha_low"], set["alpha_high"])...)
			continue
		}
		p, _ := Lookup(n)
		pl.Steps = append(pl.Steps, singleStep(p, set[n], opt))
		pl.Warnings = append(pl.Warnings, paramWarnings(p, set[n])...)
	}
	if len(pl.Steps) > 0 {
		pl.Warnings = append(pl.Warnings,
			"owner changes are refused in the last 10 blocks of a tempo (AdminFreezeWindow) and each hyperparameter is rate-limited to one change per 2 tempos; space the calls out",
			"`btcli subnets hyperparameters` normalises kappa, alpha_low/high, max_weight_limit by 65535 and bonds_moving_avg by 2^64-1: read the raw column")
	}
	return pl, nil
}

func netuidText(opt PlanOptions) string {
	if opt.Netuid < 0 {
		return "<NETUID>"
	}
	return strconv.Itoa(opt.Netuid)
}

func walletText(opt PlanOptions) string {
	if opt.Wallet == "" {
		return "<WALLET>"
	}
	return opt.Wallet
}

func btcliPrefix(opt PlanOptions) string {
	s := "btcli sudo set --netuid " + netuidText(opt) + " --wallet.name " + walletText(opt)
	if opt.Network != "" {
		s += " --network " + opt.Network
	}
	return s
}

func sdkCall(ext string, args [][2]string, opt PlanOptions) string {
	parts := []string{`"netuid": ` + netuidText(opt)}
	for _, a := range args {
		parts = append(parts, fmt.Sprintf("%q: %s", a[0], a[1]))
	}
	return fmt.Sprintf("call = sub.substrate.compose_call(call_module=\"AdminUtils\", call_function=%q, call_params={%s})\n"+
		"ext = sub.substrate.create_signed_extrinsic(call=call, keypair=wallet.coldkey)\n"+
		"print(sub.substrate.submit_extrinsic(ext, wait_for_inclusion=True, wait_for_finalization=True).is_success)",
		ext, strings.Join(parts, ", "))
}

func pyValue(p Param, raw int64) string {
	if p.Encoding == Bool {
		if raw != 0 {
			return "True"
		}
		return "False"
	}
	return strconv.FormatInt(raw, 10)
}

func alphaStep(lo, hi int64, opt PlanOptions) Step {
	pl, _ := Lookup("alpha_low")
	ph, _ := Lookup("alpha_high")
	flo, fhi := Decode(pl, lo).(float64), Decode(ph, hi).(float64)
	return Step{
		Extrinsic: "sudo_set_alpha_values",
		Args:      map[string]int64{"alpha_low": lo, "alpha_high": hi},
		Human:     map[string]any{"alpha_low": flo, "alpha_high": fhi},
		Btcli: fmt.Sprintf("%s --param alpha_values --value %s,%s", btcliPrefix(opt),
			strconv.FormatFloat(flo, 'f', 6, 64), strconv.FormatFloat(fhi, 'f', 6, 64)),
		SDK: sdkCall("sudo_set_alpha_values", [][2]string{{"alpha_low", strconv.FormatInt(lo, 10)}, {"alpha_high", strconv.FormatInt(hi, 10)}}, opt),
	}
}

func singleStep(p Param, raw int64, opt PlanOptions) Step {
	btVal := pyValue(p, raw)
	return Step{
		Extrinsic: p.Extrinsic,
		Args:      map[string]int64{p.ArgName: raw},
		Human:     map[string]any{p.Name: Decode(p, raw)},
		Btcli:     fmt.Sprintf("%s --param %s --value %s", btcliPrefix(opt), p.BtcliName, btVal),
		SDK:       sdkCall(p.Extrinsic, [][2]string{{p.ArgName, pyValue(p, raw)}}, opt),
	}
}

// alphaWarnings lists btcli's client-side pitfalls for a pair of alpha values.
func alphaWarnings(lo, hi int64) []string {
	var w []string
	flo, fhi := float64(lo)/65535, float64(hi)/65535
	if !(fhi > 0.8 && fhi < 1.0) || !(flo >= 0 && flo <= 0.8) {
		w = append(w, fmt.Sprintf("btcli's own range check (0.8 < alpha_high < 1, 0 <= alpha_low <= 0.8) refuses alpha_low %.4f / alpha_high %.4f although the chain accepts them: use the Python SDK call", flo, fhi))
	}
	w = append(w, fmt.Sprintf("btcli converts the two floats with float_to_u16; check afterwards that the chain stores exactly %d,%d (raw integers given to btcli fail its float conversion)", lo, hi))
	w = append(w, "under liquid alpha v2 (current runtime) alpha bounds the weight on the NEW bond; the 2024 guide's values (alpha_high >= 0.8) bounded the weight on the OLD bond")
	return w
}

func paramWarnings(p Param, raw int64) []string {
	switch p.Name {
	case "bonds_moving_average":
		return []string{fmt.Sprintf("btcli displays bonds_moving_avg normalised by 2^64-1 (e.g. 900000 -> 4.88e-14); the chain divides by 1e6: %d means an EMA coefficient of %.6f on new bonds", raw, 1-float64(raw)/1e6)}
	case "alpha_sigmoid_steepness":
		return []string{fmt.Sprintf("btcli marks alpha_sigmoid_steepness root-only and shows it divided by 65535; the chain lets the owner set %d (slope %.2f): use the Python SDK call", raw, float64(raw)/100)}
	case "commit_reveal_period":
		return []string{"commit_reveal_period counts epochs (tempos), not blocks"}
	case "kappa":
		return []string{"kappa can only be set by root: the owner's call fails with BadOrigin"}
	}
	return nil
}

// PythonPreamble is printed before the SDK lines of a plan.
func PythonPreamble(opt PlanOptions) string {
	network := opt.Network
	if network == "" {
		network = "finney"
	}
	return fmt.Sprintf("import bittensor as bt\nwallet = bt.Wallet(name=%q)\nsub = bt.Subtensor(network=%q)", walletText(opt), network)
}
