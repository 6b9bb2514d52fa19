package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newDiagnoseCmd(e *env) *cobra.Command {
	_ = e
	return &cobra.Command{
		Use:   "diagnose",
		Short: "Weight-copying diagnostic on real subnet history",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("diagnose: not implemented yet")
		},
	}
}
