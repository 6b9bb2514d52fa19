package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `yuma serve args...` in-process and returns the base URL
// it prints, its stderr and a stop function returning the exit code.
func startServe(t *testing.T, args ...string) (string, *syncBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), pw, stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no address line (stderr %q): %v", stderr.String(), err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	i := strings.Index(line, "http://")
	if i < 0 {
		cancel()
		t.Fatalf("line %q has no URL", line)
	}
	url := strings.TrimSpace(strings.Fields(line[i:])[0])
	return url, stderr, func() int {
		cancel()
		return <-done
	}
}

func TestServeStartsAndStops(t *testing.T) {
	url, stderr, stop := startServe(t, "--addr", "127.0.0.1:0")
	resp, err := http.Get(url + "healthz")
	if err != nil {
		stop()
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, b)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "warning") {
		t.Errorf("loopback warned: %q", stderr.String())
	}
}

func TestServeWarnsOffLoopback(t *testing.T) {
	_, stderr, stop := startServe(t, "--addr", "0.0.0.0:0")
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
	if !strings.Contains(stderr.String(), "not loopback") {
		t.Errorf("no warning: %q", stderr.String())
	}
}

func TestServeBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "--addr", "nonsense"},
		{"serve", "--store", "/nonexistent/yuma.db"},
		{"serve", "--max-runs", "0"},
		{"serve", "--max-upload", "10"},
		{"serve", "--run-timeout", "1ms"},
		{"serve", "extra-arg"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != 2 {
			t.Errorf("yuma %v: exit %d, want 2 (stderr %q)", args, code, stderr)
		}
		if strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("yuma %v: want one error line, got %q", args, stderr)
		}
	}
}
