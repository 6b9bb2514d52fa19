// Command yuma is the command-line front end of the yuma toolkit: Bittensor's
// Yuma Consensus, chain-exact and fast, with the weight-copying diagnostic.
//
// Exit codes: 0 success, 2 bad usage or bad input (one line on stderr naming
// the file, field and reason), 1 internal failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/yuma-go/yuma/internal/badinput"
)

// env carries what every sub-command needs instead of package-level state.
type env struct {
	stdout io.Writer
	stderr io.Writer
}

// usageError marks errors in flags or arguments (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "yuma",
		Short:         "Bittensor Yuma Consensus: chain-exact engine, simulator and weight-copying diagnostic",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newDemoCmd(e),
		newReplayCmd(e),
		newSimulateCmd(e),
		newPaperCmd(e),
		newDiagnoseCmd(e),
		newHparamsCmd(e),
		newFetchCmd(e),
		newServeCmd(e),
	)
	return root
}

// run executes the command line and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "yuma:", err)
	var ue usageError
	switch {
	case errors.As(err, &ue), badinput.Is(err), isCobraUsage(err):
		return 2
	default:
		return 1
	}
}

// isCobraUsage recognises cobra's own argument errors ("unknown command",
// "accepts N arg(s)", "unknown flag").
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "unknown flag", "unknown shorthand", "flag needs an argument", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
