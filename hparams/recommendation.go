package hparams

import (
	"encoding/json"
	"io"
	"math"
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
// may be empty when the file holds one subnet. Problems are *badinput.Errors
// naming file.
func FromRecommendation(r io.Reader, file, subnet string) ([]Setting, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, badinput.New(file, "", "", "read: %v", err)
	}
	var doc struct {
		Complete        *bool                      `json:"complete"`
		Recommendations map[string]json.RawMessage `json:"recommendations"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, badinput.New(file, "", "", "not a recommendation.json: %v", err)
	}
	if doc.Complete != nil && !*doc.Complete {
		return nil, badinput.New(file, "", "complete", "partial (sharded) result: merge the shards with `yuma diagnose merge` first")
	}
	names := make([]string, 0, len(doc.Recommendations))
	for n := range doc.Recommendations {
		names = append(names, n)
	}
	sort.Strings(names)
	switch {
	case len(names) == 0:
		return nil, badinput.New(file, "", "recommendations", "no subnet in the file")
	case subnet == "" && len(names) > 1:
		return nil, badinput.New(file, "", "recommendations", "several subnets (%s): choose one with --subnet", strings.Join(names, ", "))
	case subnet == "":
		subnet = names[0]
	}
	raw, ok := doc.Recommendations[subnet]
	if !ok {
		return nil, badinput.New(file, "", "recommendations", "no subnet %q (have %s)", subnet, strings.Join(names, ", "))
	}
	var rec struct {
		Best *pick `json:"best"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil || rec.Best == nil {
		return nil, badinput.New(file, "recommendations."+subnet, "best", "missing or malformed")
	}
	b := rec.Best
	loc := "recommendations." + subnet + ".best"
	if !b.Found || b.RevealPeriod == nil {
		return nil, badinput.New(file, loc, "found", "the diagnostic found no setting to recommend")
	}
	var out []Setting
	add := func(name string, value string) error {
		p, _ := Lookup(name)
		v, err := Encode(p, value, name)
		if err != nil {
			return badinput.WithFile(badinput.New("", loc, name, "%v", err), file)
		}
		out = append(out, Setting{Param: p, Raw: v})
		return nil
	}
	if *b.RevealPeriod < 0 {
		return nil, badinput.New(file, loc, "reveal_period", "%d is negative", *b.RevealPeriod)
	}
	if *b.RevealPeriod == 0 {
		if err := add("commit_reveal_weights_enabled", "false"); err != nil {
			return nil, err
		}
	} else {
		if err := add("commit_reveal_weights_enabled", "true"); err != nil {
			return nil, err
		}
		if err := add("commit_reveal_period", strconv.Itoa(*b.RevealPeriod)); err != nil {
			return nil, err
		}
	}
	if b.AlphaLow != nil || b.AlphaHigh != nil {
		if b.AlphaLow == nil || b.AlphaHigh == nil {
			return nil, badinput.New(file, loc, "alpha_low", "alpha_low and alpha_high must both be given")
		}
		for _, kv := range []struct {
			name string
			v    float64
		}{{"alpha_low", *b.AlphaLow}, {"alpha_high", *b.AlphaHigh}} {
			if math.IsNaN(kv.v) || math.IsInf(kv.v, 0) {
				return nil, badinput.New(file, loc, kv.name, "%v is not a number", kv.v)
			}
			if err := add(kv.name, strconv.FormatFloat(kv.v, 'f', -1, 64)); err != nil {
				return nil, err
			}
		}
		if b.Steepness != nil && *b.Steepness != 0 {
			if err := add("alpha_sigmoid_steepness", strconv.FormatFloat(*b.Steepness, 'f', -1, 64)); err != nil {
				return nil, err
			}
		}
	} else if err := add("liquid_alpha_enabled", "false"); err != nil {
		return nil, err
	}
	return out, nil
}
