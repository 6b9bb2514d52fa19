package diagnose

import (
	"fmt"
	"math"
	"sort"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/metagraph"
)

// history is one subnet's replay input after the chain's masks, shared
// read-only by every grid cell. Epoch e of the history is snapshot e; the
// scored window is epochs [warm, warm+tempos).
type history struct {
	name     string
	netuid   int
	n        int         // miners (uid slots)
	blocks   []uint64    // per epoch
	vals     []int       // validator uids (engine rows 0..len-1); the copier is row len(vals)
	stake    [][]float64 // per epoch: stake per validator
	weights  [][]float64 // per epoch: len(vals) x n, row-major, masked
	active   [][]float64 // per epoch: active stake per validator (0 when masked)
	voting   [][]bool    // per epoch: active with a non-empty masked row (an honest, working validator)
	resets   [][]int     // per epoch: miner columns whose bonds reset (re-registration)
	warnings []string
	static   bool           // a single snapshot repeated
	hyper    map[string]any // hyperparameters of the last replayed snapshot (may be nil)
}

// buildHistory validates the snapshots, applies the chain's masks and keeps
// what every grid cell needs. epochs is the number of epochs to replay.
func buildHistory(src Source, o *Options, epochs int) (*history, error) {
	if len(src.Snapshots) == 0 {
		return nil, badinput.New(src.Name, "", "snapshots", "no snapshots")
	}
	snaps := append([]*metagraph.Snapshot(nil), src.Snapshots...)
	for i, s := range snaps {
		if s == nil {
			return nil, badinput.New(src.Name, fmt.Sprintf("snapshot %d", i), "", "missing snapshot")
		}
		if err := s.Validate(src.Name); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(snaps, func(a, b int) bool { return snaps[a].Block < snaps[b].Block })
	h := &history{name: src.Name, netuid: snaps[0].Netuid, n: snaps[0].N}
	for i, s := range snaps {
		loc := fmt.Sprintf("block %d", s.Block)
		if s.Netuid != h.netuid {
			return nil, badinput.New(src.Name, loc, "netuid", "%d differs from the first snapshot's %d (one subnet per history)", s.Netuid, h.netuid)
		}
		if s.N != h.n {
			return nil, badinput.New(src.Name, loc, "n", "%d differs from the first snapshot's %d; split the history where the subnet resized", s.N, h.n)
		}
		if i > 0 && s.Block == snaps[i-1].Block {
			return nil, badinput.New(src.Name, loc, "block", "duplicate snapshot for block %d", s.Block)
		}
		if s.Stake == nil {
			return nil, badinput.New(src.Name, loc, "stake", "missing; the diagnostic needs stake")
		}
	}
	if h.n == 0 {
		return nil, badinput.New(src.Name, "", "n", "subnet has no uids")
	}
	if len(snaps) == 1 {
		h.static = true
		h.warnings = append(h.warnings, "single snapshot: replayed as a static network (every reveal period sees the same weights)")
	} else {
		// Missing blocks: report gaps larger than the typical spacing.
		gaps := make([]uint64, len(snaps)-1)
		for i := 1; i < len(snaps); i++ {
			gaps[i-1] = snaps[i].Block - snaps[i-1].Block
		}
		sorted := append([]uint64(nil), gaps...)
		sort.Slice(sorted, func(a, b int) bool { return sorted[a] < sorted[b] })
		typical := sorted[len(sorted)/2]
		for i, g := range gaps {
			if g > typical*3/2 {
				h.warnings = append(h.warnings, fmt.Sprintf("gap of %d blocks between %d and %d (typical %d): each snapshot is replayed as one epoch", g, snaps[i].Block, snaps[i+1].Block, typical))
			}
		}
	}
	if v := snaps[len(snaps)-1].YumaVersion; v != "" && v != string(o.Yuma) {
		h.warnings = append(h.warnings, fmt.Sprintf("the snapshots were taken under %s but this run uses %s (see --yuma and --liquid-alpha)", v, o.Yuma))
	}
	if !h.static && len(snaps) < epochs {
		return nil, badinput.New(src.Name, "", "snapshots",
			"history has %d snapshots but the grid needs %d (largest reveal period + tempos); lower --tempos or --reveal-periods, or fetch more blocks", len(snaps), epochs)
	}
	pick := func(e int) *metagraph.Snapshot {
		if h.static {
			return snaps[0]
		}
		return snaps[e]
	}

	// Validator rows: uids that are active, with a permit and stake, in any
	// replayed epoch. Others have zero active stake throughout, so they can
	// neither move consensus nor earn bonds, and are left out of the engine.
	isVal := make([]bool, h.n)
	permits := make([][]bool, epochs)
	for e := 0; e < epochs; e++ {
		s := pick(e)
		permits[e] = permitsOf(s, o.MaxValidators)
		if s.ValidatorPermit == nil && e == 0 {
			h.warnings = append(h.warnings, fmt.Sprintf("no validator permits in the snapshots: the top %d uids by stake are taken as permitted", o.MaxValidators))
		}
		if s.LastUpdate == nil && e == 0 {
			h.warnings = append(h.warnings, "no last_update in the snapshots: activity and outdated-weight masks are not applied")
		}
		cutoff := activityCutoff(s, o)
		for u := 0; u < h.n; u++ {
			if permits[e][u] && s.Stake[u] > 0 && (s.LastUpdate == nil || satAdd(s.LastUpdate[u], cutoff) >= s.Block) {
				isVal[u] = true
			}
		}
	}
	rowOf := make([]int, h.n)
	for u := range rowOf {
		rowOf[u] = -1
		if isVal[u] {
			rowOf[u] = len(h.vals)
			h.vals = append(h.vals, u)
		}
	}
	if len(h.vals) == 0 {
		return nil, badinput.New(src.Name, "", "validator_permit", "no uid is an active validator (permit, stake and a recent last_update) in the replayed blocks")
	}
	V := len(h.vals)
	h.stake = make([][]float64, epochs)
	h.hyper = pick(epochs - 1).Hyperparameters
	h.blocks = make([]uint64, epochs)
	h.weights = make([][]float64, epochs)
	h.active = make([][]float64, epochs)
	h.resets = make([][]int, epochs)
	h.voting = make([][]bool, epochs)
	for e := 0; e < epochs; e++ {
		s := pick(e)
		h.blocks[e] = s.Block
		cutoff := activityCutoff(s, o)
		w := make([]float64, V*h.n)
		a := make([]float64, V)
		for _, row := range s.Weights {
			r := rowOf[row.UID]
			if r < 0 {
				continue
			}
			i := row.UID
			activeI := s.LastUpdate == nil || satAdd(s.LastUpdate[i], cutoff) >= s.Block
			if !permits[e][i] || !activeI {
				continue // masked validators keep their stored row but it does not count
			}
			for _, ent := range row.Entries {
				j := ent[0]
				if j == i {
					continue // self-weight removed
				}
				if s.LastUpdate != nil && s.BlockAtRegistration != nil && s.LastUpdate[i] <= s.BlockAtRegistration[j] {
					continue // outdated: set before miner j registered
				}
				w[r*h.n+j] = float64(ent[1])
			}
		}
		h.stake[e] = make([]float64, V)
		for r, u := range h.vals {
			h.stake[e][r] = s.Stake[u]
			activeU := s.LastUpdate == nil || satAdd(s.LastUpdate[u], cutoff) >= s.Block
			if permits[e][u] && activeU {
				a[r] = s.Stake[u]
			}
		}
		h.weights[e] = w
		h.active[e] = a
		h.voting[e] = make([]bool, V)
		for r := 0; r < V; r++ {
			if a[r] == 0 {
				continue
			}
			for _, x := range w[r*h.n : (r+1)*h.n] {
				if x > 0 {
					h.voting[e][r] = true
					break
				}
			}
		}
		if e > 0 && !h.static {
			prev := pick(e - 1)
			if prev.BlockAtRegistration != nil && s.BlockAtRegistration != nil {
				for j := 0; j < h.n; j++ {
					if s.BlockAtRegistration[j] != prev.BlockAtRegistration[j] {
						h.resets[e] = append(h.resets[e], j)
					}
				}
			}
		}
	}
	return h, nil
}

// permitsOf returns the snapshot's validator permits, or the top-k uids by
// stake (ties: the higher uid wins, as on chain) when it has none.
func permitsOf(s *metagraph.Snapshot, k int) []bool {
	if s.ValidatorPermit != nil {
		return s.ValidatorPermit
	}
	idx := make([]int, 0, s.N)
	for u := 0; u < s.N; u++ {
		if s.Stake[u] > 0 {
			idx = append(idx, u)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if s.Stake[idx[a]] != s.Stake[idx[b]] {
			return s.Stake[idx[a]] > s.Stake[idx[b]]
		}
		return idx[a] > idx[b]
	})
	out := make([]bool, s.N)
	for i, u := range idx {
		if i >= k {
			break
		}
		out[u] = true
	}
	return out
}

// hyperUint reads a non-negative integer hyperparameter, whatever numeric type
// the snapshot's source used.
func hyperUint(hp map[string]any, key string) (uint64, bool) {
	switch v := hp[key].(type) {
	case float64:
		if v >= 0 && v < math.MaxUint32 && v == math.Trunc(v) {
			return uint64(v), true
		}
	case int:
		if v >= 0 {
			return uint64(v), true
		}
	case int64:
		if v >= 0 {
			return uint64(v), true
		}
	case uint64:
		return v, true
	case uint32:
		return uint64(v), true
	case uint16:
		return uint64(v), true
	}
	return 0, false
}

// activityCutoff is the snapshot's activity_cutoff hyperparameter, else the option's.
func activityCutoff(s *metagraph.Snapshot, o *Options) uint64 {
	if v, ok := hyperUint(s.Hyperparameters, "activity_cutoff"); ok && v > 0 {
		return v
	}
	return o.ActivityCutoff
}

// satAdd is a + b saturating at the largest uint64, as the chain's
// saturating_add in the activity check.
func satAdd(a, b uint64) uint64 {
	if a > math.MaxUint64-b {
		return math.MaxUint64
	}
	return a + b
}
