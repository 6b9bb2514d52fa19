package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// runCLI runs the yuma command line in-process and returns exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--help"}, 0, ""},
		{[]string{"no-such-command"}, 2, "unknown command"},
		{[]string{"replay"}, 2, "accepts 1 arg"},
		{[]string{"replay", "--no-such-flag", "x"}, 2, "unknown flag"},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(t, tc.args...)
		if code != tc.code {
			t.Errorf("yuma %v: exit %d, want %d (stderr %q)", tc.args, code, tc.code, stderr)
		}
		if tc.msg != "" && !strings.Contains(stderr, tc.msg) {
			t.Errorf("yuma %v: stderr %q does not mention %q", tc.args, stderr, tc.msg)
		}
		if tc.code == 2 && strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("yuma %v: want a single error line, got %q", tc.args, stderr)
		}
	}
}

func TestEverySubcommandHasHelp(t *testing.T) {
	root := newRootCmd(&env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}})
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		code, out, stderr := runCLI(t, c.Name(), "--help")
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("yuma %s --help: exit %d, stdout %q, stderr %q", c.Name(), code, out, stderr)
		}
	}
}
