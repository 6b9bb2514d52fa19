package web

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
)

// streamLine is one line of a run's NDJSON stream: progress lines while the
// run goes, then one line with the rendered HTML or the error.
type streamLine struct {
	Done     int    `json:"done"`
	Total    int    `json:"total"`
	HTML     string `json:"html,omitempty"`
	Error    string `json:"error,omitempty"`
	BadInput bool   `json:"bad_input,omitempty"`
	Final    bool   `json:"final,omitempty"`
}

// progressInterval is how often a stream reports progress; heartbeatInterval
// the longest silence.
const (
	progressInterval  = 200 * time.Millisecond
	heartbeatInterval = 5 * time.Second
)

// stream runs job in the request's context, holding one run slot, and writes
// an application/x-ndjson stream: {"done","total"} lines as the job reports
// progress, then a final line with "html" or "error". The job stops when the
// client goes away (the request context is cancelled) or after RunTimeout.
// The caller has validated the request: stream only answers 503 when every
// slot is busy.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, job runJob) {
	if !s.tryAcquire() {
		s.busy(w)
		return
	}
	defer s.release()
	s.streamHeld(w, r, job)
}

// runJob is a long run: it reports progress and returns the HTML to show.
type runJob func(ctx context.Context, prog progress.Func) (template.HTML, error)

// streamHeld is stream for a caller that already holds a run slot.
func (s *Server) streamHeld(w http.ResponseWriter, r *http.Request, job runJob) {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.RunTimeout)
	defer cancel()
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Now().Add(s.opts.RunTimeout + 10*time.Second))

	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	send := func(l streamLine) bool {
		if err := enc.Encode(l); err != nil {
			return false
		}
		return rc.Flush() == nil
	}

	var done, total atomic.Int64
	prog := func(d, t int) {
		done.Store(int64(d))
		total.Store(int64(t))
	}
	type outcome struct {
		html template.HTML
		err  error
	}
	res := make(chan outcome, 1)
	go func() {
		h, err := job(ctx, prog)
		res <- outcome{h, err}
	}()
	tick := time.NewTicker(progressInterval)
	defer tick.Stop()
	lastD, lastT := int64(-1), int64(-1)
	lastSent := time.Now()
	send(streamLine{})
	for {
		select {
		case out := <-res:
			d, t := int(done.Load()), int(total.Load())
			if out.err != nil {
				msg, bad := errorText(out.err)
				if !errors.Is(out.err, context.Canceled) {
					s.log.Printf("%s %s: %v", r.Method, r.URL.Path, out.err)
				}
				send(streamLine{Done: d, Total: t, Error: msg, BadInput: bad, Final: true})
				return
			}
			send(streamLine{Done: t, Total: t, HTML: string(out.html), Final: true})
			return
		case <-tick.C:
			d, t := done.Load(), total.Load()
			// report changes, and say something every heartbeatInterval so
			// that a vanished client is noticed and proxies keep the stream
			if d != lastD || t != lastT || time.Since(lastSent) >= heartbeatInterval {
				lastD, lastT, lastSent = d, t, time.Now()
				if !send(streamLine{Done: int(d), Total: int(t)}) {
					cancel() // the client is gone: stop the run
				}
			}
		}
	}
}

// errorText turns an error into the one line a page shows, and whether it is
// the user's input at fault.
func errorText(err error) (string, bool) {
	switch {
	case badinput.Is(err):
		return err.Error(), true
	case errors.Is(err, context.DeadlineExceeded):
		return "the run took longer than the server's limit and was stopped; try a smaller grid", false
	case errors.Is(err, context.Canceled):
		return "the run was cancelled", false
	}
	return "internal error: " + err.Error(), false
}
