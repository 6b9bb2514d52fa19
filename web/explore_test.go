package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/sim"
)

var (
	rowRe   = regexp.MustCompile(`(?s)<tr data-variant="([^"]+)">(.*?)</tr>`)
	valueRe = regexp.MustCompile(`data-value="([^"]+)"`)
)

// dividendTable reads the page's total-dividends table: variant -> values.
func dividendTable(t *testing.T, body string) map[string][]float64 {
	t.Helper()
	i := strings.Index(body, `id="dividends-table"`)
	if i < 0 {
		t.Fatalf("no dividends table in page")
	}
	body = body[i:]
	body = body[:strings.Index(body, "</table>")]
	out := map[string][]float64{}
	for _, m := range rowRe.FindAllStringSubmatch(body, -1) {
		for _, v := range valueRe.FindAllStringSubmatch(m[2], -1) {
			f, err := strconv.ParseFloat(v[1], 64)
			if err != nil {
				t.Fatalf("value %q: %v", v[1], err)
			}
			out[m[1]] = append(out[m[1]], f)
		}
	}
	return out
}

func TestExplorePageRunsDefaultCase(t *testing.T) {
	_, h := newTestServer(t, Options{})
	rec := get(t, h, "/explore")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{`<option value="case01" selected>`, `data-scenario="case01"`, `data-chart="weights"`, `data-chart="dividends"`, `data-chart="bonds"`, `data-chart="incentives"`, "<svg"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got := strings.Count(body, "<svg"); got != 8 { // 4 charts x 2 default variants
		t.Errorf("%d charts, want 8", got)
	}
	tab := dividendTable(t, body)
	if len(tab) != 2 || len(tab["yuma2"]) != 3 || len(tab["yuma3"]) != 3 {
		t.Fatalf("dividend table %v", tab)
	}
}

// The explorer's numbers are the CLI's: the same scenario through sim.Run
// with the runs `yuma simulate --yuma ... --liquid-alpha ... --param ...`
// builds gives the same total dividends, digit for digit.
func TestExploreNumbersEqualCLIPath(t *testing.T) {
	for _, es := range engineSets {
		t.Run(es.name, func(t *testing.T) { exploreEqualsCLI(t, es.eng()) })
	}
}

func exploreEqualsCLI(t *testing.T, eng Engines) {
	s, h := newTestServer(t, Options{Engines: eng})
	form := url.Values{
		"case": {"kappa-moves-second"}, "yuma": {"yuma2", "yuma3"}, "liquid_alpha": {"off", "v2"},
		"compat": {"chain"}, "bonds_penalty": {"0.5"}, "kappa": {"0.6"},
	}
	rec := postForm(t, h, "/explore", form, true)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	if strings.Contains(body, "<html") {
		t.Error("htmx request got a whole page, want the fragment")
	}
	page := dividendTable(t, body)

	// What cmd/yuma simulate does with the same flags.
	sc, _, err := sim.Resolve("kappa-moves-second", sim.CatalogueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	over, err := sim.ParseParamAssignments([]string{"bonds_penalty=0.5", "kappa=0.6"})
	if err != nil {
		t.Fatal(err)
	}
	sc.Params = sim.MergeParams(sc.Params, over)
	var runs []sim.RunSpec
	for _, y := range []string{"yuma2", "yuma3"} {
		for _, l := range []string{"off", "v2"} {
			runs = append(runs, sim.RunSpec{Yuma: y, LiquidAlpha: l, Compat: "chain"})
		}
	}
	res, err := sim.Run(context.Background(), sc, sim.Options{Runs: runs, Engine: s.opts.Engines.Sim})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != len(res.Variants) {
		t.Fatalf("page has %d variants, CLI path %d", len(page), len(res.Variants))
	}
	for _, rr := range res.Variants {
		got := page[rr.Variant.Name]
		if len(got) != len(rr.Summary.TotalDividends) {
			t.Fatalf("%s: %d values, want %d", rr.Variant.Name, len(got), len(rr.Summary.TotalDividends))
		}
		for i, want := range rr.Summary.TotalDividends {
			if got[i] != want {
				t.Errorf("%s validator %d: page %v, CLI %v", rr.Variant.Name, i, got[i], want)
			}
			// and the 4-digit figure the CLI prints is the one shown
			if !strings.Contains(body, fmt.Sprintf(">%.4f<", want)) {
				t.Errorf("%s validator %d: %.4f not shown", rr.Variant.Name, i, want)
			}
		}
	}
}

func TestExploreUploadAndEscaping(t *testing.T) {
	_, h := newTestServer(t, Options{})
	scenario := `name: mine
epochs: 5
miners:
  - {name: "A<b>", signal: {type: constant, value: 1}}
  - {name: B, signal: {type: constant, value: 0.5}}
validators:
  - {name: "<script>alert(1)</script>", stake: 0.7, strategy: {type: honest}}
  - {name: lazy, stake: 0.3, strategy: {type: fixed, schedule: [{from: 0, weights: [0, 1]}]}}
`
	rec := postMultipart(t, h, "/explore", url.Values{"yuma": {"yuma3"}}, map[string][][2]string{"scenario": {{"../../etc/mine.yaml", scenario}}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	if !strings.Contains(body, `data-scenario="mine"`) {
		t.Error("uploaded scenario not run")
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "A<b>") {
		t.Error("scenario names reach the page unescaped")
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("escaped validator name missing")
	}
}

func TestExploreBadInput(t *testing.T) {
	_, h := newTestServer(t, Options{})
	cases := []struct {
		name  string
		form  url.Values
		files map[string][][2]string
		want  string
	}{
		{"unknown case", url.Values{"case": {"case99"}, "yuma": {"yuma3"}}, nil, "case"},
		{"no yuma", url.Values{"case": {"case01"}}, nil, "yuma"},
		{"unknown yuma", url.Values{"case": {"case01"}, "yuma": {"yuma9"}}, nil, "yuma9"},
		{"unknown la", url.Values{"case": {"case01"}, "yuma": {"yuma3"}, "liquid_alpha": {"v7"}}, nil, "v7"},
		{"unknown compat", url.Values{"case": {"case01"}, "yuma": {"yuma3"}, "compat": {"python"}}, nil, "compat"},
		{"NaN kappa", url.Values{"case": {"case01"}, "yuma": {"yuma3"}, "kappa": {"NaN"}}, nil, "kappa"},
		{"Inf penalty", url.Values{"case": {"case01"}, "yuma": {"yuma3"}, "bonds_penalty": {"+Inf"}}, nil, "bonds_penalty"},
		{"negative kappa", url.Values{"case": {"case01"}, "yuma": {"yuma3"}, "kappa": {"-0.5"}}, nil, "kappa"},
		{"text alpha", url.Values{"case": {"case01"}, "yuma": {"yuma3"}, "alpha_low": {"abc"}}, nil, "alpha_low"},
		{"bad yaml", url.Values{"yuma": {"yuma3"}}, map[string][][2]string{"scenario": {{"bad.yaml", "name: [unclosed"}}}, "bad.yaml"},
		{"empty file", url.Values{"yuma": {"yuma3"}}, map[string][][2]string{"scenario": {{"empty.yaml", " "}}}, "empty.yaml"},
		{"ragged", url.Values{"yuma": {"yuma3"}}, map[string][][2]string{"scenario": {{"r.yaml", "name: r\nepochs: 2\nminers: [{name: a, signal: {type: constant, value: 1}}]\nvalidators: [{name: v, stake: 1, strategy: {type: fixed, schedule: [{from: 0, weights: [1, 2]}]}}]\n"}}}, "r.yaml"},
		{"two files", url.Values{"yuma": {"yuma3"}}, map[string][][2]string{"scenario": {{"a.yaml", "x"}, {"b.yaml", "y"}}}, "one scenario"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r *httptest.ResponseRecorder
			if c.files != nil {
				r = postMultipart(t, h, "/explore", c.form, c.files)
			} else {
				r = postForm(t, h, "/explore", c.form, true)
			}
			body, code := r.Body.String(), r.Code
			if code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", code, body)
			}
			if !strings.HasPrefix(body, "bad input: ") || !strings.Contains(body, c.want) {
				t.Errorf("message %q lacks %q", body, c.want)
			}
		})
	}
}

func TestExploreScenarioTooLarge(t *testing.T) {
	_, h := newTestServer(t, Options{MaxScenarioCells: 100})
	rec := postForm(t, h, "/explore", url.Values{"case": {"case01"}, "yuma": {"yuma3"}}, false)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "limit of 100") {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

func TestExploreFullPageWithoutHTMX(t *testing.T) {
	_, h := newTestServer(t, Options{})
	rec := postForm(t, h, "/explore", url.Values{"case": {"case04"}, "yuma": {"yuma1"}}, false)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "<html") || !strings.Contains(rec.Body.String(), `data-scenario="case04"`) {
		t.Fatalf("status %d", rec.Code)
	}
}
