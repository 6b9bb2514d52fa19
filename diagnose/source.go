package diagnose

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/metagraph/datasets"
)

// LoadDataset returns a bundled history (see metagraph/datasets) as a Source.
func LoadDataset(name string) (Source, error) {
	snaps, err := datasets.Load(name)
	if err != nil {
		return Source{}, err
	}
	return Source{Name: name, Snapshots: snaps}, nil
}

// LoadPath reads a snapshot file or directory (see metagraph.ImportPath) and
// returns one Source per subnet found in it.
func LoadPath(path string) ([]Source, error) {
	snaps, err := metagraph.ImportPath(path)
	if err != nil {
		return nil, err
	}
	return groupByNetuid(path, snaps), nil
}

func groupByNetuid(name string, snaps []*metagraph.Snapshot) []Source {
	var out []Source
	idx := map[int]int{}
	for _, s := range snaps {
		i, ok := idx[s.Netuid]
		if !ok {
			i = len(out)
			idx[s.Netuid] = i
			out = append(out, Source{Name: "sn" + strconv.Itoa(s.Netuid)})
		}
		out[i].Snapshots = append(out[i].Snapshots, s)
	}
	if len(out) == 1 && name != "" {
		out[0].Name = fmt.Sprintf("sn%d", out[0].Snapshots[0].Netuid)
	}
	return out
}

// LoadStore reads the snapshots of each netuid within [from, to] (to = 0:
// no bound) from a snapshot store.
func LoadStore(ctx context.Context, path string, netuids []int, from, to uint64) ([]Source, error) {
	if len(netuids) == 0 {
		return nil, badinput.New("", "", "--netuid", "required with --store")
	}
	if _, err := os.Stat(path); err != nil {
		return nil, badinput.New(path, "", "--store", "cannot read the store: %v", err)
	}
	st, err := metagraph.OpenStore(path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var out []Source
	for _, n := range netuids {
		snaps, err := st.Range(ctx, n, from, to)
		if err != nil {
			return nil, err
		}
		if len(snaps) == 0 {
			return nil, badinput.New(path, "", "--netuid", "the store has no snapshot of netuid %d in blocks %d..%d", n, from, to)
		}
		out = append(out, Source{Name: "sn" + strconv.Itoa(n), Snapshots: snaps})
	}
	return out, nil
}
