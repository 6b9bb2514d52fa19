package web

import (
	"context"
	"fmt"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yuma-go/yuma/internal/atomicfile"
	"github.com/yuma-go/yuma/sim"
)

// chromium finds a Chromium binary: $YUMA_CHROMIUM, then the usual names.
func chromium() string {
	if p := os.Getenv("YUMA_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestE2EBrowser loads every page in a real headless Chromium, runs a small
// scenario, a paper reproduction and a diagnostic sweep through the UI and
// checks the rendered charts and numbers. With YUMA_SCREENSHOTS=DIR it
// writes a screenshot of each page to DIR/<page>.png.
func TestE2EBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium binary found (install Debian's chromium or set YUMA_CHROMIUM); browser test skipped")
	}
	srv, err := New(Options{Workers: 2}) // the packages' own engines, as `yuma serve` runs
	if err != nil {
		t.Fatal(err)
	}
	srv.datasets["sn31"] = sn31(t)
	ts := httptest.NewServer(loopbackHosts(srv.Handler()))
	defer ts.Close()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1400),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelC := chromedp.NewContext(actx)
	defer cancelC()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/healthz")); err != nil {
		t.Skipf("Chromium at %s does not start (%v); browser test skipped", bin, err)
	}
	shots := os.Getenv("YUMA_SCREENSHOTS")
	do := func(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	shoot := func(t *testing.T, name string) {
		t.Helper()
		if shots == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := atomicfile.WriteFile(filepath.Join(shots, name+".png"), png); err != nil {
			t.Fatal(err)
		}
	}
	evalInt := func(t *testing.T, expr string) int {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	evalString := func(t *testing.T, expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	num := func(t *testing.T, s string) float64 {
		t.Helper()
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			t.Fatalf("number %q: %v", s, err)
		}
		return f
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	t.Run("index", func(t *testing.T) {
		do(t, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(css(`.cards`)))
		if n := evalInt(t, `document.querySelectorAll(".card").length`); n != 4 {
			t.Errorf("%d cards", n)
		}
		shoot(t, "index")
	})

	t.Run("explore", func(t *testing.T) {
		do(t, chromedp.Navigate(ts.URL+"/explore"), chromedp.WaitVisible(css(`figure[data-chart="weights"] svg`)))
		if typ := evalString(t, `typeof htmx`); typ != "object" {
			t.Errorf("htmx not loaded: typeof htmx = %q", typ)
		}
		// switch the case: htmx posts the form and swaps the result in place
		do(t,
			chromedp.SetValue(css(`#case`), "case02"),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#case").dispatchEvent(new Event("change", {bubbles: true})); null`),
			chromedp.WaitVisible(css(`section[data-scenario="case02"] figure[data-chart="incentives"] svg`)),
		)
		if n := evalInt(t, `document.querySelectorAll("#result svg").length`); n != 8 {
			t.Errorf("%d charts after the swap, want 8", n)
		}
		first := evalString(t, `document.querySelector('#dividends-table tbody tr[data-variant="yuma3"] td[data-value]').dataset.value`)
		// the number equals the CLI path's
		sc, _ := sim.Lookup("case02", sim.CatalogueOptions{})
		res, err := sim.Run(context.Background(), sc, sim.Options{Runs: []sim.RunSpec{{Yuma: "yuma2", Compat: "chain"}, {Yuma: "yuma3", Compat: "chain"}}, Engine: srv.opts.Engines.Sim})
		if err != nil {
			t.Fatal(err)
		}
		want := res.Variants[1].Summary.TotalDividends[0]
		if got := num(t, first); got != want {
			t.Errorf("page holds %v, CLI path %v", got, want)
		}
		// and the cell reads as `yuma simulate` prints it (%.4f)
		shown := evalString(t, `document.querySelector('#dividends-table tbody tr[data-variant="yuma3"] td[data-value]').textContent`)
		if shown != fmt.Sprintf("%.4f", want) {
			t.Errorf("cell shows %q, the CLI prints %.4f", shown, want)
		}
		shoot(t, "explore")
	})

	t.Run("paper", func(t *testing.T) {
		// a coarse grid keeps the test fast; screenshots show the paper's own grid
		paperStep, paperRounds := "0.25", "10"
		if shots != "" {
			paperStep, paperRounds = "0.05", "20"
		}
		do(t,
			chromedp.Navigate(ts.URL+"/paper"),
			chromedp.WaitVisible(css(`#paper-form`)),
			chromedp.SetValue(css(`select[name="step"]`), paperStep),
			chromedp.SetValue(css(`input[name="rounds"]`), paperRounds),
			chromedp.Click(css(`#paper-form button[type="submit"]`)),
			chromedp.WaitVisible(css(`#paper-result[data-complete="true"] figure svg`)),
		)
		if n := evalInt(t, `document.querySelectorAll("#paper-result figure svg").length`); n < 5 {
			t.Errorf("%d figures", n)
		}
		if label := evalString(t, `document.querySelector("#paper-progress .label").textContent`); !strings.HasPrefix(label, "done") {
			t.Errorf("progress label %q", label)
		}
		shoot(t, "paper")
	})

	t.Run("diagnose", func(t *testing.T) {
		do(t,
			chromedp.Navigate(ts.URL+"/diagnose"),
			chromedp.WaitVisible(css(`#diagnose-form`)),
			chromedp.SetValue(css(`input[name="alpha_low"]`), "0.1,0.5"),
			chromedp.SetValue(css(`input[name="alpha_high"]`), "0.9"),
			chromedp.SetValue(css(`input[name="reveal_periods"]`), "0,2,4"),
			chromedp.SetValue(css(`input[name="tempos"]`), "6"),
			chromedp.Click(css(`#diagnose-form button[type="submit"]`)),
			chromedp.WaitVisible(css(`#diagnose-result[data-complete="true"] .plans`)),
		)
		if n := evalInt(t, `document.querySelectorAll("#diagnose-result figure svg").length`); n < 2 {
			t.Errorf("%d charts", n)
		}
		if n := evalInt(t, `document.querySelectorAll("#diagnose-result .diagnose table tbody tr").length`); n < 2 {
			t.Errorf("%d table rows", n)
		}
		if label := evalString(t, `document.querySelector("#diagnose-progress .label").textContent`); !strings.HasPrefix(label, "done") {
			t.Errorf("progress label %q", label)
		}
		{ // on the float engine this grid of the SN31 history has a recommendation
			if cmd := evalString(t, `document.querySelector("#diagnose-result .plans pre.cmd").textContent`); !strings.HasPrefix(cmd, "yuma hparams plan --netuid 31 ") || !strings.Contains(cmd, "commit_reveal_weights_enabled=") {
				t.Errorf("plan command %q", cmd)
			}
		}
		shoot(t, "diagnose")
	})

	t.Run("metagraph", func(t *testing.T) {
		do(t, chromedp.Navigate(ts.URL+"/metagraph"), chromedp.WaitVisible(css(`#vtrust`)))
		vt := num(t, evalString(t, `document.querySelector("#vtrust").dataset.value`))
		ex := num(t, evalString(t, `document.querySelector("#vtrust-explained").dataset.value`))
		if vt <= 0 || math.Abs(vt-ex) > 1e-6 {
			t.Errorf("vtrust %v, explained %v", vt, ex)
		}
		if n := evalInt(t, `document.querySelectorAll("#mg-view svg path").length`); n < 20 {
			t.Errorf("chart has %d paths", n)
		}
		shoot(t, "metagraph")
		// switching the subnet re-renders the form (block list) and the view
		do(t,
			chromedp.SetValue(css(`#mg-form select[name="source"]`), "dataset:sn15"),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#mg-form select[name="source"]').dispatchEvent(new Event("change", {bubbles: true})); null`),
			chromedp.WaitVisible(css(`section.mg[data-netuid="15"]`)),
		)
		if n := evalInt(t, `document.querySelectorAll('#mg-form select[name="block"] option').length`); n != 1 {
			t.Errorf("sn15 has one snapshot; the block list has %d", n)
		}
	})

	t.Run("bad input is shown", func(t *testing.T) {
		do(t,
			chromedp.Navigate(ts.URL+"/explore"),
			chromedp.WaitVisible(css(`figure[data-chart="weights"] svg`)),
			chromedp.SetValue(css(`input[name="kappa"]`), "NaN"),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name="kappa"]').dispatchEvent(new Event("change", {bubbles: true})); null`),
			chromedp.WaitVisible(css(`#flash`)),
		)
		if msg := evalString(t, `document.querySelector("#flash").textContent`); !strings.Contains(msg, "kappa") || !strings.Contains(msg, "bad input") {
			t.Errorf("flash %q", msg)
		}
	})
}
