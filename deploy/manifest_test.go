// Package deploy holds deployment examples; its test checks that they parse
// and stay consistent with the CLI.
package deploy

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestIndexedJobManifest(t *testing.T) {
	f, err := os.Open("diagnose-indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	var docs []map[string]any
	for {
		var d map[string]any
		if err := dec.Decode(&d); err != nil {
			break
		}
		docs = append(docs, d)
	}
	if len(docs) != 2 {
		t.Fatalf("%d documents, want 2 (job and merge)", len(docs))
	}
	spec := docs[0]["spec"].(map[string]any)
	if spec["completionMode"] != "Indexed" {
		t.Fatalf("completionMode = %v", spec["completionMode"])
	}
	completions := spec["completions"].(int)
	pod := spec["template"].(map[string]any)["spec"].(map[string]any)
	args := pod["containers"].([]any)[0].(map[string]any)["args"].([]any)[0].(string)
	for _, want := range []string{"yuma diagnose", "--shard auto", "--shard-count " + strconv.Itoa(completions), "${JOB_COMPLETION_INDEX}"} {
		if !strings.Contains(args, want) {
			t.Errorf("job args %q lack %q", args, want)
		}
	}
	margs := docs[1]["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)["args"].([]any)[0].(string)
	if !strings.Contains(margs, "yuma diagnose merge --out") {
		t.Errorf("merge args %q", margs)
	}
}
