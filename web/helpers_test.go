package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/metagraph/datasets"
)

// stub is a small deterministic stand-in for the float engine, so the
// handlers can be tested on their own: consensus is the stake-weighted mean
// weight, incentive the normalised consensus, dividends the stake, validator
// trust the sum of min(weight, consensus), bonds an EMA of the weights.
type stub struct {
	v, m  int
	res   epoch.Result
	calls *atomic.Int64
	gate  chan struct{} // when not nil, every Step waits for it
}

func newStub(v, m int) *stub {
	return &stub{v: v, m: m, res: epoch.Result{
		Consensus: make([]float64, m), Incentive: make([]float64, m),
		Dividends: make([]float64, v), ValidatorTrust: make([]float64, v), Bonds: make([]float64, v*m),
	}}
}

func (f *stub) Step(in epoch.Input) (epoch.Result, error) {
	if f.calls != nil {
		f.calls.Add(1)
	}
	if f.gate != nil {
		<-f.gate
	}
	if len(in.Stake) != f.v || len(in.Weights) != f.v*f.m {
		return epoch.Result{}, errors.New("stub: shape mismatch")
	}
	clear(f.res.Consensus)
	st := 0.0
	for _, s := range in.Stake {
		st += s
	}
	norm := make([]float64, len(in.Weights))
	for i := 0; i < f.v; i++ {
		row := in.Weights[i*f.m : (i+1)*f.m]
		sum := 0.0
		for _, w := range row {
			sum += w
		}
		for j, w := range row {
			if sum > 0 && st > 0 {
				norm[i*f.m+j] = w / sum
				f.res.Consensus[j] += in.Stake[i] / st * w / sum
			}
		}
	}
	total := 0.0
	for _, c := range f.res.Consensus {
		total += c
	}
	for j, c := range f.res.Consensus {
		f.res.Incentive[j] = 0
		if total > 0 {
			f.res.Incentive[j] = c / total
		}
	}
	for i := 0; i < f.v; i++ {
		f.res.Dividends[i] = 0
		if st > 0 {
			f.res.Dividends[i] = in.Stake[i] / st
		}
		vt := 0.0
		for j := 0; j < f.m; j++ {
			vt += min(norm[i*f.m+j], f.res.Consensus[j])
			f.res.Bonds[i*f.m+j] = 0.9*f.res.Bonds[i*f.m+j] + 0.1*norm[i*f.m+j]
		}
		f.res.ValidatorTrust[i] = vt
	}
	return f.res, nil
}

// stubEngines returns engines built on stub; calls counts Steps; gate, when
// not nil, holds every Step until it receives.
func stubEngines(calls *atomic.Int64, gate chan struct{}) Engines {
	mk := func(v, m int) *stub {
		s := newStub(v, m)
		s.calls, s.gate = calls, gate
		return s
	}
	return Engines{
		Sim:      func(_ epoch.Config, v, m int) (epoch.Stepper, error) { return mk(v, m), nil },
		Paper:    func(_ epoch.Config, v, m int) (epoch.Stepper, error) { return mk(v, m), nil },
		Diagnose: func(_ epoch.Config, v, m int) (epoch.Stepper, error) { return mk(v, m), nil },
	}
}

// realEngines are the packages' float engines (epoch.New), given explicitly.
func realEngines() Engines {
	return Engines{
		Sim:      epoch.NewStepper,
		Paper:    epoch.NewStepper,
		Diagnose: epoch.NewStepper,
	}
}

// engineSets are the engines the number-equality tests run on.
var engineSets = []struct {
	name string
	eng  func() Engines
}{{"stub", func() Engines { return stubEngines(nil, nil) }}, {"float", realEngines}}

// newTestServer returns a server on stub engines and its handler.
func newTestServer(t *testing.T, opts Options) (*Server, http.Handler) {
	t.Helper()
	if opts.Engines.Sim == nil {
		opts.Engines = stubEngines(nil, nil)
	}
	if opts.Workers == 0 {
		opts.Workers = 2
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	s.datasets["sn31"] = sn31(t)
	return s, s.Handler()
}

var (
	sn31Once  sync.Once
	sn31Snaps []*metagraph.Snapshot
	sn31Err   error
)

// sn31 decodes the bundled SN31 history once for all tests (servers only
// read it).
func sn31(t testing.TB) []*metagraph.Snapshot {
	sn31Once.Do(func() { sn31Snaps, sn31Err = datasets.Load("sn31") })
	if sn31Err != nil {
		t.Fatal(sn31Err)
	}
	return sn31Snaps
}

func get(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func postForm(t testing.TB, h http.Handler, target string, form url.Values, htmx bool) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// multipartBody builds a multipart form with fields and files (field name
// -> list of (file name, content)).
func multipartBody(t *testing.T, fields url.Values, files map[string][][2]string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for field, fs := range files {
		for _, f := range fs {
			w, err := mw.CreateFormFile(field, f[0])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.WriteString(w, f[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, mw.FormDataContentType()
}

func postMultipart(t *testing.T, h http.Handler, target string, fields url.Values, files map[string][][2]string) *httptest.ResponseRecorder {
	t.Helper()
	body, ct := multipartBody(t, fields, files)
	req := httptest.NewRequest(http.MethodPost, target, body)
	req.Header.Set("Content-Type", ct)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// readStream parses an NDJSON run stream and returns its lines.
func readStream(t *testing.T, body io.Reader) []streamLine {
	t.Helper()
	var out []streamLine
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var l streamLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad stream line %q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// final returns the stream's final line, failing when there is none.
func final(t *testing.T, lines []streamLine) streamLine {
	t.Helper()
	if len(lines) == 0 || !lines[len(lines)-1].Final {
		t.Fatalf("stream has no final line: %+v", lines)
	}
	return lines[len(lines)-1]
}

var _ = context.Background
