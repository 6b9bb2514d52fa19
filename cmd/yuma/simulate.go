package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newSimulateCmd(e *env) *cobra.Command {
	_ = e
	return &cobra.Command{
		Use:   "simulate",
		Short: "Run a simulation scenario with validator strategies",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("simulate: not implemented yet")
		},
	}
}
