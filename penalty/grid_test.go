package penalty

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
)

func square(out []float64) func(context.Context, int) error {
	return func(_ context.Context, i int) error {
		out[i] = math.Sqrt(float64(i)) * 3
		return nil
	}
}

func TestGridRunsEveryJobOnce(t *testing.T) {
	const total = 1000
	var mu sync.Mutex
	seen := make([]int, total)
	err := Grid{Total: total, Workers: 4}.Run(context.Background(), func(_ context.Context, i int) error {
		mu.Lock()
		seen[i]++
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("job %d ran %d times", i, n)
		}
	}
}

func TestGridShardsMergeToUnsharded(t *testing.T) {
	const total = 97
	whole := make([]float64, total)
	if err := (Grid{Total: total}).Run(context.Background(), square(whole)); err != nil {
		t.Fatal(err)
	}
	for _, count := range []int{1, 2, 3, 7, 200} {
		merged := make([]float64, total)
		owned := make([]int, total)
		for idx := range count {
			part := make([]float64, total)
			sh := Shard{Index: idx, Count: count}
			if err := (Grid{Total: total, Workers: 3, Shard: sh}).Run(context.Background(), square(part)); err != nil {
				t.Fatal(err)
			}
			if got, want := sh.Len(total), len(sh.Jobs(total)); got != want {
				t.Errorf("shard %v: Len %d, Jobs %d", sh, got, want)
			}
			for _, i := range sh.Jobs(total) {
				merged[i] = part[i]
				owned[i]++
			}
		}
		for i := range total {
			if owned[i] != 1 {
				t.Fatalf("count %d: job %d owned by %d shards", count, i, owned[i])
			}
			if merged[i] != whole[i] {
				t.Fatalf("count %d: job %d merged %v, unsharded %v", count, i, merged[i], whole[i])
			}
		}
	}
}

func TestGridProgress(t *testing.T) {
	var mu sync.Mutex
	var calls, last, lastTotal int
	err := Grid{Total: 10, Workers: 2, Shard: Shard{Index: 1, Count: 3}, Progress: func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		last = max(last, done)
		lastTotal = total
	}}.Run(context.Background(), func(context.Context, int) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	// Shard 1/3 of 10 jobs owns 1, 4, 7: progress 0 then 1..3.
	if calls != 4 || last != 3 || lastTotal != 3 {
		t.Errorf("progress calls %d, last %d/%d", calls, last, lastTotal)
	}
}

func TestGridReturnsSmallestFailingJob(t *testing.T) {
	boom := errors.New("boom")
	err := Grid{Total: 50, Workers: 1}.Run(context.Background(), func(_ context.Context, i int) error {
		if i == 7 || i == 9 {
			return fmt.Errorf("job %d: %w", i, boom)
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if want := "grid job 7: job 7: boom"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestGridCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	ran := 0
	err := Grid{Total: 10000, Workers: 2}.Run(ctx, func(context.Context, int) error {
		mu.Lock()
		ran++
		if ran == 5 {
			cancel()
		}
		mu.Unlock()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if ran >= 10000 {
		t.Errorf("all %d jobs ran despite cancellation", ran)
	}
	// Already cancelled context: nothing runs.
	ran = 0
	err = Grid{Total: 10}.Run(ctx, func(context.Context, int) error { ran++; return nil })
	if !errors.Is(err, context.Canceled) || ran != 0 {
		t.Errorf("pre-cancelled: err %v, ran %d", err, ran)
	}
}

func TestGridEdgeCases(t *testing.T) {
	if err := (Grid{Total: 0}).Run(context.Background(), nil); err != nil {
		t.Errorf("empty grid: %v", err)
	}
	if err := (Grid{Total: -1}).Run(context.Background(), nil); err == nil {
		t.Error("negative total: no error")
	}
	if err := (Grid{Total: 3, Shard: Shard{Index: 3, Count: 3}}).Run(context.Background(), nil); err == nil {
		t.Error("bad shard: no error")
	}
	// A shard with no jobs (index beyond total) succeeds without running anything.
	if err := (Grid{Total: 2, Shard: Shard{Index: 4, Count: 5}}).Run(context.Background(), nil); err != nil {
		t.Errorf("empty shard: %v", err)
	}
}

func TestParseShard(t *testing.T) {
	s, err := ParseShard(" 2/5 ")
	if err != nil || s != (Shard{Index: 2, Count: 5}) || s.String() != "2/5" {
		t.Errorf("ParseShard = %v, %v", s, err)
	}
	for _, bad := range []string{"", "3", "5/5", "-1/2", "a/b", "1/0", "0/0", "1/2/3"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q): no error", bad)
		}
	}
}

func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/1", "3/4", "4/4", "x", "-1/3", " 1 / 2 ", "9999999999999999999/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseShard(text)
		if err != nil {
			return
		}
		if s.Index < 0 || s.Index >= s.Count {
			t.Fatalf("ParseShard(%q) = %+v accepted", text, s)
		}
		back, err := ParseShard(s.String())
		if err != nil || back != s {
			t.Fatalf("round trip %q -> %v -> %v, %v", text, s, back, err)
		}
	})
}
