package badinput

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorFormatsOneLine(t *testing.T) {
	e := New("f.json", "step 3", "set_weights.uids[2]", "uid %d is not registered", 9)
	if got, want := e.Error(), "f.json: step 3: set_weights.uids[2]: uid 9 is not registered"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := New("", "", "--take", "must be in [0, 1)").Error(); got != "--take: must be in [0, 1)" {
		t.Errorf("flag error %q", got)
	}
}

func TestIsAndWithFile(t *testing.T) {
	wrapped := fmt.Errorf("loading: %w", New("", "epoch 2", "stake", "negative"))
	if !Is(wrapped) || Is(errors.New("plain")) {
		t.Fatal("Is does not see through wrapping")
	}
	named := WithFile(wrapped, "x.yaml")
	if got := named.Error(); got != "x.yaml: epoch 2: stake: negative" {
		t.Errorf("WithFile: %q", got)
	}
	already := New("a.json", "", "f", "r")
	if WithFile(already, "b.json").Error() != "a.json: f: r" {
		t.Error("WithFile replaced an existing file name")
	}
	plain := errors.New("io")
	if WithFile(plain, "c") != plain {
		t.Error("WithFile changed a non-input error")
	}
}
