package subtensor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yuma-go/yuma/subtensor/subtensortest"
)

func fakeNode(t *testing.T, h subtensortest.Handler, opt Options) (*Client, *subtensortest.Server) {
	t.Helper()
	srv := subtensortest.NewServer(h)
	t.Cleanup(srv.Close)
	if opt.RatePerSec == 0 {
		opt.RatePerSec = -1
	}
	if opt.BackoffMin == 0 {
		opt.BackoffMin = time.Millisecond
	}
	c, err := Dial(context.Background(), srv.URL(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, srv
}

func echo(params json.RawMessage) subtensortest.Reply {
	return subtensortest.Reply{Result: params}
}

func TestConcurrentCallsGetTheirOwnAnswers(t *testing.T) {
	c, srv := fakeNode(t, func(_ string, p json.RawMessage) subtensortest.Reply {
		var v []int
		_ = json.Unmarshal(p, &v)
		r := echo(p)
		r.Delay = time.Duration(v[0]%7) * time.Millisecond // answers arrive out of order
		return r
	}, Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var got []int
			if err := c.Call(context.Background(), "echo", []any{i, i * 3}, &got); err != nil {
				errs <- err
				return
			}
			if len(got) != 2 || got[0] != i || got[1] != 3*i {
				errs <- fmt.Errorf("call %d got %v", i, got)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if srv.Requests.Load() != 64 {
		t.Errorf("%d requests", srv.Requests.Load())
	}
}

func TestTimeoutThenRetrySucceeds(t *testing.T) {
	var n atomic.Int64
	c, srv := fakeNode(t, func(_ string, p json.RawMessage) subtensortest.Reply {
		if n.Add(1) == 1 {
			return subtensortest.Reply{Ignore: true}
		}
		return echo(p)
	}, Options{CallTimeout: 100 * time.Millisecond})
	var got []string
	if err := c.Call(context.Background(), "x", []any{"ok"}, &got); err != nil || len(got) != 1 || got[0] != "ok" {
		t.Fatalf("got %v %v", got, err)
	}
	if srv.Requests.Load() != 2 {
		t.Errorf("want 2 requests (timeout, retry), got %d", srv.Requests.Load())
	}
}

func TestDroppedConnectionReconnects(t *testing.T) {
	var n atomic.Int64
	c, srv := fakeNode(t, func(_ string, p json.RawMessage) subtensortest.Reply {
		if n.Add(1) <= 2 {
			return subtensortest.Reply{Drop: true}
		}
		return echo(p)
	}, Options{})
	var got []int
	if err := c.Call(context.Background(), "x", []any{7}, &got); err != nil || got[0] != 7 {
		t.Fatalf("got %v %v", got, err)
	}
	if srv.Requests.Load() != 3 || srv.Conns.Load() != 3 {
		t.Errorf("want 3 requests on 3 connections, got %d on %d", srv.Requests.Load(), srv.Conns.Load())
	}
}

func TestRetriesExhausted(t *testing.T) {
	c, srv := fakeNode(t, func(string, json.RawMessage) subtensortest.Reply {
		return subtensortest.Reply{Drop: true}
	}, Options{Retries: 2})
	err := c.Call(context.Background(), "x", nil, nil)
	if err == nil || !strings.Contains(err.Error(), "giving up after 3 attempts") {
		t.Fatalf("err = %v", err)
	}
	if srv.Requests.Load() != 3 {
		t.Errorf("want 3 requests, got %d", srv.Requests.Load())
	}
}

func TestNodeErrorIsNotRetried(t *testing.T) {
	c, srv := fakeNode(t, func(string, json.RawMessage) subtensortest.Reply {
		return subtensortest.Reply{Error: &subtensortest.ErrorObject{Code: -32601, Message: "Method not found"}}
	}, Options{})
	err := c.Call(context.Background(), "nope", nil, nil)
	var re *RPCError
	if !errors.As(err, &re) || re.Code != -32601 || re.Method != "nope" {
		t.Fatalf("err = %v", err)
	}
	if srv.Requests.Load() != 1 {
		t.Errorf("%d requests", srv.Requests.Load())
	}
}

func TestPrunedNodeError(t *testing.T) {
	c, _ := fakeNode(t, func(string, json.RawMessage) subtensortest.Reply {
		return subtensortest.Reply{Error: &subtensortest.ErrorObject{Code: 4003,
			Message: "Client error: Api called for an unknown Block: State already discarded for 0xabc"}}
	}, Options{})
	_, err := c.StateCall(context.Background(), "NeuronInfoRuntimeApi_get_neurons_lite", []byte{1, 0}, "0xabc")
	var pe *PrunedError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "archive node") {
		t.Fatalf("err = %v", err)
	}
}

func TestContextCancellation(t *testing.T) {
	c, _ := fakeNode(t, func(string, json.RawMessage) subtensortest.Reply {
		return subtensortest.Reply{Ignore: true}
	}, Options{CallTimeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Call(ctx, "slow", nil, nil) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("call did not return after cancel")
	}
}

func TestRateLimiterHonoursContext(t *testing.T) {
	c, srv := fakeNode(t, echo2, Options{RatePerSec: 0.001, Burst: 1})
	if err := c.Call(context.Background(), "a", []any{1}, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err := c.Call(ctx, "b", []any{1}, nil)
	if err == nil || !strings.Contains(err.Error(), "rate limiter") {
		t.Fatalf("err = %v", err)
	}
	if srv.Requests.Load() != 1 {
		t.Errorf("the limited call reached the node (%d requests)", srv.Requests.Load())
	}
}

func echo2(_ string, p json.RawMessage) subtensortest.Reply { return echo(p) }

func TestClosedClient(t *testing.T) {
	c, _ := fakeNode(t, echo2, Options{})
	c.Close()
	if err := c.Call(context.Background(), "x", nil, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v", err)
	}
}

func TestDialErrors(t *testing.T) {
	if _, err := Dial(context.Background(), "http://x", Options{}); err == nil {
		t.Error("http url accepted")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := Dial(ctx, "ws://127.0.0.1:1", Options{}); err == nil {
		t.Error("dial to a closed port succeeded")
	}
}

// A node that goes silent on one connection: the client drops it after the
// timeout and the retry succeeds on a new connection.
func TestSilentConnectionIsReplaced(t *testing.T) {
	var first atomic.Bool
	c, srv := fakeNode(t, func(_ string, p json.RawMessage) subtensortest.Reply {
		if first.CompareAndSwap(false, true) {
			return subtensortest.Reply{Ignore: true}
		}
		return echo(p)
	}, Options{CallTimeout: 100 * time.Millisecond})
	var got []int
	if err := c.Call(context.Background(), "x", []any{5}, &got); err != nil || got[0] != 5 {
		t.Fatalf("%v %v", got, err)
	}
	if srv.Requests.Load() != 2 || srv.Conns.Load() != 2 {
		t.Errorf("requests %d connections %d, want 2 and 2", srv.Requests.Load(), srv.Conns.Load())
	}
}
