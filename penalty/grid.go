package penalty

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/yuma-go/yuma/internal/progress"
)

// Shard selects a disjoint part of a grid: job i belongs to the shard with
// Index == i % Count. The zero value (Count 0) and Count 1 mean the whole grid.
// Running every shard of a Count and merging the outputs by job index gives
// exactly the unsharded result, because each job is independent and
// deterministic.
type Shard struct {
	Index, Count int
}

// Owns reports whether job i belongs to the shard.
func (s Shard) Owns(i int) bool {
	if s.Count <= 1 {
		return true
	}
	return i%s.Count == s.Index
}

// Jobs returns the indices in [0, total) that belong to the shard, in
// increasing order.
func (s Shard) Jobs(total int) []int {
	out := make([]int, 0, s.Len(total))
	for i := range total {
		if s.Owns(i) {
			out = append(out, i)
		}
	}
	return out
}

// Len returns how many of the jobs in [0, total) belong to the shard.
func (s Shard) Len(total int) int {
	if total <= 0 {
		return 0
	}
	if s.Count <= 1 {
		return total
	}
	if s.Index >= total {
		return 0
	}
	return (total-1-s.Index)/s.Count + 1
}

// Validate checks 0 <= Index < Count (or the zero value).
func (s Shard) Validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d/%d: need 0 <= index < count", s.Index, s.Count)
	}
	return nil
}

// String formats the shard as "index/count".
func (s Shard) String() string {
	if s.Count <= 1 {
		return "0/1"
	}
	return strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count)
}

// ParseShard parses "i/n" (0 <= i < n), as given to a --shard flag.
func ParseShard(text string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(text), "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want i/n, e.g. 0/4", text)
	}
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: want two integers i/n", text)
	}
	s := Shard{Index: i, Count: n}
	if n < 1 {
		return Shard{}, fmt.Errorf("shard %q: the count must be at least 1", text)
	}
	if err := s.Validate(); err != nil {
		return Shard{}, err
	}
	return s, nil
}

// Grid runs Total independent jobs on Workers goroutines.
//
// A job is a function of its index only; it writes its output into a slot the
// caller owns (for example out[i] of a slice allocated beforehand), so no
// locking is needed and the result does not depend on the number of workers or
// on scheduling. Only the jobs of Shard run. Progress, when set, is called with
// (finished, jobs in the shard) after each job, from the worker goroutines.
type Grid struct {
	Total    int
	Workers  int // <= 0 means runtime.NumCPU()
	Shard    Shard
	Progress progress.Func
}

// Run executes the grid's jobs and waits for them. It stops handing out jobs
// as soon as ctx is cancelled or a job fails. It returns the error of the
// failed job with the smallest index (wrapped with that index), or ctx.Err()
// when cancelled, or nil when every job of the shard succeeded.
func (g Grid) Run(ctx context.Context, job func(ctx context.Context, i int) error) error {
	if err := g.Shard.Validate(); err != nil {
		return err
	}
	if g.Total < 0 {
		return fmt.Errorf("grid: negative job count %d", g.Total)
	}
	jobs := g.Shard.Jobs(g.Total)
	workers := g.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, len(jobs))
	if len(jobs) == 0 {
		return ctx.Err()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		next     atomic.Int64
		done     atomic.Int64
		mu       sync.Mutex
		firstErr error
		errIndex = -1
		wg       sync.WaitGroup
	)
	report := g.Progress
	if report == nil {
		report = progress.Nop
	}
	report(0, len(jobs))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				k := int(next.Add(1)) - 1
				if k >= len(jobs) {
					return
				}
				i := jobs[k]
				if err := job(ctx, i); err != nil {
					mu.Lock()
					if errIndex < 0 || i < errIndex {
						errIndex, firstErr = i, err
					}
					mu.Unlock()
					cancel()
					return
				}
				report(int(done.Add(1)), len(jobs))
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return fmt.Errorf("grid job %d: %w", errIndex, firstErr)
	}
	if int(done.Load()) < len(jobs) {
		// Cancelled by the caller before every job ran.
		if err := context.Cause(ctx); err != nil {
			return err
		}
		return context.Canceled
	}
	return nil
}
