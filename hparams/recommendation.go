package hparams

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/internal/badinput"
)

// pick mirrors one "best" entry of `yuma diagnose`'s recommendation.json.
type pick struct {
	Found        bool     `json:"found"`
	RevealPeriod *int     `json:"reveal_period"`
	AlphaLow     *float64 `json:"alpha_low"`
	AlphaHigh    *float64 `json:"alpha_high"`
	Steepness    *float64 `json:"steepness"`
}

// FromRecommendation reads the recommendation.json written by `yuma diagnose`
// and turns the recommended ("best") setting of one subnet into settings:
// commit_reveal_period (reveal period 0 means commit-reveal off), and, when
// the pick uses liquid alpha, alpha_low, alpha_high and the steepness. subnet
// may be empty when the file holds one subnet. The note says what of the
// pick has no chain equivalent (see Pick.Args). Problems are *badinput.Errors
// naming file.
func FromRecommendation(r io.Reader, file, subnet string) ([]Setting, string, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, "", badinput.New(file, "", "", "read: %v", err)
	}
	var doc struct {
		Complete        *bool                      `json:"complete"`
		Recommendations map[string]json.RawMessage `json:"recommendations"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, "", badinput.New(file, "", "", "not a recommendation.json: %v", err)
	}
	if doc.Complete != nil && !*doc.Complete {
		return nil, "", badinput.New(file, "", "complete", "partial (sharded) result: merge the shards with `yuma diagnose merge` first")
	}
	names := make([]string, 0, len(doc.Recommendations))
	for n := range doc.Recommendations {
		names = append(names, n)
	}
	sort.Strings(names)
	switch {
	case len(names) == 0:
		return nil, "", badinput.New(file, "", "recommendations", "no subnet in the file")
	case subnet == "" && len(names) > 1:
		return nil, "", badinput.New(file, "", "recommendations", "several subnets (%s): choose one with --subnet", strings.Join(names, ", "))
	case subnet == "":
		subnet = names[0]
	}
	raw, ok := doc.Recommendations[subnet]
	if !ok {
		return nil, "", badinput.New(file, "", "recommendations", "no subnet %q (have %s)", subnet, strings.Join(names, ", "))
	}
	var rec struct {
		LiquidAlpha string `json:"liquid_alpha"`
		Best        *pick  `json:"best"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil || rec.Best == nil {
		return nil, "", badinput.New(file, "recommendations."+subnet, "best", "missing or malformed")
	}
	b := rec.Best
	loc := "recommendations." + subnet + ".best"
	if !b.Found || b.RevealPeriod == nil {
		return nil, "", badinput.New(file, loc, "found", "the diagnostic found no setting to recommend")
	}
	if *b.RevealPeriod < 0 {
		return nil, "", badinput.New(file, loc, "reveal_period", "%d is negative", *b.RevealPeriod)
	}
	pk := Pick{RevealPeriod: *b.RevealPeriod, LiquidAlpha: rec.LiquidAlpha}
	if b.AlphaLow != nil || b.AlphaHigh != nil {
		if b.AlphaLow == nil || b.AlphaHigh == nil {
			return nil, "", badinput.New(file, loc, "alpha_low", "alpha_low and alpha_high must both be given")
		}
		pk.HasAlpha, pk.AlphaLow, pk.AlphaHigh = true, *b.AlphaLow, *b.AlphaHigh
		if b.Steepness != nil {
			pk.Steepness = *b.Steepness
		}
	}
	args, note := pk.Args()
	out := make([]Setting, 0, len(args))
	for _, a := range args {
		p, v, err := ParseAssignment(a)
		if err == nil {
			var raw int64
			if raw, err = Encode(p, v, p.Name); err == nil {
				out = append(out, Setting{Param: p, Raw: raw})
				continue
			}
		}
		name, _, _ := strings.Cut(a, "=")
		return nil, "", badinput.WithFile(badinput.New("", loc, name, "%v", err), file)
	}
	return out, note, nil
}

// Pick is one recommended setting of `yuma diagnose`.
type Pick struct {
	RevealPeriod int // 0 means commit-reveal off
	// LiquidAlpha is the diagnostic's liquid-alpha rule: "off", "v1",
	// "v1-paper" or "v2" ("" is read as the chain's current rule).
	LiquidAlpha                    string
	HasAlpha                       bool
	AlphaLow, AlphaHigh, Steepness float64
}

// Args turns the pick into NAME=VALUE arguments of `yuma hparams plan`, and a
// note when part of it has no chain equivalent.
//
// Alpha values found with the 2024 notebooks' rule ("v1-paper") bound the
// weight on the OLD bond, the opposite of every chain rule, so they are not
// turned into chain calls; alpha_low = alpha_high = 0.9 is the notebooks'
// "liquid alpha off" and becomes liquid_alpha_enabled=false.
func (p Pick) Args() (args []string, note string) {
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch {
	case !p.HasAlpha || p.LiquidAlpha == "off":
		args = append(args, "liquid_alpha_enabled=false")
	case p.LiquidAlpha == "v1-paper":
		if p.AlphaLow == 0.9 && p.AlphaHigh == 0.9 {
			args = append(args, "liquid_alpha_enabled=false")
			note = "alpha_low = alpha_high = 0.9 is the notebooks' liquid alpha off"
		} else {
			note = fmt.Sprintf("alpha_low %s / alpha_high %s follow the 2024 notebooks' convention (weight on the old bond) and have no chain equivalent; "+
				"run `yuma diagnose --yuma yuma3 --liquid-alpha v2` for values the current chain accepts", num(p.AlphaLow), num(p.AlphaHigh))
		}
	default:
		args = append(args, "alpha_low="+num(p.AlphaLow), "alpha_high="+num(p.AlphaHigh))
		if p.Steepness != 0 {
			args = append(args, "alpha_sigmoid_steepness="+num(p.Steepness))
		}
		if p.LiquidAlpha == "v1" {
			note = "alpha values found with liquid alpha v1 (2024 runtime); check them with `yuma hparams check --runtime v1`"
		}
	}
	if p.RevealPeriod > 0 {
		args = append(args, "commit_reveal_weights_enabled=true", "commit_reveal_period="+strconv.Itoa(p.RevealPeriod))
	} else {
		args = append(args, "commit_reveal_weights_enabled=false")
	}
	return args, note
}
