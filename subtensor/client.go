// Package subtensor reads a Bittensor subtensor node over websocket JSON-RPC:
// block hashes, runtime versions, runtime-API calls (neurons, subnet state,
// metagraph, hyperparameters) and storage maps (Weights, Bonds, LastUpdate,
// ...), decoding the SCALE answers by hand (package scale). The client
// multiplexes concurrent calls on one connection, applies a per-call timeout,
// retries transport failures with exponential backoff, reconnects, rate-limits
// requests and reports a pruned (non-archive) node with a typed error.
package subtensor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"
)

// Options tunes a Client. Zero fields take the defaults shown.
type Options struct {
	CallTimeout time.Duration // per attempt; default 60s
	DialTimeout time.Duration // default 15s
	Retries     int           // extra attempts after a transport failure; default 4, -1 for none
	BackoffMin  time.Duration // first retry delay; default 250ms, doubled each time
	BackoffMax  time.Duration // default 8s
	RatePerSec  float64       // request rate limit; default 50, negative for none
	Burst       int           // default 10
	PageSize    int           // keys per state_getKeysPaged page; default 1000
	ReadLimit   int64         // largest accepted message; default 256 MiB
}

func (o Options) withDefaults() Options {
	if o.CallTimeout <= 0 {
		o.CallTimeout = 60 * time.Second
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = 15 * time.Second
	}
	if o.Retries == 0 {
		o.Retries = 4
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.BackoffMin <= 0 {
		o.BackoffMin = 250 * time.Millisecond
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = 8 * time.Second
	}
	if o.RatePerSec == 0 {
		o.RatePerSec = 50
	}
	if o.Burst <= 0 {
		o.Burst = 10
	}
	if o.PageSize <= 0 {
		o.PageSize = 1000
	}
	if o.ReadLimit <= 0 {
		o.ReadLimit = 256 << 20
	}
	return o
}

// RPCError is a JSON-RPC error answered by the node.
type RPCError struct {
	Method  string `json:"-"`
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

func (e *RPCError) Error() string {
	s := fmt.Sprintf("%s: node error %d: %s", e.Method, e.Code, e.Message)
	if e.Data != nil {
		s += fmt.Sprintf(" (%v)", e.Data)
	}
	return s
}

// PrunedError says the node no longer has the state of the requested block:
// it is not an archive node (lite nodes keep about 300 blocks).
type PrunedError struct {
	Method string
	Err    *RPCError
}

func (e *PrunedError) Error() string {
	return fmt.Sprintf("%s: the node has discarded the state of this block (it is not an archive node; "+
		"lite nodes keep only ~300 blocks): use an archive node such as wss://archive.chain.opentensor.ai:443: %s",
		e.Method, e.Err.Message)
}

// Unwrap returns the node's error.
func (e *PrunedError) Unwrap() error { return e.Err }

// ErrClosed is returned by calls on a closed client.
var ErrClosed = errors.New("subtensor: client closed")

// isPruned recognises substrate's "state discarded" / unknown-block errors.
func isPruned(e *RPCError) bool {
	m := strings.ToLower(e.Message + fmt.Sprint(e.Data))
	return strings.Contains(m, "state already discarded") || strings.Contains(m, "unknown block") ||
		strings.Contains(m, "state pruned") || strings.Contains(m, "pruned state")
}

// transportError marks failures worth a retry (connection, timeout).
type transportError struct{ err error }

func (t transportError) Error() string { return t.err.Error() }
func (t transportError) Unwrap() error { return t.err }

type response struct {
	ID     *uint64         `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *RPCError       `json:"error"`
}

// conn is one websocket connection with its in-flight calls.
type conn struct {
	ws       *websocket.Conn
	wmu      sync.Mutex
	mu       sync.Mutex
	pending  map[uint64]chan response
	done     chan struct{}
	err      error
	lastRead atomic.Int64 // unix nanoseconds of the last message received
}

func (c *conn) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	close(c.done)
	c.ws.CloseNow()
}

func (c *conn) readLoop() {
	for {
		_, data, err := c.ws.Read(context.Background())
		if err != nil {
			c.fail(fmt.Errorf("websocket read: %w", err))
			return
		}
		c.lastRead.Store(time.Now().UnixNano())
		var r response
		if err := json.Unmarshal(data, &r); err != nil || r.ID == nil {
			continue // notifications and garbage are ignored
		}
		c.mu.Lock()
		ch := c.pending[*r.ID]
		delete(c.pending, *r.ID)
		c.mu.Unlock()
		if ch != nil {
			ch <- r
		}
	}
}

// Client is a JSON-RPC client for one node URL. It is safe for concurrent use.
type Client struct {
	url     string
	opt     Options
	limiter *rate.Limiter

	mu     sync.Mutex
	cur    *conn
	nextID uint64
	closed bool
}

// Dial connects to url (ws:// or wss://).
func Dial(ctx context.Context, url string, opt Options) (*Client, error) {
	if !strings.HasPrefix(url, "ws://") && !strings.HasPrefix(url, "wss://") {
		return nil, fmt.Errorf("subtensor: url %q must start with ws:// or wss://", url)
	}
	c := &Client{url: url, opt: opt.withDefaults()}
	if c.opt.RatePerSec > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(c.opt.RatePerSec), c.opt.Burst)
	}
	if _, err := c.connection(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Close closes the connection; in-flight calls fail with ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	c.closed = true
	cur := c.cur
	c.cur = nil
	c.mu.Unlock()
	if cur != nil {
		cur.fail(ErrClosed)
	}
	return nil
}

// connection returns the live connection, dialling a new one if needed.
func (c *Client) connection(ctx context.Context) (*conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	if c.cur != nil {
		select {
		case <-c.cur.done:
			c.cur = nil
		default:
			return c.cur, nil
		}
	}
	dctx, cancel := context.WithTimeout(ctx, c.opt.DialTimeout)
	defer cancel()
	ws, _, err := websocket.Dial(dctx, c.url, nil)
	if err != nil {
		return nil, transportError{fmt.Errorf("dial %s: %w", c.url, err)}
	}
	ws.SetReadLimit(c.opt.ReadLimit)
	cn := &conn{ws: ws, pending: map[uint64]chan response{}, done: make(chan struct{})}
	go cn.readLoop()
	c.cur = cn
	return cn, nil
}

// Call sends method(params) and unmarshals the result into out (which may be
// nil). Transport failures and timeouts are retried with exponential backoff;
// node errors are not. A node that has pruned the block returns *PrunedError.
func (c *Client) Call(ctx context.Context, method string, params []any, out any) error {
	if params == nil {
		params = []any{}
	}
	delay := c.opt.BackoffMin
	var last error
	for attempt := 0; attempt <= c.opt.Retries; attempt++ {
		if attempt > 0 {
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("%s: %w (last error: %v)", method, ctx.Err(), last)
			case <-t.C:
			}
			delay = min(delay*2, c.opt.BackoffMax)
		}
		raw, err := c.once(ctx, method, params)
		if err == nil {
			if out == nil {
				return nil
			}
			if err := json.Unmarshal(raw, out); err != nil {
				return fmt.Errorf("%s: decode result: %w", method, err)
			}
			return nil
		}
		var te transportError
		if !errors.As(err, &te) || ctx.Err() != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("%s: %w", method, ctx.Err())
			}
			return err
		}
		last = err
	}
	return fmt.Errorf("%s: giving up after %d attempts: %w", method, c.opt.Retries+1, last)
}

func (c *Client) once(ctx context.Context, method string, params []any) (json.RawMessage, error) {
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, fmt.Errorf("%s: rate limiter: %w", method, err)
		}
	}
	cn, err := c.connection(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		return nil, fmt.Errorf("%s: encode request: %w", method, err)
	}
	ch := make(chan response, 1)
	cn.mu.Lock()
	if cn.err != nil {
		cn.mu.Unlock()
		return nil, transportError{cn.err}
	}
	cn.pending[id] = ch
	cn.mu.Unlock()
	defer func() {
		cn.mu.Lock()
		delete(cn.pending, id)
		cn.mu.Unlock()
	}()

	sent := time.Now().UnixNano()
	cctx, cancel := context.WithTimeout(ctx, c.opt.CallTimeout)
	defer cancel()
	cn.wmu.Lock()
	err = cn.ws.Write(cctx, websocket.MessageText, body)
	cn.wmu.Unlock()
	if err != nil {
		cn.fail(err)
		return nil, transportError{fmt.Errorf("%s: write: %w", method, err)}
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			r.Error.Method = method
			if isPruned(r.Error) {
				return nil, &PrunedError{Method: method, Err: r.Error}
			}
			return nil, r.Error
		}
		return r.Result, nil
	case <-cn.done:
		return nil, transportError{fmt.Errorf("%s: %w", method, cn.err)}
	case <-cctx.Done():
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if cn.lastRead.Load() < sent {
			// Nothing at all arrived while we waited: treat the connection as
			// dead so the retry dials a fresh one.
			cn.fail(fmt.Errorf("no message from the node for %s", c.opt.CallTimeout))
		}
		return nil, transportError{fmt.Errorf("%s: no answer within %s", method, c.opt.CallTimeout)}
	}
}
