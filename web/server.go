// Package web is the dashboard behind `yuma serve`: server-rendered pages
// (html/template, htmx for partial updates, charts drawn server-side as SVG by
// package report) over the same result types the CLI prints, so the numbers
// on a page equal the CLI's.
//
// Pages: the scenario explorer (package sim), the paper's figures (package
// paper), the weight-copying diagnostic with live progress (package diagnose)
// and the metagraph view (a snapshot run through the chain-exact epoch of
// package chain). Every asset is embedded; nothing is fetched at run time.
//
// Hardening: request bodies are capped, the http.Server has read, write and
// idle timeouts, long runs share a bounded semaphore (503 when full) and stop
// when the client leaves, no handler takes a file path from the client (the
// only file the server reads is the snapshot store given on the command
// line), cross-origin POSTs and foreign Host headers are refused on loopback.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/metagraph/datasets"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Engines override the engines the pages run (tests); nil fields mean the
// packages' defaults (the float engine of package epoch).
type Engines struct {
	Sim      epoch.Factory
	Paper    epoch.Factory
	Diagnose epoch.Factory
}

// Options configure a Server. Zero values select the defaults noted.
type Options struct {
	// StorePath is a snapshot store (SQLite, written by `yuma fetch`) whose
	// subnets the diagnostic and metagraph pages offer; "" means none.
	StorePath string
	// MaxRuns bounds the long runs (sweeps, paper reproductions, scenario
	// runs) in flight at once; further requests get 503. Default 2.
	MaxRuns int
	// MaxBodyBytes caps every request body (uploads included). Default 32 MiB.
	MaxBodyBytes int64
	// RunTimeout bounds one long run. Default 10 minutes.
	RunTimeout time.Duration
	// MaxScenarioCells bounds epochs x validators x miners x variants of an
	// explorer run. Default 20 million.
	MaxScenarioCells int
	// Workers is the goroutine count of sweeps (0 = all cores).
	Workers int
	// Log receives one line per failed request; nil discards.
	Log io.Writer
	// Engines overrides the engines (tests).
	Engines Engines
}

func (o Options) withDefaults() Options {
	if o.MaxRuns <= 0 {
		o.MaxRuns = 2
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 32 << 20
	}
	if o.RunTimeout <= 0 {
		o.RunTimeout = 10 * time.Minute
	}
	if o.MaxScenarioCells <= 0 {
		o.MaxScenarioCells = 20_000_000
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

// Server is the dashboard. Create it with New; it is safe for concurrent use.
type Server struct {
	opts  Options
	pages map[string]*template.Template
	runs  chan struct{} // semaphore of long runs
	log   *log.Logger

	mu         sync.Mutex
	paperCache map[string]template.HTML
	datasets   map[string][]*metagraph.Snapshot // decoded bundled datasets (read-only)
}

// dataset returns a bundled dataset's snapshots, decoded once per server.
// Callers must not modify them.
func (s *Server) dataset(name string) ([]*metagraph.Snapshot, error) {
	s.mu.Lock()
	snaps, ok := s.datasets[name]
	s.mu.Unlock()
	if ok {
		return snaps, nil
	}
	snaps, err := datasets.Load(name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.datasets[name] = snaps
	s.mu.Unlock()
	return snaps, nil
}

// New checks the options (the store must exist) and parses the templates.
func New(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	if opts.StorePath != "" {
		st, err := os.Stat(opts.StorePath)
		if err != nil {
			return nil, fmt.Errorf("snapshot store: %w", err)
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("snapshot store %s: not a regular file", opts.StorePath)
		}
		store, err := metagraph.OpenStore(opts.StorePath)
		if err != nil {
			return nil, fmt.Errorf("snapshot store: %w", err)
		}
		if err := store.Close(); err != nil {
			return nil, fmt.Errorf("snapshot store: %w", err)
		}
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Server{
		opts:       opts,
		pages:      pages,
		runs:       make(chan struct{}, opts.MaxRuns),
		log:        log.New(opts.Log, "yuma serve: ", log.LstdFlags),
		paperCache: map[string]template.HTML{},
		datasets:   map[string][]*metagraph.Snapshot{},
	}, nil
}

// parsePages builds one template set per page: the shared layout plus the
// page's own file.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// Handler returns the dashboard's routes wrapped in the hardening middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /explore", s.handleExplore)
	mux.HandleFunc("POST /explore", s.handleExploreRun)
	mux.HandleFunc("GET /paper", s.handlePaper)
	mux.HandleFunc("POST /paper/run", s.handlePaperRun)
	mux.HandleFunc("GET /diagnose", s.handleDiagnose)
	mux.HandleFunc("POST /diagnose/run", s.handleDiagnoseRun)
	mux.HandleFunc("GET /metagraph", s.handleMetagraph)
	mux.HandleFunc("POST /metagraph", s.handleMetagraphUpload)
	cop := http.NewCrossOriginProtection()
	return s.harden(cop.Handler(mux))
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// harden sets the security headers, caps request bodies and turns a panic
// into a 500 (a handler bug must not take the server down).
func (s *Server) harden(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Printf("%s %s: panic: %v", r.Method, r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// loopbackHosts refuses requests whose Host header is not a loopback name
// (DNS-rebinding protection for a server bound to loopback).
func loopbackHosts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.Trim(host, "[]")
		ip := net.ParseIP(host)
		if !(strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())) {
			http.Error(w, "forbidden host "+r.Host+": the dashboard answers on loopback names only", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// IsLoopback reports whether addr (host:port) binds to a loopback address
// only.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve answers on ln until ctx is cancelled, then shuts down gracefully
// (in-flight requests get 10 s; their runs see their contexts cancelled).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	h := s.Handler()
	if IsLoopback(ln.Addr().String()) {
		h = loopbackHosts(h)
	}
	baseCtx, cancelAll := context.WithCancel(context.Background())
	defer cancelAll()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads
		WriteTimeout:      2 * time.Minute, // streaming runs extend their own deadline
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          s.log,
		BaseContext:       func(net.Listener) context.Context { return baseCtx },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	cancelAll() // long runs stop; their handlers return quickly
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// tryAcquire takes a run slot without waiting.
func (s *Server) tryAcquire() bool {
	select {
	case s.runs <- struct{}{}:
		return true
	default:
		return false
	}
}

func (s *Server) release() { <-s.runs }

// busy answers 503 when every run slot is taken.
func (s *Server) busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "5")
	http.Error(w, fmt.Sprintf("busy: %d runs are already in progress (the limit); try again when one finishes", s.opts.MaxRuns), http.StatusServiceUnavailable)
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "index", "layout.html", struct{ Title, Nav string }{"Yuma Consensus dashboard", ""})
}
