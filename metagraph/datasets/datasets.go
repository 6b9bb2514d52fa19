// Package datasets embeds the real subnet data bundled with yuma (see
// README.md in this directory for provenance) and converts it to snapshots,
// so the demo and the diagnostic work offline from a clean clone.
package datasets

import (
	"bytes"
	"embed"
	"fmt"
	"sort"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/metagraph"
)

//go:embed sn31_sim.json.gz netuid15_block4769998.json.gz
var files embed.FS

// Info describes one bundled dataset.
type Info struct {
	Name        string
	Netuid      int
	Description string
}

// List returns the bundled datasets, sorted by name.
func List() []Info {
	out := []Info{
		{"sn15", 15, "Bittensor finney netuid 15, one snapshot at block 4,769,998 (bactensor/yuma-simulation); float weights converted to u16 by row max-upscale; no last_update or permits"},
		{"sn31", 31, "Bittensor finney netuid 31, 100 consecutive tempos from block 3,600,000 (renlabs-dev/subspace-network); u16 weights, last_update, block_at_registration, permits; one stake snapshot"},
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

// Load returns the snapshots of a bundled dataset ("sn31" or "sn15"),
// ascending by block. An unknown name is a *badinput.Error.
func Load(name string) ([]*metagraph.Snapshot, error) {
	switch name {
	case "sn31":
		data, err := files.ReadFile("sn31_sim.json.gz")
		if err != nil {
			return nil, fmt.Errorf("bundled dataset sn31: %w", err)
		}
		return metagraph.ImportSN31(bytes.NewReader(data), "dataset sn31")
	case "sn15":
		data, err := files.ReadFile("netuid15_block4769998.json.gz")
		if err != nil {
			return nil, fmt.Errorf("bundled dataset sn15: %w", err)
		}
		s, err := metagraph.ImportFloatSnapshot(bytes.NewReader(data), "dataset sn15")
		if err != nil {
			return nil, err
		}
		return []*metagraph.Snapshot{s}, nil
	}
	names := ""
	for i, d := range List() {
		if i > 0 {
			names += ", "
		}
		names += d.Name
	}
	return nil, badinput.New("", "", "--dataset", "unknown dataset %q (bundled: %s)", name, names)
}
