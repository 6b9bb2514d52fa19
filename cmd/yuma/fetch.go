package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newFetchCmd(e *env) *cobra.Command {
	_ = e
	return &cobra.Command{
		Use:   "fetch",
		Short: "Read metagraph history from a subtensor node into the snapshot store",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("fetch: not implemented yet")
		},
	}
}
