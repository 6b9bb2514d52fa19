package metagraph

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/yuma-go/yuma/internal/badinput"
)

// FloatRowToU16 converts one float weight row (any non-negative scale, e.g.
// the SDK's row-normalised metagraph.W) into the chain's stored u16 form: the
// row is max-upscaled so its largest value becomes 65535 and every value is
// rounded to the nearest integer (half away from zero), as the chain's
// set_weights normalisation does. Zero entries are dropped (the chain's
// get_neurons omits them too); an all-zero row gives no entries. Negative,
// NaN or infinite values are an error.
func FloatRowToU16(row []float64) ([]Entry, error) {
	maxv := 0.0
	for j, v := range row {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, fmt.Errorf("weight[%d] = %v is not a finite non-negative number", j, v)
		}
		maxv = math.Max(maxv, v)
	}
	if maxv == 0 {
		return nil, nil
	}
	var out []Entry
	for j, v := range row {
		if v == 0 {
			continue
		}
		q := int(math.Round(v / maxv * 65535))
		if q > 0 {
			out = append(out, Entry{j, q})
		}
	}
	return out, nil
}

// sn31File is the schema "real-sn31-v1" of the bundled SN31 history (see
// metagraph/datasets/README.md).
type sn31File struct {
	Schema     string   `json:"schema"`
	Netuid     int      `json:"netuid"`
	N          int      `json:"n"`
	Tempo      int      `json:"tempo"`
	StakeBlock uint64   `json:"stake_block"`
	StakeRao   []uint64 `json:"stake_rao"`
	Epochs     []struct {
		Block   uint64 `json:"block"`
		Weights []struct {
			UID int   `json:"uid"`
			W   []int `json:"w"`
		} `json:"weights_u16"`
		LastUpdate          []uint64 `json:"last_update"`
		BlockAtRegistration []uint64 `json:"block_at_registration"`
		ValidatorPermit     []bool   `json:"validator_permit"`
	} `json:"epochs"`
}

// ImportSN31 converts the bundled SN31 history (schema real-sn31-v1: one
// stake vector in rao and 100 samples of u16 weight rows, last_update,
// block_at_registration and validator permits) into one snapshot per sample,
// ascending by block. The single stake snapshot (taken at stake_block) is
// converted to TAO and repeated in every snapshot; the source has no hotkeys,
// bonds, chain outputs or hyperparameters, so those fields stay empty. Weight
// rows keep every entry of the source, explicit zeros included.
func ImportSN31(r io.Reader, name string) ([]*Snapshot, error) {
	data, err := readMaybeGzip(r, name)
	if err != nil {
		return nil, err
	}
	var f sn31File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, jsonError(name, data, err)
	}
	if f.Schema != "real-sn31-v1" {
		return nil, badinput.New(name, "", "schema", "%q is not real-sn31-v1", f.Schema)
	}
	if f.N <= 0 || f.N > MaxUIDs {
		return nil, badinput.New(name, "", "n", "%d is outside 1..%d", f.N, MaxUIDs)
	}
	if len(f.StakeRao) != f.N {
		return nil, badinput.New(name, "", "stake_rao", "has %d values, want n = %d", len(f.StakeRao), f.N)
	}
	if len(f.Epochs) == 0 {
		return nil, badinput.New(name, "", "epochs", "no samples")
	}
	stake := make([]float64, f.N)
	for i, v := range f.StakeRao {
		stake[i] = float64(v) / 1e9
	}
	out := make([]*Snapshot, 0, len(f.Epochs))
	for ei, e := range f.Epochs {
		loc := fmt.Sprintf("epochs[%d] (block %d)", ei, e.Block)
		s := &Snapshot{
			Netuid: f.Netuid, Block: e.Block, N: f.N,
			Stake:               append([]float64(nil), stake...),
			ValidatorPermit:     e.ValidatorPermit,
			LastUpdate:          e.LastUpdate,
			BlockAtRegistration: e.BlockAtRegistration,
		}
		for wi, w := range e.Weights {
			if len(w.W) != f.N {
				return nil, badinput.New(name, loc, fmt.Sprintf("weights_u16[%d].w", wi), "has %d values, want n = %d", len(w.W), f.N)
			}
			row := Row{UID: w.UID, Entries: make([]Entry, len(w.W))}
			for j, v := range w.W {
				row.Entries[j] = Entry{j, v}
			}
			s.Weights = append(s.Weights, row)
		}
		sort.Slice(s.Weights, func(a, b int) bool { return s.Weights[a].UID < s.Weights[b].UID })
		if err := s.Validate(name); err != nil {
			return nil, badinput.WithFile(err, name)
		}
		if ei > 0 && e.Block <= out[ei-1].Block {
			return nil, badinput.New(name, loc, "block", "blocks must ascend (previous sample is block %d)", out[ei-1].Block)
		}
		out = append(out, s)
	}
	return out, nil
}

// ImportFloatSnapshot converts a snapshot of schema "real-snapshot-v1" (one
// block: float stake, a dense float weight matrix whose rows sum to 1, and
// hotkeys, as the bundled SN15 file) into a Snapshot. Weight rows are
// converted to u16 with FloatRowToU16 (row max-upscale, as the chain stores
// them). Nothing else (permits, last_update, registration) is invented.
func ImportFloatSnapshot(r io.Reader, name string) (*Snapshot, error) {
	data, err := readMaybeGzip(r, name)
	if err != nil {
		return nil, err
	}
	var f struct {
		Schema  string      `json:"schema"`
		Netuid  int         `json:"netuid"`
		Block   uint64      `json:"block"`
		N       int         `json:"n"`
		Stake   []float64   `json:"stake"`
		Weights [][]float64 `json:"weights"`
		Hotkeys []string    `json:"hotkeys"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, jsonError(name, data, err)
	}
	if f.Schema != "real-snapshot-v1" {
		return nil, badinput.New(name, "", "schema", "%q is not real-snapshot-v1", f.Schema)
	}
	return FromDense(name, f.Netuid, f.Block, f.Stake, f.Weights, f.Hotkeys)
}

// FromDense builds a snapshot from a float stake vector and a dense float
// weight matrix (rows = uids), converting each row with FloatRowToU16.
// hotkeys may be nil. name is used in error messages.
func FromDense(name string, netuid int, block uint64, stake []float64, w [][]float64, hotkeys []string) (*Snapshot, error) {
	n := len(stake)
	if n == 0 || n > MaxUIDs {
		return nil, badinput.New(name, "", "stake", "has %d values, want 1..%d", n, MaxUIDs)
	}
	if len(w) != n {
		return nil, badinput.New(name, "", "weights", "has %d rows, want n = %d", len(w), n)
	}
	s := &Snapshot{Netuid: netuid, Block: block, N: n, Stake: stake, Hotkeys: hotkeys}
	for i, row := range w {
		if len(row) != n {
			return nil, badinput.New(name, "", fmt.Sprintf("weights[%d]", i), "has %d values, want n = %d (ragged matrix)", len(row), n)
		}
		e, err := FloatRowToU16(row)
		if err != nil {
			return nil, badinput.New(name, "", fmt.Sprintf("weights[%d]", i), "%v", err)
		}
		if len(e) > 0 {
			s.Weights = append(s.Weights, Row{UID: i, Entries: e})
		}
	}
	if err := s.Validate(name); err != nil {
		return nil, err
	}
	return s, nil
}
