package main

import (
	"fmt"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/yuma-go/yuma/web"
)

func newServeCmd(e *env) *cobra.Command {
	var (
		addr string
		opts web.Options
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web dashboard",
		Long: `Serve the dashboard: the scenario explorer, the liquid-alpha paper's figures,
the weight-copying diagnostic with live progress and the metagraph view
(each validator's weight against consensus; why a validator's trust is what
it is). Pages are rendered by the same code as the CLI, so their numbers equal
the CLI's. Every asset is embedded; the dashboard needs no network.

It listens on loopback by default; binding another address exposes it to the
network (it has no authentication) and prints a warning. Ctrl-C shuts it down
gracefully, cancelling running sweeps.`,
		Example: `  yuma serve
  yuma serve --addr 127.0.0.1:9000 --store yuma.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, _, err := net.SplitHostPort(addr); err != nil {
				return usagef("--addr %q: want host:port (e.g. 127.0.0.1:8080)", addr)
			}
			if opts.MaxRuns < 1 {
				return usagef("--max-runs must be at least 1")
			}
			if opts.MaxBodyBytes < 1<<10 {
				return usagef("--max-upload must be at least 1024 bytes")
			}
			if opts.RunTimeout < time.Second {
				return usagef("--run-timeout must be at least 1s")
			}
			opts.Log = e.stderr
			srv, err := web.New(opts)
			if err != nil {
				return usagef("%v", err)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
			if !web.IsLoopback(ln.Addr().String()) {
				fmt.Fprintf(e.stderr, "yuma: warning: listening on %s, which is not loopback: anyone who can reach it can run sweeps (there is no authentication)\n", ln.Addr())
			}
			fmt.Fprintf(e.stdout, "yuma dashboard on http://%s/ (Ctrl-C to stop)\n", ln.Addr())
			return srv.Serve(cmd.Context(), ln)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "listen address host:port (loopback by default)")
	f.StringVar(&opts.StorePath, "store", "", "snapshot store (SQLite, from yuma fetch) whose subnets the diagnostic and metagraph pages offer")
	f.IntVar(&opts.MaxRuns, "max-runs", 2, "long runs (sweeps, reproductions, simulations) at once; more get 503")
	f.Int64Var(&opts.MaxBodyBytes, "max-upload", 32<<20, "request body limit in bytes (uploads)")
	f.DurationVar(&opts.RunTimeout, "run-timeout", 10*time.Minute, "longest run before it is stopped")
	f.IntVar(&opts.Workers, "workers", 0, "worker goroutines per sweep (0 = all cores)")
	return cmd
}
