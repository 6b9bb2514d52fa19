// Package replay runs replay files: the chain-style state machine replay of
// interfaces.md section 2 (a file with "steps") and the simulators' matrix
// replay of section 2b (a file with "epochs"). Output is JSON Lines, one
// object per epoch.
package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
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
	// Progress, when set, is called after each epoch of a matrix replay with
	// (epochs done, epochs in the file).
	Progress progress.Func
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
	if loc, field, ok := nonFinite(v, nil); ok {
		return nil, badinput.New(name, loc, field, "must be a finite number (NaN and infinities are not allowed)")
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, badinput.New(name, "", "", "YAML cannot be expressed as JSON: %v", err)
	}
	return out, nil
}

// nonFinite finds the first NaN or infinite number in a decoded YAML value
// and names it like the replay errors do: "step 3" / "epoch 2" plus the
// field path inside it, or the path from the top.
func nonFinite(v any, path []any) (loc, field string, ok bool) {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			loc, field := describePath(path)
			return loc, field, true
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if loc, field, ok := nonFinite(x[k], append(path, k)); ok {
				return loc, field, true
			}
		}
	case []any:
		for i, e := range x {
			if loc, field, ok := nonFinite(e, append(path, i)); ok {
				return loc, field, true
			}
		}
	}
	return "", "", false
}

func describePath(path []any) (loc, field string) {
	if len(path) >= 2 {
		if i, isIdx := path[1].(int); isIdx {
			switch path[0] {
			case "steps":
				loc, path = fmt.Sprintf("step %d", i), path[2:]
			case "epochs":
				loc, path = fmt.Sprintf("epoch %d", i), path[2:]
			}
		}
	}
	var b strings.Builder
	for _, p := range path {
		switch x := p.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", x)
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(x)
		}
	}
	return loc, b.String()
}
