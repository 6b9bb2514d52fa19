package replay

import (
	"context"
	"errors"
	"io"
)

// runSteps runs a chain-style replay (interfaces.md section 2).
func runSteps(ctx context.Context, name string, data []byte, opts Options, w io.Writer) error {
	return errors.New("chain replay: not implemented yet")
}
