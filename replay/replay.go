// Package replay runs replay files: the chain-style state machine replay of
// interfaces.md section 2 (a file with "steps") and the simulators' matrix
// replay of section 2b (a file with "epochs"). Output is JSON Lines, one
// object per epoch.
package replay

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/subnet"
	"gopkg.in/yaml.v3"
)

// Options adjust how a replay is run and printed.
type Options struct {
	// Fields, when non-empty, limits each output line to these fields (plus
	// "epoch"/"block").
	Fields []string
	// FloatEngine runs step replays with "engine": "float" (a float64
	// subnet.Engine); such replays are refused when it is nil.
	FloatEngine subnet.Engine
}

// RunFile reads the replay file at path (JSON, or YAML by extension) and
// writes one JSON line per epoch to w.
func RunFile(ctx context.Context, path string, opts Options, w io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return badinput.New(path, "", "", "cannot read: %v", err)
	}
	return Run(ctx, path, data, opts, w)
}

// Run runs the replay held in data; name is used in error messages.
func Run(ctx context.Context, name string, data []byte, opts Options, w io.Writer) error {
	jsonData, err := toJSON(name, data)
	if err != nil {
		return err
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(jsonData, &probe); err != nil {
		return badinput.New(name, "", "", "not a JSON object: %v", err)
	}
	_, hasSteps := probe["steps"]
	_, hasEpochs := probe["epochs"]
	switch {
	case hasSteps && hasEpochs:
		return badinput.New(name, "", "steps/epochs", "a replay has either steps (chain replay) or epochs (matrix replay), not both")
	case hasEpochs:
		return runMatrix(ctx, name, jsonData, opts, w)
	case hasSteps:
		return runSteps(ctx, name, jsonData, opts, w)
	default:
		return badinput.New(name, "", "steps", "missing: a replay needs steps (chain replay) or epochs (matrix replay)")
	}
}

// toJSON converts YAML input (by extension, or when the data does not start
// with '{') to JSON so one strict decoder handles both.
func toJSON(name string, data []byte) ([]byte, error) {
	ext := strings.ToLower(filepath.Ext(name))
	trimmed := strings.TrimSpace(string(data))
	if ext != ".yaml" && ext != ".yml" && strings.HasPrefix(trimmed, "{") {
		return data, nil
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, badinput.New(name, "", "", "invalid YAML: %v", err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, badinput.New(name, "", "", "YAML cannot be expressed as JSON: %v", err)
	}
	return out, nil
}
