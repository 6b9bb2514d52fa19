package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/subtensor"
)

type fetchFlags struct {
	url         string
	netuid      int
	from        uint64
	tempos      int
	tempo       uint64
	store       string
	concurrency int
	timeout     time.Duration
	retries     int
	rate        float64
	asJSON      bool
}

func newFetchCmd(e *env) *cobra.Command {
	var f fetchFlags
	cmd := &cobra.Command{
		Use:   "fetch --url ws://... --netuid N --from BLOCK --tempos K --store FILE",
		Short: "Read metagraph history from a subtensor node into the snapshot store",
		Long: `Read one snapshot per tempo (blocks FROM, FROM+TEMPO, ...) of a subnet from a
subtensor node into the local snapshot store. Blocks already in the store are
skipped, so an interrupted fetch resumes where it stopped. Historical blocks
need an archive node (wss://archive.chain.opentensor.ai:443); lite nodes keep
only about 300 blocks.

Then: yuma diagnose --store FILE --netuid N`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runFetch(c, e, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.url, "url", "", "websocket URL of a subtensor node (ws:// or wss://)")
	fl.IntVar(&f.netuid, "netuid", -1, "subnet id")
	fl.Uint64Var(&f.from, "from", 0, "first block")
	fl.IntVar(&f.tempos, "tempos", 0, "number of snapshots (one per tempo)")
	fl.Uint64Var(&f.tempo, "tempo", 360, "blocks between snapshots (0: the subnet's tempo at --from)")
	fl.StringVar(&f.store, "store", "", "snapshot store file (created if missing)")
	fl.IntVar(&f.concurrency, "concurrency", 4, "snapshots read at the same time (1..64)")
	fl.DurationVar(&f.timeout, "timeout", 60*time.Second, "timeout of one RPC call")
	fl.IntVar(&f.retries, "retries", 4, "retries of a failed RPC call (with exponential backoff)")
	fl.Float64Var(&f.rate, "rate", 50, "largest number of RPC requests per second")
	fl.BoolVar(&f.asJSON, "json", false, "print the result as JSON")
	return cmd
}

func runFetch(c *cobra.Command, e *env, f fetchFlags) error {
	switch {
	case f.url == "":
		return usagef("--url is required (e.g. wss://archive.chain.opentensor.ai:443)")
	case !strings.HasPrefix(f.url, "ws://") && !strings.HasPrefix(f.url, "wss://"):
		return usagef("--url %q must start with ws:// or wss://", f.url)
	case f.netuid < 0 || f.netuid > 65535:
		return usagef("--netuid is required and must be in 0..65535")
	case !c.Flags().Changed("from"):
		return usagef("--from BLOCK is required")
	case f.tempos < 1 || f.tempos > 1_000_000:
		return usagef("--tempos must be in 1..1000000")
	case f.store == "":
		return usagef("--store FILE is required")
	case f.concurrency < 1 || f.concurrency > 64:
		return usagef("--concurrency must be in 1..64")
	case f.timeout <= 0:
		return usagef("--timeout must be positive")
	case f.retries < 0 || f.retries > 100:
		return usagef("--retries must be in 0..100")
	case !(f.rate > 0) || f.rate > 1e6:
		return usagef("--rate must be a positive number of requests per second")
	}
	ctx := c.Context()
	store, err := metagraph.OpenStore(f.store)
	if err != nil {
		return err
	}
	defer store.Close()
	retries := f.retries
	if retries == 0 {
		retries = -1
	}
	client, err := subtensor.Dial(ctx, f.url, subtensor.Options{CallTimeout: f.timeout, Retries: retries, RatePerSec: f.rate})
	if err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	defer client.Close()
	bar := progress.NewBar(os.Stderr, "fetch")
	res, err := subtensor.Fetch(ctx, client, store, subtensor.FetchOptions{
		Netuid: uint16(f.netuid), From: f.from, Tempos: f.tempos, Tempo: f.tempo,
		Concurrency: f.concurrency, Progress: bar.Func(),
	})
	bar.Done()
	if err != nil {
		return fmt.Errorf("%w (%d snapshots stored before the error; rerun to resume)", err, len(res.Fetched))
	}
	if f.asJSON {
		return writeJSON(e.stdout, map[string]any{"store": f.store, "netuid": f.netuid, "tempo": res.Tempo,
			"fetched": nonNil(res.Fetched), "skipped": nonNil(res.Skipped)})
	}
	fmt.Fprintf(e.stdout, "fetched %d, skipped %d (already stored) snapshots of netuid %d every %d blocks into %s\n",
		len(res.Fetched), len(res.Skipped), f.netuid, res.Tempo, f.store)
	fmt.Fprintf(e.stdout, "next: yuma diagnose --store %s --netuid %d\n", f.store, f.netuid)
	return nil
}

func nonNil(v []uint64) []uint64 {
	if v == nil {
		return []uint64{}
	}
	return v
}
