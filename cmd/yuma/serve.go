package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newServeCmd(e *env) *cobra.Command {
	_ = e
	return &cobra.Command{
		Use:   "serve",
		Short: "Serve the web dashboard",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("serve: not implemented yet")
		},
	}
}
