package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newPaperCmd(e *env) *cobra.Command {
	_ = e
	return &cobra.Command{
		Use:   "paper",
		Short: "Reproduce the liquid-alpha working paper's figures and headline numbers",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("paper: not implemented yet")
		},
	}
}
