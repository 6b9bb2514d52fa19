// Package badinput defines the error type for invalid user input.
//
// Every command maps an *Error to exit code 2 and prints its single-line
// message, which names the file, the location inside it (a step, an epoch or a
// line), the field and the reason.
package badinput

import (
	"errors"
	"fmt"
	"strings"
)

// Error describes one problem with user-supplied input.
type Error struct {
	File     string // path of the offending file, or "" for flags and arguments
	Location string // where inside the file, e.g. "step 3" or "epoch 12"; may be empty
	Field    string // the offending field or flag, e.g. "set_weights.uids[2]"
	Reason   string // what is wrong, e.g. "uid 9 is not registered (n = 8)"
}

// Error formats the problem as one line: "file: location: field: reason".
func (e *Error) Error() string {
	parts := make([]string, 0, 4)
	for _, p := range []string{e.File, e.Location, e.Field} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	parts = append(parts, e.Reason)
	return strings.Join(parts, ": ")
}

// New returns an *Error for the given file, location, field and reason.
func New(file, location, field, format string, args ...any) *Error {
	return &Error{File: file, Location: location, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Is reports whether err is, or wraps, a bad-input error.
func Is(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// WithFile returns err with File set when err is a bad-input error that does not
// name a file yet; other errors are returned unchanged.
func WithFile(err error, file string) error {
	var e *Error
	if errors.As(err, &e) && e.File == "" {
		c := *e
		c.File = file
		return &c
	}
	return err
}
