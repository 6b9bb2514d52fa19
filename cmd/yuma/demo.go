package main

import (
	"errors"

	"github.com/spf13/cobra"
)

func newDemoCmd(e *env) *cobra.Command {
	_ = e
	return &cobra.Command{
		Use:   "demo",
		Short: "Run the main job on bundled data: paper reproduction and the diagnostic on SN31",
		RunE: func(*cobra.Command, []string) error {
			return errors.New("demo: not implemented yet")
		},
	}
}
