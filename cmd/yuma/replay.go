package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newReplayCmd(e *env) *cobra.Command {
	_ = e
	return &cobra.Command{
		Use:   "replay",
		Short: "Run a subnet replay file and print one JSON object per epoch",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("replay: not implemented yet")
		},
	}
}
