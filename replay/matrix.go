package replay

import (
	"context"
	"errors"
	"io"
)

// runMatrix runs a matrix replay (interfaces.md section 2b).
func runMatrix(ctx context.Context, name string, data []byte, opts Options, w io.Writer) error {
	return errors.New("matrix replay: not implemented yet")
}
