package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newHparamsCmd(e *env) *cobra.Command {
	_ = e
	return &cobra.Command{
		Use:   "hparams",
		Short: "Encode, decode and validate subnet hyperparameters",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("hparams: not implemented yet")
		},
	}
}
