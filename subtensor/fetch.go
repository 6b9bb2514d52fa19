package subtensor

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/metagraph"
)

// Store is where Fetch puts snapshots (metagraph.Store implements it).
type Store interface {
	Has(ctx context.Context, netuid int, block uint64) (bool, error)
	Put(ctx context.Context, snap *metagraph.Snapshot) error
}

// FetchOptions selects the snapshots to read.
type FetchOptions struct {
	Netuid      uint16
	From        uint64 // first block
	Tempos      int    // number of snapshots
	Tempo       uint64 // blocks between snapshots; 0 reads the subnet's Tempo at From
	Concurrency int    // snapshots read at once; default 4
	Progress    progress.Func
}

// Blocks lists the blocks From, From+Tempo, ... (Tempos of them).
func (o FetchOptions) Blocks() []uint64 {
	out := make([]uint64, 0, max(o.Tempos, 0))
	for k := 0; k < o.Tempos; k++ {
		out = append(out, o.From+uint64(k)*o.Tempo)
	}
	return out
}

// FetchResult counts what Fetch did.
type FetchResult struct {
	Tempo   uint64   `json:"tempo"` // blocks between snapshots actually used
	Fetched []uint64 `json:"fetched"`
	Skipped []uint64 `json:"skipped"` // already in the store
}

// Fetch reads one snapshot per block of opt.Blocks() into store, skipping
// blocks the store already has (so an interrupted run resumes, and a repeated
// run does nothing). At most opt.Concurrency snapshots are read at once. On
// the first error the remaining work is cancelled; snapshots already stored
// stay stored.
func Fetch(ctx context.Context, c *Client, store Store, opt FetchOptions) (FetchResult, error) {
	if opt.Tempos <= 0 {
		return FetchResult{}, fmt.Errorf("fetch: need tempos > 0")
	}
	if opt.Tempo == 0 {
		hash, err := c.BlockHash(ctx, opt.From)
		if err != nil {
			return FetchResult{}, fmt.Errorf("fetch: subnet tempo: %w", err)
		}
		t, ok, err := c.Tempo(ctx, opt.Netuid, hash)
		if err != nil {
			return FetchResult{}, fmt.Errorf("fetch: subnet tempo: %w", err)
		}
		if !ok || t == 0 {
			return FetchResult{}, fmt.Errorf("fetch: subnet %d has no tempo at block %d (not registered?): give the tempo explicitly", opt.Netuid, opt.From)
		}
		opt.Tempo = uint64(t)
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = 4
	}
	report := opt.Progress
	if report == nil {
		report = progress.Nop
	}
	blocks := opt.Blocks()
	res := FetchResult{Tempo: opt.Tempo}
	var todo []uint64
	for _, b := range blocks {
		has, err := store.Has(ctx, int(opt.Netuid), b)
		if err != nil {
			return res, fmt.Errorf("fetch: %w", err)
		}
		if has {
			res.Skipped = append(res.Skipped, b)
		} else {
			todo = append(todo, b)
		}
	}
	total := len(blocks)
	var done atomic.Int64
	done.Store(int64(len(res.Skipped)))
	report(int(done.Load()), total)

	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(opt.Concurrency)
	for _, b := range todo {
		g.Go(func() error {
			snap, err := c.Snapshot(gctx, opt.Netuid, b)
			if err != nil {
				return fmt.Errorf("fetch netuid %d block %d: %w", opt.Netuid, b, err)
			}
			if err := store.Put(gctx, snap); err != nil {
				return fmt.Errorf("fetch: store block %d: %w", b, err)
			}
			mu.Lock()
			res.Fetched = append(res.Fetched, b)
			mu.Unlock()
			report(int(done.Add(1)), total)
			return nil
		})
	}
	err := g.Wait()
	slices.Sort(res.Fetched)
	return res, err
}
