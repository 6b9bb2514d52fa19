package web

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/metagraph"
)

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestPagesRender(t *testing.T) {
	_, h := newTestServer(t, Options{})
	for path, want := range map[string]string{
		"/":          "Scenario explorer",
		"/explore":   "explore-form",
		"/paper":     "paper-form",
		"/diagnose":  "diagnose-form",
		"/metagraph": "mg-form",
		"/healthz":   "ok",
	} {
		rec := get(t, h, path)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: status %d, body lacks %q", path, rec.Code, want)
		}
	}
	if rec := get(t, h, "/nope"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown page: status %d", rec.Code)
	}
}

func TestSecurityHeadersAndStatic(t *testing.T) {
	_, h := newTestServer(t, Options{})
	rec := get(t, h, "/")
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
	} {
		if !strings.Contains(rec.Header().Get(k), want) {
			t.Errorf("%s = %q", k, rec.Header().Get(k))
		}
	}
	for _, p := range []string{"/static/htmx.min.js", "/static/app.js", "/static/style.css"} {
		rec := get(t, h, p)
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			t.Errorf("%s: status %d", p, rec.Code)
		}
	}
	if rec := get(t, h, "/static/../server.go"); rec.Code == http.StatusOK && strings.Contains(rec.Body.String(), "package web") {
		t.Error("static handler serves source files")
	}
}

func TestBodyLimit(t *testing.T) {
	_, h := newTestServer(t, Options{MaxBodyBytes: 2048})
	big := strings.Repeat("x", 10000)
	rec := postMultipart(t, h, "/metagraph", url.Values{"uid": {"0"}}, map[string][][2]string{"snapshot": {{"big.json", big}}})
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "too large") {
		t.Errorf("multipart: status %d %q, want 413", rec.Code, rec.Body)
	}
	rec = postForm(t, h, "/explore", url.Values{"case": {big}}, false)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("form: status %d, want 413", rec.Code)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	_, h := newTestServer(t, Options{})
	req := httptest.NewRequest(http.MethodPost, "/explore", strings.NewReader("case=case01&yuma=yuma3"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	if rec := serve(h, req); rec.Code != http.StatusForbidden {
		t.Errorf("cross-site POST: status %d, want 403", rec.Code)
	}
}

func TestLoopbackHostCheck(t *testing.T) {
	h := loopbackHosts(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
	for host, want := range map[string]int{
		"127.0.0.1:8080": 200, "localhost:8080": 200, "[::1]:8080": 200, "LOCALHOST": 200,
		"evil.example:8080": 403, "10.0.0.1": 403, "": 403,
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = host
		if rec := serve(h, req); rec.Code != want {
			t.Errorf("Host %q: status %d, want %d", host, rec.Code, want)
		}
	}
	for addr, want := range map[string]bool{"127.0.0.1:80": true, "localhost:1": true, "[::1]:9": true, "0.0.0.0:80": false, ":8080": false, "192.168.1.2:80": false, "junk": false} {
		if IsLoopback(addr) != want {
			t.Errorf("IsLoopback(%q) = %v", addr, !want)
		}
	}
}

func TestPanicBecomes500(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	h := s.harden(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	if rec := serve(h, httptest.NewRequest(http.MethodGet, "/", nil)); rec.Code != http.StatusInternalServerError {
		t.Errorf("status %d", rec.Code)
	}
}

// Serve answers on a real listener and shuts down when its context ends.
func TestServeGracefulShutdown(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "ok\n" {
		t.Fatalf("healthz: %d %q", resp.StatusCode, b)
	}
	// a foreign Host header is refused on loopback
	req, _ := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/", nil)
	req.Host = "rebind.example"
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("foreign host: %d", resp.StatusCode)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

func TestStoreSubnets(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.db")
	st, err := metagraph.OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 6; k++ {
		if err := st.Put(context.Background(), tinySnapshot(uint64(5000+360*k), [2]int{65535, 100}, [2]int{200, 65535})); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	_, h := newTestServer(t, Options{StorePath: path})
	if body := get(t, h, "/diagnose").Body.String(); !strings.Contains(body, `value="store:7"`) {
		t.Error("store subnet not offered")
	}
	rec := get(t, h, "/metagraph?source=store:7&uid=0")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "netuid 7, block 6800") {
		t.Fatalf("status %d", rec.Code)
	}
	rec = postForm(t, h, "/diagnose/run", with(smallGrid, "source", "store:7", "tempos", "3"), false)
	if f := final(t, readStream(t, rec.Body)); f.Error != "" || !strings.Contains(f.HTML, "netuid 7") {
		t.Fatalf("store sweep: %+v", f.Error)
	}
	if rec := get(t, h, "/metagraph?source=store:8"); rec.Code != http.StatusBadRequest {
		t.Errorf("missing netuid: %d", rec.Code)
	}
	if _, err := New(Options{StorePath: filepath.Join(dir, "missing.db")}); err == nil {
		t.Error("a missing store was accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("New created the missing store")
	}
}

// FuzzMetagraphUpload: no uploaded bytes make the server panic or answer 5xx.
func FuzzMetagraphUpload(f *testing.F) {
	f.Add([]byte(`{"netuid":1,"block":5,"n":2,"stake":[1,1],"weights":[[0,[[1,65535]]]]}`), "0")
	f.Add([]byte(`{"netuid":1,"block":5,"n":2,"stake":[1,1e308],"weights":[[0,[[1,65535],[1,3]]]],"last_update":[9,9]}`), "1")
	f.Add([]byte(`{"netuid":1,"block":0,"n":1,"stake":[0]}`), "0")
	f.Add([]byte("\x1f\x8b"), "x")
	f.Add([]byte(`{"n":-1}`), "")
	s, err := New(Options{Engines: stubEngines(nil, nil)})
	if err != nil {
		f.Fatal(err)
	}
	h := s.Handler()
	f.Fuzz(func(t *testing.T, data []byte, uid string) {
		var b bytes.Buffer
		body, ct := multipartBody(t, url.Values{"uid": {uid}}, map[string][][2]string{"snapshot": {{"f.json", string(data)}}})
		b.Write(body.Bytes())
		req := httptest.NewRequest(http.MethodPost, "/metagraph", &b)
		req.Header.Set("Content-Type", ct)
		rec := serve(h, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}
