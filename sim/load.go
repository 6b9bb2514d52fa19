package sim

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/yuma-go/yuma/internal/badinput"
)

// LoadFile reads and validates a scenario file (YAML or JSON).
func LoadFile(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, badinput.New(path, "", "", "cannot read scenario: %v", err)
	}
	return ParseScenario(path, data)
}

// Resolve returns the scenario named by arg: a file when arg names an
// existing file or ends in .yaml, .yml or .json, otherwise a catalogue entry.
// The second result is the file name for error messages ("" for catalogue
// entries).
func Resolve(arg string, opts CatalogueOptions) (*Scenario, string, error) {
	lower := strings.ToLower(arg)
	isFile := strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".json")
	if st, err := os.Stat(arg); err == nil && st.Mode().IsRegular() {
		isFile = true
	}
	if isFile {
		sc, err := LoadFile(arg)
		return sc, arg, err
	}
	if sc, ok := Lookup(arg, opts); ok {
		return sc, "", nil
	}
	return nil, "", badinput.New("", "", "scenario", "%q is neither a scenario file nor a built-in case (see yuma simulate --list)", arg)
}

// MergeParams returns base with every field set in over replacing base's.
func MergeParams(base, over ParamSpec) ParamSpec {
	if over.Kappa != nil {
		base.Kappa = over.Kappa
	}
	if over.BondsPenalty != nil {
		base.BondsPenalty = over.BondsPenalty
	}
	if over.BondsMovingAverage != nil {
		base.BondsMovingAverage = over.BondsMovingAverage
	}
	if over.AlphaLow != nil {
		base.AlphaLow = over.AlphaLow
	}
	if over.AlphaHigh != nil {
		base.AlphaHigh = over.AlphaHigh
	}
	if over.AlphaSigmoidSteepness != nil {
		base.AlphaSigmoidSteepness = over.AlphaSigmoidSteepness
	}
	if over.LiquidAlphaWeights != nil {
		base.LiquidAlphaWeights = over.LiquidAlphaWeights
	}
	if over.LiquidAlphaConsensus != nil {
		base.LiquidAlphaConsensus = over.LiquidAlphaConsensus
	}
	if over.WinnerTakesAll != nil {
		base.WinnerTakesAll = over.WinnerTakesAll
	}
	if over.DecayRate != nil {
		base.DecayRate = over.DecayRate
	}
	if over.CapacityAlpha != nil {
		base.CapacityAlpha = over.CapacityAlpha
	}
	return base
}

// ParseParamAssignments parses "name=value" strings (the CLI's --param flag)
// with the scenario file's parameter names into a ParamSpec. Values are not
// range-checked here; Run checks them.
func ParseParamAssignments(assigns []string) (ParamSpec, error) {
	var b strings.Builder
	for _, a := range assigns {
		name, value, ok := strings.Cut(a, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, ":#{}[]\n") || strings.ContainsAny(value, "\n#{}[]") {
			return ParamSpec{}, badinput.New("", "", "--param", "want name=value, got %q", a)
		}
		fmt.Fprintf(&b, "%s: %s\n", name, strings.TrimSpace(value))
	}
	var p ParamSpec
	dec := yaml.NewDecoder(strings.NewReader(b.String()))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil && b.Len() > 0 {
		msg := strings.ReplaceAll(strings.TrimPrefix(err.Error(), "yaml: "), "\n", "; ")
		msg = strings.ReplaceAll(msg, "sim.", "")
		return ParamSpec{}, badinput.New("", "", "--param", "%s", msg)
	}
	return p, nil
}
