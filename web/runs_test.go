package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yuma-go/yuma/diagnose"
	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/paper"
)

// smallGrid is a diagnostic grid small enough for unit tests.
var smallGrid = url.Values{
	"alpha_low": {"0.1,0.5"}, "alpha_high": {"0.9"}, "reveal_periods": {"0,2"}, "tempos": {"4"},
	"yuma": {"yuma2"}, "liquid_alpha": {"v1-paper"},
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func TestDiagnoseRunStreamsProgressAndResult(t *testing.T) {
	var calls atomic.Int64
	_, h := newTestServer(t, Options{Engines: stubEngines(&calls, nil)})
	rec := postForm(t, h, "/diagnose/run", with(smallGrid, "source", "dataset:sn31"), false)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/x-ndjson") {
		t.Errorf("content type %q", ct)
	}
	lines := readStream(t, rec.Body)
	f := final(t, lines)
	if f.Error != "" {
		t.Fatalf("run failed: %s", f.Error)
	}
	if f.Total <= 0 || f.Done != f.Total {
		t.Errorf("final progress %d/%d", f.Done, f.Total)
	}
	for _, want := range []string{"Weight-copying diagnostic", "sn31", "<svg", "Setting the recommendation on chain"} {
		if !strings.Contains(f.HTML, want) {
			t.Errorf("result lacks %q", want)
		}
	}
	if calls.Load() == 0 {
		t.Error("the engine was never stepped")
	}
}

func TestPlanSection(t *testing.T) {
	res := &diagnose.Result{Config: diagnose.Config{LiquidAlpha: epoch.LiquidAlphaV2}, Subnets: []*diagnose.Subnet{
		{Name: "sn31", Netuid: 31, Recommendation: &diagnose.Recommendation{Best: diagnose.Pick{Found: true, RevealPeriod: 3, AlphaLow: 0.3, AlphaHigh: 0.7, Steepness: 10}}},
		{Name: "sn15", Netuid: 15, Recommendation: &diagnose.Recommendation{Best: diagnose.Pick{Found: true, RevealPeriod: 0}}},
		{Name: "sn9", Netuid: 9, Recommendation: &diagnose.Recommendation{}},
		{Name: "part", Netuid: 2},
	}}
	sec, err := planSection(res)
	if err != nil {
		t.Fatal(err)
	}
	html := string(sec)
	for _, want := range []string{
		"yuma hparams plan --netuid 31 alpha_low=0.3 alpha_high=0.7 alpha_sigmoid_steepness=10 commit_reveal_weights_enabled=true commit_reveal_period=3",
		"yuma hparams plan --netuid 15 liquid_alpha_enabled=false commit_reveal_weights_enabled=false",
		"btcli", "nothing to set", "partial result",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("plan section lacks %q:\n%s", want, html)
		}
	}
}

func TestDiagnoseBadGridReportedInStream(t *testing.T) {
	_, h := newTestServer(t, Options{})
	rec := postForm(t, h, "/diagnose/run", with(smallGrid, "source", "dataset:sn31", "reveal_periods", "-3"), false)
	f := final(t, readStream(t, rec.Body))
	if !f.BadInput || !strings.Contains(f.Error, "reveal") {
		t.Fatalf("final line %+v, want a bad-input error naming the reveal periods", f)
	}
}

func TestPlanArgsFromRecommendation(t *testing.T) {
	pl, err := makePlan([]string{"alpha_low=0.1", "alpha_high=0.9", "commit_reveal_weights_enabled=true", "commit_reveal_period=3"}, 31)
	if err != nil {
		t.Fatal(err)
	}
	joined := ""
	for _, s := range pl.Steps {
		joined += s.Extrinsic + " " + s.Btcli + "\n"
	}
	for _, want := range []string{"sudo_set_alpha_values", "sudo_set_commit_reveal_weights_interval", "31"} {
		if !strings.Contains(joined, want) {
			t.Errorf("plan lacks %q:\n%s", want, joined)
		}
	}
	// alpha_low 0.1 is 6554 on chain (u16 rounding half up), as `yuma hparams encode` prints.
	found := false
	for _, s := range pl.Steps {
		if s.Args["alpha_low"] == 6554 {
			found = true
		}
	}
	if !found {
		t.Errorf("alpha_low not encoded as 6554: %+v", pl.Steps)
	}
}

func snapshotJSON(t *testing.T, s *metagraph.Snapshot) string {
	t.Helper()
	var b bytes.Buffer
	if err := metagraph.EncodeSnapshot(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// tinySnapshot is a 4-uid subnet: validators 0 and 1 weight miners 2 and 3.
func tinySnapshot(block uint64, w0, w1 [2]int) *metagraph.Snapshot {
	return &metagraph.Snapshot{
		Netuid: 7, Block: block, N: 4,
		Stake: []float64{600, 400, 0, 0},
		Weights: []metagraph.Row{
			{UID: 0, Entries: []metagraph.Entry{{2, w0[0]}, {3, w0[1]}}},
			{UID: 1, Entries: []metagraph.Entry{{2, w1[0]}, {3, w1[1]}}},
		},
		ValidatorPermit:     []bool{true, true, false, false},
		LastUpdate:          []uint64{block - 1, block - 1, 0, 0},
		BlockAtRegistration: []uint64{0, 0, 0, 0},
	}
}

func TestDiagnoseUploadedSnapshots(t *testing.T) {
	_, h := newTestServer(t, Options{})
	var files [][2]string
	for k := 0; k < 8; k++ {
		s := tinySnapshot(uint64(1000+360*k), [2]int{65535, 30000}, [2]int{40000, 65535})
		files = append(files, [2]string{"s" + string(rune('a'+k)) + ".json", snapshotJSON(t, s)})
	}
	// one gzip-compressed file too
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(snapshotJSON(t, tinySnapshot(1000+360*8, [2]int{65535, 1}, [2]int{1, 65535}))))
	_ = zw.Close()
	files = append(files, [2]string{"last.json.gz", gz.String()})
	rec := postMultipart(t, h, "/diagnose/run", with(smallGrid, "source", "upload", "tempos", "3"), map[string][][2]string{"snapshots": files})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	f := final(t, readStream(t, rec.Body))
	if f.Error != "" {
		t.Fatalf("run failed: %s", f.Error)
	}
	if !strings.Contains(f.HTML, "netuid 7") {
		t.Error("uploaded subnet missing from the result")
	}
}

func TestDiagnoseBadInput(t *testing.T) {
	_, h := newTestServer(t, Options{})
	cases := []struct {
		name  string
		form  url.Values
		files map[string][][2]string
		want  string
	}{
		{"bad alpha list", with(smallGrid, "source", "dataset:sn31", "alpha_low", "0.1,abc"), nil, "alpha_low"},
		{"NaN alpha", with(smallGrid, "source", "dataset:sn31", "alpha_high", "NaN"), nil, "alpha_high"},
		{"unknown dataset", with(smallGrid, "source", "dataset:sn99"), nil, "sn99"},
		{"unknown source", with(smallGrid, "source", "file:/etc/passwd"), nil, "unknown source"},
		{"store not configured", with(smallGrid, "source", "store:31"), nil, "--store"},
		{"bad yuma", with(smallGrid, "source", "dataset:sn31", "yuma", "yuma9"), nil, "yuma9"},
		{"bad take", with(smallGrid, "source", "dataset:sn31", "take", "1.5"), nil, "take"},
		{"bad tempos", with(smallGrid, "source", "dataset:sn31", "tempos", "0"), nil, "tempos"},
		{"bad copier stake", with(smallGrid, "source", "dataset:sn31", "copier_stake", "lots"), nil, "copier-stake"},
		{"grid too large", with(smallGrid, "source", "dataset:sn31", "alpha_low", "0:1:0.01", "alpha_high", "0:1:0.01"), nil, "limit"},
		{"no upload", with(smallGrid, "source", "upload"), nil, "no snapshot"},
		{"garbage upload", with(smallGrid, "source", "upload"), map[string][][2]string{"snapshots": {{"junk.json", "{not json"}}}, "junk.json"},
		{"negative stake", with(smallGrid, "source", "upload"), map[string][][2]string{"snapshots": {{"neg.json", `{"netuid":1,"block":5,"n":2,"stake":[-1,1]}`}}}, "neg.json"},
		{"uid out of range", with(smallGrid, "source", "upload"), map[string][][2]string{"snapshots": {{"uid.json", `{"netuid":1,"block":5,"n":2,"stake":[1,1],"weights":[[0,[[9,65535]]]]}`}}}, "uid.json"},
		{"u16 out of range", with(smallGrid, "source", "upload"), map[string][][2]string{"snapshots": {{"u16.json", `{"netuid":1,"block":5,"n":2,"stake":[1,1],"weights":[[0,[[1,70000]]]]}`}}}, "u16.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r *httptest.ResponseRecorder
			if c.files != nil {
				r = postMultipart(t, h, "/diagnose/run", c.form, c.files)
			} else {
				r = postForm(t, h, "/diagnose/run", c.form, false)
			}
			if r.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.Code, r.Body)
			}
			if !strings.Contains(r.Body.String(), c.want) {
				t.Errorf("message %q lacks %q", r.Body, c.want)
			}
		})
	}
}

// A run stops when the client goes away: the request context is cancelled,
// the sweep returns and the slot is free again.
func TestDiagnoseCancelledWhenClientLeaves(t *testing.T) {
	var calls atomic.Int64
	gate := make(chan struct{})
	s, h := newTestServer(t, Options{MaxRuns: 1, Engines: stubEngines(&calls, gate)})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodPost, "/diagnose/run", strings.NewReader(with(smallGrid, "source", "dataset:sn31").Encode())).WithContext(ctx)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	done := make(chan struct{})
	rec := httptest.NewRecorder()
	go func() {
		h.ServeHTTP(rec, req)
		close(done)
	}()
	// Let a few steps through, then leave.
	for k := 0; k < 3; k++ {
		gate <- struct{}{}
	}
	cancel()
	// Release the engine so the workers observe the cancelled context.
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case gate <- struct{}{}:
			case <-stop:
				return
			}
		}
	}()
	<-done
	close(stop)
	lines := readStream(t, rec.Body)
	f := final(t, lines)
	if f.Error == "" || !strings.Contains(f.Error, "cancel") {
		t.Errorf("final line %+v, want a cancellation", f)
	}
	if !s.tryAcquire() {
		t.Fatal("the run slot was not released")
	}
	s.release()
	// The same sweep run to the end takes many more steps.
	var full atomic.Int64
	_, h2 := newTestServer(t, Options{Engines: stubEngines(&full, nil)})
	if f := final(t, readStream(t, postForm(t, h2, "/diagnose/run", with(smallGrid, "source", "dataset:sn31"), false).Body)); f.Error != "" {
		t.Fatal(f.Error)
	}
	if n := calls.Load(); n >= full.Load()/2 {
		t.Errorf("%d engine steps after cancellation, %d for the whole sweep: the sweep did not stop", n, full.Load())
	}
}

func TestRunsBoundedBySemaphore(t *testing.T) {
	s, h := newTestServer(t, Options{MaxRuns: 1})
	if !s.tryAcquire() {
		t.Fatal("no slot")
	}
	defer s.release()
	for _, c := range []struct {
		path string
		form url.Values
	}{
		{"/diagnose/run", with(smallGrid, "source", "dataset:sn31")},
		{"/paper/run", url.Values{"variant": {"notebook"}}},
		{"/explore", url.Values{"case": {"case01"}, "yuma": {"yuma3"}}},
	} {
		rec := postForm(t, h, c.path, c.form, false)
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "busy") {
			t.Errorf("%s: status %d %q, want 503 busy", c.path, rec.Code, rec.Body)
		}
		if rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", c.path)
		}
	}
}

func TestPaperRunStreamsFigures(t *testing.T) {
	_, h := newTestServer(t, Options{})
	form := url.Values{"variant": {"notebook"}, "step": {"0.25"}, "rounds": {"6"}}
	rec := postForm(t, h, "/paper/run", form, false)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	f := final(t, readStream(t, rec.Body))
	if f.Error != "" {
		t.Fatalf("run failed: %s", f.Error)
	}
	for _, want := range []string{"Headline numbers", "<svg", "<figcaption>"} {
		if !strings.Contains(f.HTML, want) {
			t.Errorf("paper section lacks %q", want)
		}
	}
	// A second request is served from the cache with the same bytes.
	rec2 := postForm(t, h, "/paper/run", form, false)
	if f2 := final(t, readStream(t, rec2.Body)); f2.HTML != f.HTML {
		t.Error("cached reproduction differs")
	}
	for _, bad := range []url.Values{{"variant": {"python"}}, {"variant": {"notebook"}, "step": {"0"}}, {"variant": {"notebook"}, "rounds": {"x"}}} {
		if rec := postForm(t, h, "/paper/run", bad, false); rec.Code != http.StatusBadRequest {
			t.Errorf("%v: status %d, want 400", bad, rec.Code)
		}
	}
}

func TestStreamLinesAreJSON(t *testing.T) {
	b, err := json.Marshal(streamLine{Done: 1, Total: 2, HTML: "<p>x</p>", Final: true})
	if err != nil || !bytes.Contains(b, []byte(`"final":true`)) {
		t.Fatalf("%s %v", b, err)
	}
	_ = time.Second
}

// The diagnostic page shows exactly what diagnose.Run's own HTML section
// says for the options `yuma diagnose --dataset sn31 --alpha-low 0.1,0.5
// --alpha-high 0.9 --reveal-periods 0,2 --tempos 4` builds.
func TestDiagnosePageEqualsDirectRun(t *testing.T) {
	for _, es := range engineSets {
		t.Run(es.name, func(t *testing.T) { diagnoseEqualsDirect(t, es.eng()) })
	}
}

func diagnoseEqualsDirect(t *testing.T, eng Engines) {
	s, h := newTestServer(t, Options{Engines: eng})
	rec := postForm(t, h, "/diagnose/run", with(smallGrid, "source", "dataset:sn31", "tempos", "2"), false)
	page := final(t, readStream(t, rec.Body))
	if page.Error != "" {
		t.Fatal(page.Error)
	}
	o := diagnose.DefaultOptions()
	o.AlphaLow, o.AlphaHigh, o.RevealPeriods, o.Tempos = []float64{0.1, 0.5}, []float64{0.9}, []int{0, 2}, 2
	o.Engine, o.Workers = s.opts.Engines.Diagnose, 1
	snaps, err := s.dataset("sn31")
	if err != nil {
		t.Fatal(err)
	}
	o.Sources = []diagnose.Source{{Name: "sn31", Snapshots: snaps}}
	res, err := diagnose.Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	sec, err := res.HTMLSection()
	if err != nil {
		t.Fatal(err)
	}
	plans, err := planSection(res)
	if err != nil {
		t.Fatal(err)
	}
	if page.HTML != string(sec+plans) {
		t.Error("the page's diagnostic differs from diagnose.Run's section for the same options")
	}
}

// On the real engine and the bundled SN31 history, the small grid finds a
// recommendation; the page's `yuma hparams plan` command sets exactly it with
// liquid alpha v2, and leaves out the notebooks' (v1-paper) alpha values,
// which bound the weight on the old bond and have no chain equivalent.
func TestDiagnosePlanMatchesRecommendation(t *testing.T) {
	_, h := newTestServer(t, Options{Engines: realEngines()})
	recRe := regexp.MustCompile(`Recommended: reveal period (\d+) with alpha_low ([0-9.]+), alpha_high ([0-9.]+)`)
	run := func(la string) (string, []string) {
		form := with(smallGrid, "source", "dataset:sn31", "reveal_periods", "0,2,4", "tempos", "6", "liquid_alpha", la, "yuma", map[string]string{"v2": "yuma3", "v1-paper": "yuma2"}[la])
		rec := postForm(t, h, "/diagnose/run", form, false)
		f := final(t, readStream(t, rec.Body))
		if f.Error != "" {
			t.Fatal(f.Error)
		}
		m := recRe.FindStringSubmatch(f.HTML)
		if m == nil {
			t.Fatalf("%s: no recommendation with liquid alpha on this grid", la)
		}
		return f.HTML, m
	}
	crArgs := func(rp string) string {
		if rp == "0" {
			return "commit_reveal_weights_enabled=false"
		}
		return "commit_reveal_weights_enabled=true commit_reveal_period=" + rp
	}

	html, m := run("v2")
	cmd := fmt.Sprintf("yuma hparams plan --netuid 31 alpha_low=%s alpha_high=%s alpha_sigmoid_steepness=10 %s", m[2], m[3], crArgs(m[1]))
	if !strings.Contains(html, cmd) {
		t.Errorf("v2: page lacks %q", cmd)
	}
	if !strings.Contains(html, "sudo_set_alpha_values") {
		t.Error("v2: no btcli call for the alphas")
	}

	html, m = run("v1-paper")
	if strings.Contains(html, "sudo_set_alpha_values") {
		t.Error("v1-paper: the notebooks' alpha values were turned into a chain call")
	}
	if !strings.Contains(html, "yuma hparams plan --netuid 31 ") || !strings.Contains(html, crArgs(m[1])+"</pre>") {
		t.Errorf("v1-paper: page lacks the commit-reveal plan for reveal period %s", m[1])
	}
	if m[2] != "0.9" || m[3] != "0.9" {
		if !strings.Contains(html, "no chain equivalent") {
			t.Error("v1-paper: no note on the alpha convention")
		}
	}
}

// The paper page shows paper.Run's own section for the options `yuma paper
// --step 0.25 --rounds 6` builds, on the float engine.
func TestPaperPageEqualsDirectRun(t *testing.T) {
	_, h := newTestServer(t, Options{Engines: realEngines()})
	rec := postForm(t, h, "/paper/run", url.Values{"variant": {"yuma3-v2"}, "step": {"0.25"}, "rounds": {"6"}}, false)
	page := final(t, readStream(t, rec.Body))
	if page.Error != "" {
		t.Fatal(page.Error)
	}
	res, err := paper.Run(context.Background(), paper.Options{Variant: paper.VariantYuma3V2, Step: 0.25, Rounds: 6, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := res.HTMLSection()
	if err != nil {
		t.Fatal(err)
	}
	if page.HTML != string(sec) {
		t.Error("the page's reproduction differs from paper.Run's section for the same options")
	}
}
