// Package subtensortest provides loopback fake subtensor nodes for tests: a
// websocket JSON-RPC server driven by a handler function, and a handler that
// answers from the recorded finney request/response pairs in testdata/rpc.
package subtensortest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// Reply is a handler's answer to one request.
type Reply struct {
	Result json.RawMessage // used when Error is nil
	Error  *ErrorObject
	Delay  time.Duration // wait before answering
	Drop   bool          // close the connection instead of answering
	Ignore bool          // never answer
}

// ErrorObject is a JSON-RPC error.
type ErrorObject struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Handler answers one request. It may be called concurrently.
type Handler func(method string, params json.RawMessage) Reply

// Server is a loopback websocket JSON-RPC server.
type Server struct {
	*httptest.Server
	handler  Handler
	Requests atomic.Int64 // number of requests received
	Conns    atomic.Int64 // number of websocket connections accepted
	mu       sync.Mutex
	log      []string // "method params" of every request
}

// URL returns the ws:// URL of the server.
func (s *Server) URL() string { return "ws" + strings.TrimPrefix(s.Server.URL, "http") }

// Log returns a copy of the request log.
func (s *Server) Log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// NewServer starts a server on 127.0.0.1; Close it when done.
func NewServer(h Handler) *Server {
	s := &Server{handler: h}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	s.Conns.Add(1)
	ws.SetReadLimit(64 << 20)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	defer ws.CloseNow()
	var wmu sync.Mutex
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return
		}
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
		}
		if json.Unmarshal(data, &req) != nil {
			continue
		}
		s.Requests.Add(1)
		s.mu.Lock()
		s.log = append(s.log, req.Method+" "+string(req.Params))
		s.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep := s.handler(req.Method, req.Params)
			if rep.Delay > 0 {
				select {
				case <-time.After(rep.Delay):
				case <-ctx.Done():
					return
				}
			}
			if rep.Drop {
				ws.CloseNow()
				cancel()
				return
			}
			if rep.Ignore {
				return
			}
			msg := map[string]any{"jsonrpc": "2.0", "id": req.ID}
			if rep.Error != nil {
				msg["error"] = rep.Error
			} else if rep.Result == nil {
				msg["result"] = nil
			} else {
				msg["result"] = rep.Result
			}
			b, _ := json.Marshal(msg)
			wmu.Lock()
			defer wmu.Unlock()
			_ = ws.Write(ctx, websocket.MessageText, b)
		}()
	}
}

// Recording is the parsed testdata/rpc/finney-recorded.json.
type Recording struct {
	Entries []Entry `json:"entries"`
}

// Entry is one recorded request/response pair.
type Entry struct {
	Seed   string            `json:"seed"`
	Method string            `json:"method"`
	Params json.RawMessage   `json:"params"`
	Result json.RawMessage   `json:"result"`
	Error  *ErrorObject      `json:"error"`
	Cycle  []json.RawMessage `json:"cycle"`
}

// Load reads a recording file.
func Load(path string) (*Recording, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load recording: %w", err)
	}
	var r Recording
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("parse recording %s: %w", path, err)
	}
	return &r, nil
}

var hexRe = regexp.MustCompile(`^(0[xX])?[0-9a-fA-F]*$`)

// normalise makes params comparable: trailing nulls dropped, hex strings
// lowercased without 0x, method aliases merged.
func normalise(v any) any {
	switch x := v.(type) {
	case string:
		if hexRe.MatchString(x) {
			return strings.TrimPrefix(strings.ToLower(x), "0x")
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = normalise(x[i])
		}
		return out
	}
	return v
}

// Key returns the matching key of a request.
func Key(method string, params json.RawMessage) string {
	if method == "state_getStorageAt" {
		method = "state_getStorage"
	}
	var p []any
	if len(params) > 0 {
		_ = json.Unmarshal(params, &p)
	}
	for len(p) > 0 && p[len(p)-1] == nil {
		p = p[:len(p)-1]
	}
	b, _ := json.Marshal(normalise(p))
	return method + " " + string(b)
}

// Replayer answers requests from recorded entries of chosen seeds. Unknown
// requests get a JSON-RPC error -32601 naming the request, so a test sees
// exactly which call the recording does not cover.
type Replayer struct {
	mu      sync.Mutex
	answers map[string][]Reply
	turn    map[string]int
	extra   map[string]Reply
}

// NewReplayer indexes the entries of the named seeds (all seeds when none).
func NewReplayer(r *Recording, seeds ...string) *Replayer {
	want := map[string]bool{}
	for _, s := range seeds {
		want[s] = true
	}
	p := &Replayer{answers: map[string][]Reply{}, turn: map[string]int{}, extra: map[string]Reply{}}
	for _, e := range r.Entries {
		if len(want) > 0 && !want[e.Seed] {
			continue
		}
		k := Key(e.Method, e.Params)
		var reps []Reply
		switch {
		case e.Cycle != nil:
			for _, c := range e.Cycle {
				var one struct {
					Result json.RawMessage `json:"result"`
					Error  *ErrorObject    `json:"error"`
				}
				_ = json.Unmarshal(c, &one)
				reps = append(reps, Reply{Result: one.Result, Error: one.Error})
			}
		case e.Error != nil:
			reps = []Reply{{Error: e.Error}}
		default:
			reps = []Reply{{Result: e.Result}}
		}
		p.answers[k] = reps
	}
	return p
}

// Add answers (method, params) with result, overriding the recording. Tests
// use it for calls the recording lacks, and must say so.
func (p *Replayer) Add(method string, params []any, result any) {
	b, _ := json.Marshal(params)
	r, _ := json.Marshal(result)
	p.mu.Lock()
	p.extra[Key(method, b)] = Reply{Result: r}
	p.mu.Unlock()
}

// Handle implements Handler.
func (p *Replayer) Handle(method string, params json.RawMessage) Reply {
	k := Key(method, params)
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.extra[k]; ok {
		return r
	}
	reps, ok := p.answers[k]
	if !ok {
		return Reply{Error: &ErrorObject{Code: -32601, Message: "not in recording: " + k}}
	}
	i := p.turn[k] % len(reps)
	p.turn[k]++
	return reps[i]
}
