package diagnose

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/metagraph/datasets"
	"github.com/yuma-go/yuma/penalty"
)

// sn31Cache holds the bundled SN31 history, decoded once per test binary
// (snapshots are read-only for the diagnostic).
var sn31Cache struct {
	once  sync.Once
	snaps []*metagraph.Snapshot
	err   error
}

func sn31(t testing.TB) Source {
	t.Helper()
	sn31Cache.once.Do(func() { sn31Cache.snaps, sn31Cache.err = datasets.Load("sn31") })
	if sn31Cache.err != nil {
		t.Fatal(sn31Cache.err)
	}
	return Source{Name: "sn31", Snapshots: sn31Cache.snaps}
}

func smallOptions(src ...Source) Options {
	o := DefaultOptions()
	o.Sources = src
	o.AlphaLow = []float64{0.3, 0.7}
	o.AlphaHigh = []float64{0.7, 0.9}
	o.RevealPeriods = []int{0, 2, 6}
	o.Tempos = 8
	return o
}

func TestRunSN31Small(t *testing.T) {
	res, err := Run(context.Background(), smallOptions(sn31(t)), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Subnets[0]
	// 3 alpha cells (0.3/0.7, 0.3/0.9, 0.7/0.9... and 0.7/0.7) x 3 periods.
	if len(s.Rows) != 4*3 || res.Total != 12 || !res.Complete() {
		t.Fatalf("rows %d total %d", len(s.Rows), res.Total)
	}
	if len(s.Baseline) != 3 {
		t.Fatalf("baseline %d", len(s.Baseline))
	}
	if s.FirstBlock != 3600000+6*360 || s.LastBlock != 3600000+13*360 {
		t.Fatalf("window %d..%d", s.FirstBlock, s.LastBlock)
	}
	for _, r := range append(s.Rows, s.Baseline...) {
		for _, g := range []Num{r.GLast, r.GMean, r.GCumulative} {
			if math.IsNaN(float64(g)) || g <= 0 {
				t.Fatalf("row %+v has G %v", r, g)
			}
		}
		sum := 0.0
		for _, d := range r.Dividends {
			sum += float64(d)
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("dividend shares sum to %v", sum)
		}
	}
	// A perfect copier (reveal period 0, copying the current consensus) is
	// never worse off than one that lags 6 tempos.
	g0, g6 := s.Baseline[0].GCumulative, s.Baseline[2].GCumulative
	if !(g0 > g6) {
		t.Fatalf("G(rp 0) = %v, G(rp 6) = %v: lag should hurt the copier", g0, g6)
	}
	if s.Recommendation == nil {
		t.Fatal("no recommendation")
	}
}

func TestShardsMergeByteForByte(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := smallOptions(sn31(t))
	o.AlphaHigh = []float64{0.9}
	o.RevealPeriods = []int{0, 3}
	o.Tempos = 4
	whole, err := Run(ctx, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := whole.WriteFiles(filepath.Join(dir, "whole"), false); err != nil {
		t.Fatal(err)
	}
	var parts []*Result
	for i := 0; i < 2; i++ {
		so := o
		so.Shard = penalty.Shard{Index: i, Count: 2}
		so.Workers = 1 + i
		r, err := Run(ctx, so, nil)
		if err != nil {
			t.Fatal(err)
		}
		sd := filepath.Join(dir, "shard", string(rune('a'+i)))
		if err := r.WriteFiles(sd, false); err != nil {
			t.Fatal(err)
		}
		back, err := ReadResult(sd)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, back)
	}
	if _, err := Merge(parts[:1]); !badinput.Is(err) {
		t.Fatalf("merge with a missing shard: %v", err)
	}
	if _, err := Merge([]*Result{parts[0], parts[0], parts[1]}); !badinput.Is(err) {
		t.Fatalf("merge with a duplicate shard: %v", err)
	}
	merged, err := Merge(parts)
	if err != nil {
		t.Fatal(err)
	}
	if err := merged.WriteFiles(filepath.Join(dir, "merged"), false); err != nil {
		t.Fatal(err)
	}
	files, _ := os.ReadDir(filepath.Join(dir, "whole"))
	if len(files) < 6 {
		t.Fatalf("only %d files written", len(files))
	}
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(dir, "whole", f.Name()))
		b, err := os.ReadFile(filepath.Join(dir, "merged", f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between the unsharded run and the merged shards", f.Name())
		}
	}
}

func TestBadHistory(t *testing.T) {
	ctx := context.Background()
	src := sn31(t)
	short := Source{Name: "short", Snapshots: src.Snapshots[:5]}
	if _, err := Run(ctx, smallOptions(short), nil); !badinput.Is(err) {
		t.Fatalf("short history: %v", err)
	}
	mixed := Source{Name: "mixed", Snapshots: append([]*metagraph.Snapshot{{Netuid: 15, Block: 1, N: 256, Stake: make([]float64, 256)}}, src.Snapshots[1:20]...)}
	if _, err := Run(ctx, smallOptions(mixed), nil); !badinput.Is(err) {
		t.Fatalf("mixed netuids: %v", err)
	}
	dup := Source{Name: "dup", Snapshots: append([]*metagraph.Snapshot{src.Snapshots[3]}, src.Snapshots[:20]...)}
	if _, err := Run(ctx, smallOptions(dup), nil); !badinput.Is(err) {
		t.Fatalf("duplicate block: %v", err)
	}
	o := smallOptions(src)
	o.AlphaLow = []float64{1.5}
	if _, err := Run(ctx, o, nil); !badinput.Is(err) {
		t.Fatalf("alpha out of range: %v", err)
	}
	o.AlphaLow, o.AlphaHigh = []float64{0.7}, []float64{0.3}
	if _, err := Run(ctx, o, nil); !badinput.Is(err) {
		t.Fatalf("empty alpha grid: %v", err)
	}
	if _, err := Run(ctx, smallOptions(), nil); !badinput.Is(err) {
		t.Fatalf("no source: %v", err)
	}
}

func TestParseLists(t *testing.T) {
	got, err := ParseInts("--reveal-periods", "1:29:2")
	if err != nil || len(got) != 15 || got[0] != 1 || got[14] != 29 {
		t.Fatalf("1:29:2 = %v, %v", got, err)
	}
	f, err := ParseFloats("--alpha-low", "0.1:0.9:0.2")
	if err != nil || len(f) != 5 || f[4] != 0.9 {
		t.Fatalf("0.1:0.9:0.2 = %v, %v", f, err)
	}
	for _, bad := range []string{"", "a", "1:2", "3:1:1", "0:1:0", "1,,2"} {
		if _, err := ParseFloats("--x", bad); !badinput.Is(err) {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := ParseInts("--x", "1.5"); err == nil {
		t.Error("1.5 accepted as int")
	}
	for _, s := range []string{"median", "share:0.05", "tao:1000"} {
		c, err := ParseCopierStake(s)
		if err != nil || c.String() != s {
			t.Errorf("%s -> %v %v", s, c, err)
		}
	}
	for _, s := range []string{"share:1", "tao:-1", "x:1", "share:nan", "share"} {
		if _, err := ParseCopierStake(s); !badinput.Is(err) {
			t.Errorf("%q accepted", s)
		}
	}
	env := map[string]string{"JOB_COMPLETION_INDEX": "2", "JOB_COMPLETIONS": "4"}
	sh, err := ShardFromEnv(func(k string) string { return env[k] }, 0)
	if err != nil || sh != (penalty.Shard{Index: 2, Count: 4}) {
		t.Fatalf("auto shard = %v, %v", sh, err)
	}
	if _, err := ShardFromEnv(func(string) string { return "" }, 0); !badinput.Is(err) {
		t.Fatal("auto shard without env accepted")
	}
}

// TestEngineAgreesWithOracle cross-checks the production float engine
// (epoch.New, Yuma 2 with the notebooks' liquid alpha) against the
// independent test oracle on real SN31 data: every G must agree.
func TestEngineAgreesWithOracle(t *testing.T) {
	o := smallOptions(sn31(t))
	o.Engine = newOracle
	want, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Engine = nil
	got, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, b := got.Subnets[0], want.Subnets[0]
	rows := append(append([]Row(nil), a.Baseline...), a.Rows...)
	ref := append(append([]Row(nil), b.Baseline...), b.Rows...)
	for i := range rows {
		for _, m := range []string{MetricLast, MetricMean, MetricCumulative} {
			if d := math.Abs(rows[i].G(m) - ref[i].G(m)); !(d < 1e-9) {
				t.Errorf("rp %d alphas %v/%v %s: engine G %v, oracle %v", rows[i].RevealPeriod, rows[i].AlphaLow, rows[i].AlphaHigh, m, rows[i].G(m), ref[i].G(m))
			}
		}
	}
}

// TestNotebookEquivalence: in the notebooks' liquid alpha, alpha_low =
// alpha_high = 0.9 means a fixed new-bond weight of 0.1, which is the
// no-liquid-alpha baseline.
func TestNotebookEquivalence(t *testing.T) {
	o := smallOptions(sn31(t))
	o.AlphaLow, o.AlphaHigh = []float64{0.9}, []float64{0.9}
	res, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Subnets[0]
	for i, row := range s.Rows {
		if d := math.Abs(float64(row.GCumulative - s.Baseline[i].GCumulative)); d > 1e-12 {
			t.Errorf("rp %d: G %v with 0.9/0.9, %v without liquid alpha", row.RevealPeriod, row.GCumulative, s.Baseline[i].GCumulative)
		}
		if row.HonestRankShift != 0 || math.Abs(float64(row.HonestDivChange)) > 1e-12 {
			t.Errorf("rp %d: honest effect %v / %d, want none", row.RevealPeriod, row.HonestDivChange, row.HonestRankShift)
		}
	}
}

// TestSN31Golden pins the headline numbers of the default (notebook) grid on
// the bundled SN31 history, as documented in docs/diagnose.md. The oracle
// cross-check above guards the engine; this guards the whole pipeline.
func TestSN31Golden(t *testing.T) {
	o := DefaultOptions()
	o.Sources = []Source{sn31(t)}
	res, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := res.Subnets[0]
	if s.FirstBlock != 3610440 || s.LastBlock != 3620880 || s.Honest != 18 || len(s.Rows) != 15*16 {
		t.Fatalf("window %d-%d, honest %d, rows %d", s.FirstBlock, s.LastBlock, s.Honest, len(s.Rows))
	}
	golden := map[int]float64{0: 1.063905664, 1: 0.9782760883, 15: 0.898575875, 29: 0.8207958668}
	for _, b := range s.Baseline {
		if want, ok := golden[b.RevealPeriod]; ok && math.Abs(float64(b.GCumulative)-want) > 1e-6 {
			t.Errorf("rp %d: G %v, want %v", b.RevealPeriod, b.GCumulative, want)
		}
	}
	rec := s.Recommendation
	if !rec.NoLABelowOne.Found || rec.NoLABelowOne.RevealPeriod != 1 || rec.LABelowTake.Found || rec.NoLABelowTake.Found {
		t.Errorf("recommendation %+v", rec)
	}
	if rec.Best.AlphaLow != 0.9 || rec.Best.AlphaHigh != 0.9 || rec.Best.RevealPeriod != 1 {
		t.Errorf("best %+v", rec.Best)
	}
}

func TestGridIsASet(t *testing.T) {
	o := smallOptions(sn31(t))
	o.AlphaLow = []float64{0.7, 0.3, 0.7}
	o.RevealPeriods = []int{6, 0, 2, 0}
	res, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Subnets[0].Rows) != 12 || len(res.Subnets[0].Baseline) != 3 {
		t.Fatalf("rows %d baseline %d", len(res.Subnets[0].Rows), len(res.Subnets[0].Baseline))
	}
	if !slices.Equal(res.Config.RevealPeriods, []int{0, 2, 6}) || !slices.Equal(o.RevealPeriods, []int{6, 0, 2, 0}) {
		t.Fatalf("config %v, caller's slice %v", res.Config.RevealPeriods, o.RevealPeriods)
	}
}

// TestNotebookWindow: in the notebook's window the largest reveal period is
// scored on the same epochs as in the common window (so its G agrees), the
// others on earlier epochs (so theirs differ).
func TestNotebookWindow(t *testing.T) {
	o := smallOptions(sn31(t))
	common, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	o.Window = WindowNotebook
	nb, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, n := common.Subnets[0].Baseline, nb.Subnets[0].Baseline
	last := len(c) - 1
	if c[last].GCumulative != n[last].GCumulative {
		t.Errorf("rp %d: common %v, notebook %v", c[last].RevealPeriod, c[last].GCumulative, n[last].GCumulative)
	}
	if c[0].GCumulative == n[0].GCumulative {
		t.Errorf("rp 0 scored on the same epochs in both windows")
	}
	if nb.Subnets[0].FirstBlock != 3600000 || nb.Config.Window != WindowNotebook {
		t.Errorf("first block %d, window %q", nb.Subnets[0].FirstBlock, nb.Config.Window)
	}
	o.Window = "other"
	if _, err := Run(context.Background(), o, nil); !badinput.Is(err) {
		t.Errorf("bad window: %v", err)
	}
}
