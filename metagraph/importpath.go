package metagraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/yuma-go/yuma/internal/badinput"
)

// ImportFile reads one file in any supported format and returns its
// snapshots: a snapshot file (.json or gzip), the bundled real-data schemas
// (real-sn31-v1, real-snapshot-v1, detected by their "schema" field) or a
// Python-saved metagraph (.pt / .pkl, see ReadPT).
func ImportFile(path string) ([]*Snapshot, error) {
	if strings.HasSuffix(path, ".pt") || strings.HasSuffix(path, ".pkl") || strings.HasSuffix(path, ".pickle") {
		s, err := ReadPT(path)
		if err != nil {
			return nil, err
		}
		return []*Snapshot{s}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, badinput.New(path, "", "", "file does not exist")
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	data, err := readMaybeGzip(f, path)
	if err != nil {
		return nil, err
	}
	var head struct {
		Schema string `json:"schema"`
	}
	_ = json.Unmarshal(data, &head)
	switch head.Schema {
	case "real-sn31-v1":
		return ImportSN31(bytes.NewReader(data), path)
	case "real-snapshot-v1":
		s, err := ImportFloatSnapshot(bytes.NewReader(data), path)
		if err != nil {
			return nil, err
		}
		return []*Snapshot{s}, nil
	}
	s, err := DecodeSnapshot(bytes.NewReader(data), path)
	if err != nil {
		return nil, err
	}
	return []*Snapshot{s}, nil
}

// ImportPath imports a file (see ImportFile) or every supported file of a
// directory (*.json, *.json.gz, *.pt, *.pkl; not recursive), sorted by
// netuid and block.
func ImportPath(path string) ([]*Snapshot, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, badinput.New(path, "", "", "cannot read: %v", err)
	}
	if !fi.IsDir() {
		return ImportFile(path)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, badinput.New(path, "", "", "cannot read directory: %v", err)
	}
	var out []*Snapshot
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") {
			continue
		}
		switch {
		case strings.HasSuffix(name, ".json"), strings.HasSuffix(name, ".json.gz"),
			strings.HasSuffix(name, ".pt"), strings.HasSuffix(name, ".pkl"):
		default:
			continue
		}
		snaps, err := ImportFile(filepath.Join(path, name))
		if err != nil {
			return nil, err
		}
		out = append(out, snaps...)
	}
	if len(out) == 0 {
		return nil, badinput.New(path, "", "", "no snapshot files (*.json, *.json.gz, *.pt, *.pkl) in the directory")
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Netuid != out[b].Netuid {
			return out[a].Netuid < out[b].Netuid
		}
		return out[a].Block < out[b].Block
	})
	return out, nil
}
