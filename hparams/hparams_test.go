package hparams

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
)

func mustLookup(t testing.TB, name string) Param {
	t.Helper()
	p, ok := Lookup(name)
	if !ok {
		t.Fatalf("Lookup(%q) failed", name)
	}
	return p
}

func TestEncodeTable(t *testing.T) {
	cases := []struct {
		name, value string
		raw         int64
	}{
		{"alpha_low", "0.1", 6554},   // the guide's example, 6553.5 rounded half up
		{"alpha_high", "0.8", 52428}, // exact
		{"alpha_high", "0.85", 55705},
		{"alpha_low", "0.7", 45875}, // the chain default 45875 is 0.7 rounded half up
		{"alpha_high", "0.9", 58982},
		{"alpha_low", "0.025", 1638},
		{"kappa", "0.5", 32768},
		{"kappa", "1", 65535},
		{"kappa", "0", 0},
		{"bonds_moving_average", "0.975", 975000},
		{"bonds_moving_avg", "0.9", 900000},
		{"bonds_moving_average", "0.0000005", 1},
		{"alpha_sigmoid_steepness", "10", 1000},
		{"alpha_sigmoid_steepness", "-2.5", -250},
		{"alpha_sigmoid_steepness", "0.005", 1},
		{"commit_reveal_period", "3", 3},
		{"tempo", "360", 360},
		{"liquid_alpha_enabled", "true", 1},
		{"liquid_alpha_enabled", "False", 0},
		{"min_burn", "0.0005", 500000},
		{"activity_cutoff_factor", "13.889", 13889},
	}
	for _, c := range cases {
		p := mustLookup(t, c.name)
		got, err := Encode(p, c.value, c.name)
		if err != nil {
			t.Errorf("Encode(%s, %s): %v", c.name, c.value, err)
			continue
		}
		if got != c.raw {
			t.Errorf("Encode(%s, %s) = %d, want %d", c.name, c.value, got, c.raw)
		}
	}
}

func TestEncodeRejects(t *testing.T) {
	cases := []struct{ name, value, reason string }{
		{"alpha_low", "1.1", "[0, 1]"},
		{"alpha_low", "-0.1", "[0, 1]"},
		{"alpha_low", "NaN", "not a decimal"},
		{"alpha_low", "Inf", "not a decimal"},
		{"alpha_low", "1/3", "not a decimal"},
		{"alpha_low", "", "empty"},
		{"alpha_sigmoid_steepness", "400", "i16 range"},
		{"commit_reveal_period", "1.5", "not an integer"},
		{"commit_reveal_period", "-1", "u64 range"},
		{"tempo", "70000", "u16 range"},
		{"liquid_alpha_enabled", "maybe", "not a boolean"},
		{"weights_version", "99999999999999999999999", "does not fit"},
		{"alpha_low", "1e999999", "out of range"},
		{"alpha_low", "1e-41", "out of range"},
		{"alpha_low", "0." + strings.Repeat("1", 80), "out of range"},
	}
	for _, c := range cases {
		p := mustLookup(t, c.name)
		_, err := Encode(p, c.value, c.name)
		if err == nil || !badinput.Is(err) || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("Encode(%s, %q) error = %v, want bad input containing %q", c.name, c.value, err, c.reason)
		}
	}
}

// Every u16 raw value decodes to a float that encodes back to the same raw value.
func TestU16RoundTrip(t *testing.T) {
	p := mustLookup(t, "alpha_low")
	for raw := int64(0); raw <= 65535; raw++ {
		f := Decode(p, raw).(float64)
		got, err := Encode(p, strconv.FormatFloat(f, 'g', -1, 64), "x")
		if err != nil || got != raw {
			t.Fatalf("raw %d -> %v -> %d (%v)", raw, f, got, err)
		}
	}
}

func TestRoundTripAllParams(t *testing.T) {
	for _, p := range Catalogue() {
		lo, hi := p.Bounds()
		for _, raw := range []int64{lo, hi, p.Default, (lo + hi) / 2} {
			if raw > 1<<52 || (p.Encoding.fraction() && raw > p.Encoding.scale()) {
				continue // not representable as a float64 human value / not a proportion
			}
			v := Decode(p, raw)
			s := Format(v)
			if f, ok := v.(float64); ok {
				s = strconv.FormatFloat(f, 'g', -1, 64)
			}
			got, err := Encode(p, s, p.Name)
			if err != nil || got != raw {
				t.Errorf("%s: raw %d -> %q -> %d (%v)", p.Name, raw, s, got, err)
			}
		}
	}
}

func TestCatalogueConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Catalogue() {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if seen[n] {
				t.Errorf("name %q used twice", n)
			}
			seen[n] = true
		}
		lo, hi := p.Bounds()
		if p.Default < lo || p.Default > hi {
			t.Errorf("%s: default %d outside %d..%d", p.Name, p.Default, lo, hi)
		}
		if p.Extrinsic == "" || p.ArgName == "" || p.SetBy == "" || p.Meaning == "" {
			t.Errorf("%s: incomplete entry %+v", p.Name, p)
		}
	}
	for _, want := range []string{"kappa", "alpha_low", "alpha_high", "bonds_moving_average", "alpha_sigmoid_steepness", "commit_reveal_period", "liquid_alpha_enabled", "bonds_penalty", "tempo"} {
		if !seen[want] {
			t.Errorf("catalogue misses %s", want)
		}
	}
	if _, ok := Lookup("Alpha-Low"); !ok {
		t.Error("Lookup is not case/dash tolerant")
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup found an unknown name")
	}
}

func TestCheckRules(t *testing.T) {
	cases := []struct {
		set    map[string]int64
		era    string
		origin Origin
		rule   string // "" means accepted
	}{
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 6554, "alpha_high": 52428}, EraCurrent, Owner, ""},
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 6554, "alpha_high": 52428}, EraV1, Owner, ""},
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 1638, "alpha_high": 1638}, EraCurrent, Owner, ""},
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 1637, "alpha_high": 26214}, EraCurrent, Owner, "AlphaLowOutOfRange"},
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 30000, "alpha_high": 26214}, EraCurrent, Owner, "AlphaLowOutOfRange"},
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 1000, "alpha_high": 1637}, EraCurrent, Owner, "AlphaHighTooLow"},
		// LA2-style values: accepted now, refused by v1.
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 3277, "alpha_high": 26214}, EraCurrent, Owner, ""},
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 3277, "alpha_high": 26214}, EraV1, Owner, "AlphaHighTooLow"},
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 0, "alpha_high": 58982}, EraV1, Owner, "AlphaLowOutOfRange"},
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 52428, "alpha_high": 58982}, EraV1, Owner, "AlphaLowOutOfRange"},
		{map[string]int64{"liquid_alpha_enabled": 1, "alpha_low": 52427, "alpha_high": 52428}, EraV1, Owner, ""},
		{map[string]int64{"liquid_alpha_enabled": 0, "alpha_low": 6554, "alpha_high": 52428}, EraCurrent, Owner, "LiquidAlphaDisabled"},
		{map[string]int64{"bonds_moving_average": 975000}, EraCurrent, Owner, ""},
		{map[string]int64{"bonds_moving_average": 975001}, EraCurrent, Owner, "BondsMovingAverageMaxReached"},
		{map[string]int64{"bonds_moving_average": 990000}, EraCurrent, Root, ""},
		{map[string]int64{"commit_reveal_period": 0}, EraCurrent, Owner, "RevealPeriodOutOfBounds"},
		{map[string]int64{"commit_reveal_period": 100}, EraCurrent, Owner, ""},
		{map[string]int64{"commit_reveal_period": 101}, EraCurrent, Owner, "RevealPeriodOutOfBounds"},
		{map[string]int64{"alpha_sigmoid_steepness": -1}, EraCurrent, Owner, "NegativeSigmoidSteepness"},
		{map[string]int64{"alpha_sigmoid_steepness": -1}, EraCurrent, Root, ""},
		{map[string]int64{"alpha_sigmoid_steepness": 1000}, EraV1, Owner, "NotInRuntime"},
		{map[string]int64{"kappa": 32767}, EraCurrent, Owner, "BadOrigin"},
		{map[string]int64{"kappa": 32767}, EraCurrent, Root, ""},
		{map[string]int64{"tempo": 359}, EraCurrent, Owner, "TempoOutOfBounds"},
		{map[string]int64{"tempo": 720}, EraCurrent, Owner, ""},
		{map[string]int64{"tempo": 720}, EraV1, Owner, "BadOrigin"},
		{map[string]int64{"activity_cutoff_factor": 999}, EraCurrent, Owner, "ActivityCutoffFactorOutOfBounds"},
	}
	for i, c := range cases {
		r, err := Check(c.set, c.era, c.origin)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if c.rule == "" {
			if !r.Accepted || r.Err() != nil {
				t.Errorf("case %d %v (%s): refused %+v", i, c.set, c.era, r.Violations)
			}
			continue
		}
		found := false
		for _, v := range r.Violations {
			found = found || v.Rule == c.rule
		}
		if r.Accepted || !found || !badinput.Is(r.Err()) {
			t.Errorf("case %d %v (%s): want %s, got %+v", i, c.set, c.era, c.rule, r.Violations)
		}
	}
	if _, err := Check(nil, "v9", Owner); !badinput.Is(err) {
		t.Errorf("unknown runtime: %v", err)
	}
	if _, err := Check(nil, EraCurrent, "alice"); !badinput.Is(err) {
		t.Errorf("unknown origin: %v", err)
	}
}

func TestCheckOneAlphaWarns(t *testing.T) {
	r, _ := Check(map[string]int64{"alpha_low": 6554}, EraCurrent, Owner)
	if !r.Accepted || len(r.Warnings) < 2 {
		t.Fatalf("want accepted with warnings, got %+v", r)
	}
	if !strings.Contains(strings.Join(r.Warnings, "\n"), "alpha_high was not given") {
		t.Errorf("warnings %v", r.Warnings)
	}
}

func TestPlanOrderAndCalls(t *testing.T) {
	s := func(name string, raw int64) Setting { return Setting{Param: mustLookup(t, name), Raw: raw} }
	pl, err := MakePlan([]Setting{s("commit_reveal_period", 3), s("alpha_high", 26214), s("alpha_low", 3277), s("bonds_moving_average", 975000)},
		PlanOptions{Netuid: 7, Wallet: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range pl.Steps {
		got = append(got, st.Extrinsic)
	}
	want := "sudo_set_liquid_alpha_enabled sudo_set_alpha_values sudo_set_bonds_moving_average sudo_set_commit_reveal_weights_interval"
	if strings.Join(got, " ") != want {
		t.Fatalf("order %v, want %s", got, want)
	}
	if !pl.Check.Accepted {
		t.Fatalf("plan refused: %+v", pl.Check.Violations)
	}
	a := pl.Steps[1]
	if a.Args["alpha_low"] != 3277 || a.Args["alpha_high"] != 26214 {
		t.Errorf("alpha args %v", a.Args)
	}
	if !strings.Contains(a.SDK, `"alpha_low": 3277, "alpha_high": 26214`) || !strings.Contains(a.SDK, `"netuid": 7`) {
		t.Errorf("sdk %s", a.SDK)
	}
	if !strings.Contains(a.Btcli, "--param alpha_values --value 0.050004,0.400000") || !strings.Contains(a.Btcli, "--netuid 7") {
		t.Errorf("btcli %s", a.Btcli)
	}
	if !strings.Contains(pl.Steps[0].Btcli, "--param liquid_alpha_enabled --value True") {
		t.Errorf("enable step %s", pl.Steps[0].Btcli)
	}
	w := strings.Join(pl.Warnings, "\n")
	for _, frag := range []string{"btcli's own range check", "2^64-1", "epochs (tempos)", "AdminFreezeWindow"} {
		if !strings.Contains(w, frag) {
			t.Errorf("warnings miss %q:\n%s", frag, w)
		}
	}
}

func TestPlanRefused(t *testing.T) {
	pl, err := MakePlan([]Setting{{Param: mustLookup(t, "bonds_moving_average"), Raw: 990000}}, PlanOptions{Netuid: -1})
	if err != nil {
		t.Fatal(err)
	}
	if pl.Check.Accepted || !strings.Contains(pl.Steps[0].Btcli, "<NETUID>") {
		t.Errorf("plan %+v", pl)
	}
}

func FuzzEncode(f *testing.F) {
	for _, s := range []string{"0.1", "1", "0", "-0", "1e-3", "0.99999999999", "NaN", "+Inf", "1/2", "0x10", "  0.5 ", "1e400", "-1e400", "9223372036854775807", "true"} {
		f.Add("alpha_low", s)
		f.Add("alpha_sigmoid_steepness", s)
		f.Add("commit_reveal_period", s)
		f.Add("liquid_alpha_enabled", s)
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		p, ok := Lookup(name)
		if !ok {
			return
		}
		raw, err := Encode(p, value, name)
		if err != nil {
			if !badinput.Is(err) {
				t.Fatalf("non-badinput error %v", err)
			}
			return
		}
		lo, hi := p.Bounds()
		if raw < lo || raw > hi {
			t.Fatalf("%s %q -> %d outside %d..%d", name, value, raw, lo, hi)
		}
		if f, ok := Decode(p, raw).(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			t.Fatalf("decode gave %v", f)
		}
	})
}

func FuzzParseRaw(f *testing.F) {
	for _, s := range []string{"0", "65535", "65536", "-1", "1.5", "", "true", "99999999999999999999"} {
		f.Add("alpha_high", s)
		f.Add("bonds_moving_average", s)
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		p, ok := Lookup(name)
		if !ok {
			return
		}
		raw, err := ParseRaw(p, value, name)
		if err != nil {
			if !badinput.Is(err) {
				t.Fatalf("non-badinput error %v", err)
			}
			return
		}
		if lo, hi := p.Bounds(); raw < lo || raw > hi {
			t.Fatalf("out of bounds %d", raw)
		}
		if _, err := Check(map[string]int64{p.Name: raw}, EraCurrent, Owner); err != nil {
			t.Fatalf("check: %v", err)
		}
	})
}

func TestFromRecommendation(t *testing.T) {
	doc := `{"shard":"0/1","complete":true,"recommendations":{"sn31":{"metric":"cumulative","best":
	  {"found":true,"reveal_period":3,"alpha_low":0.1,"alpha_high":0.3,"steepness":10,"g":0.8}}}}`
	got, _, err := FromRecommendation(strings.NewReader(doc), "r.json", "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"commit_reveal_weights_enabled": 1, "commit_reveal_period": 3, "alpha_low": 6554, "alpha_high": 19661, "alpha_sigmoid_steepness": 1000}
	if len(got) != len(want) {
		t.Fatalf("settings %+v", got)
	}
	for _, s := range got {
		if want[s.Param.Name] != s.Raw {
			t.Errorf("%s = %d, want %d", s.Param.Name, s.Raw, want[s.Param.Name])
		}
	}
	noLA := `{"complete":true,"recommendations":{"a":{"best":{"found":true,"reveal_period":0}}}}`
	got, _, err = FromRecommendation(strings.NewReader(noLA), "r.json", "a")
	if err != nil || len(got) != 2 || got[1].Param.Name != "commit_reveal_weights_enabled" || got[1].Raw != 0 || got[0].Param.Name != "liquid_alpha_enabled" || got[0].Raw != 0 {
		t.Fatalf("no-LA pick %+v %v", got, err)
	}
	bad := map[string]string{
		"not json":    `{`,
		"partial":     `{"complete":false,"recommendations":{"a":{"best":{"found":true,"reveal_period":1}}}}`,
		"empty":       `{"recommendations":{}}`,
		"two subnets": `{"recommendations":{"a":{"best":{"found":true,"reveal_period":1}},"b":{"best":{"found":true,"reveal_period":1}}}}`,
		"not found":   `{"recommendations":{"a":{"best":{"found":false}}}}`,
		"no best":     `{"recommendations":{"a":{}}}`,
		"bad alpha":   `{"recommendations":{"a":{"best":{"found":true,"reveal_period":1,"alpha_low":1.5,"alpha_high":0.9}}}}`,
		"one alpha":   `{"recommendations":{"a":{"best":{"found":true,"reveal_period":1,"alpha_low":0.5}}}}`,
		"negative":    `{"recommendations":{"a":{"best":{"found":true,"reveal_period":-1}}}}`,
	}
	for name, d := range bad {
		_, _, err := FromRecommendation(strings.NewReader(d), "r.json", "")
		if err == nil || !badinput.Is(err) || !strings.HasPrefix(err.Error(), "r.json: ") {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

// TestPickArgsNotebookConvention: alpha values found with the notebooks'
// rule (weight on the old bond) never become chain calls; 0.9 / 0.9 is their
// "liquid alpha off".
func TestPickArgsNotebookConvention(t *testing.T) {
	doc := `{"complete":true,"recommendations":{"sn31":{"liquid_alpha":"v1-paper","best":
	  {"found":true,"reveal_period":3,"alpha_low":0.3,"alpha_high":0.9}}}}`
	got, note, err := FromRecommendation(strings.NewReader(doc), "r.json", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range got {
		if s.Param.Name == "alpha_low" || s.Param.Name == "alpha_high" || s.Param.Name == "liquid_alpha_enabled" {
			t.Errorf("notebook-convention pick produced %s", s.Param.Name)
		}
	}
	if len(got) != 2 || !strings.Contains(note, "no chain equivalent") {
		t.Errorf("settings %+v, note %q", got, note)
	}
	args, note := Pick{RevealPeriod: 1, LiquidAlpha: "v1-paper", HasAlpha: true, AlphaLow: 0.9, AlphaHigh: 0.9}.Args()
	if strings.Join(args, " ") != "liquid_alpha_enabled=false commit_reveal_weights_enabled=true commit_reveal_period=1" || note == "" {
		t.Errorf("0.9/0.9 pick: %v, %q", args, note)
	}
	args, _ = Pick{RevealPeriod: 2, LiquidAlpha: "v2", HasAlpha: true, AlphaLow: 0.1, AlphaHigh: 0.3, Steepness: 10}.Args()
	if strings.Join(args, " ") != "alpha_low=0.1 alpha_high=0.3 alpha_sigmoid_steepness=10 commit_reveal_weights_enabled=true commit_reveal_period=2" {
		t.Errorf("v2 pick: %v", args)
	}
}

func TestFromBtcli(t *testing.T) {
	cases := []struct {
		name, shown string
		raw         int64
	}{
		{"bonds_moving_avg", "4.878909776e-14", 900000}, // the public docs' example
		{"bonds_moving_average", "5.285485590e-14", 975000},
		{"alpha_sigmoid_steepness", "0.0152590219", 1000}, // btcli's u16 normalisation of 1000
		{"alpha_low", "0.7000076295", 45875},
		{"kappa", "0.4999923705", 32767},
		{"min_burn", "0.0005", 500000},
		{"tempo", "360", 360},
	}
	for _, c := range cases {
		got, err := FromBtcli(mustLookup(t, c.name), c.shown, c.name)
		if err != nil || got != c.raw {
			t.Errorf("FromBtcli(%s, %s) = %d, %v; want %d", c.name, c.shown, got, err, c.raw)
		}
	}
	for _, bad := range []string{"x", "Inf", "", "2"} {
		if _, err := FromBtcli(mustLookup(t, "alpha_low"), bad, "alpha_low"); !badinput.Is(err) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func FuzzFromBtcli(f *testing.F) {
	for _, s := range []string{"4.878909776e-14", "0.5", "1e400", "-0", "NaN", "0x1p-3", "1e-999999"} {
		f.Add("bonds_moving_avg", s)
		f.Add("alpha_sigmoid_steepness", s)
	}
	f.Fuzz(func(t *testing.T, name, shown string) {
		p, ok := Lookup(name)
		if !ok {
			return
		}
		raw, err := FromBtcli(p, shown, name)
		if err != nil {
			if !badinput.Is(err) {
				t.Fatalf("non-badinput error %v", err)
			}
			return
		}
		if lo, hi := p.Bounds(); raw < lo || raw > hi {
			t.Fatalf("out of bounds %d", raw)
		}
	})
}
