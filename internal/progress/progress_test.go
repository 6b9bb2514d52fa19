package progress

import (
	"bytes"
	"sync"
	"testing"
)

// A bar on a writer that is not a terminal draws nothing, and is safe to use
// from many goroutines.
func TestBarOffWhenNotATerminal(t *testing.T) {
	var out bytes.Buffer
	b := NewBar(&out, "work")
	f := b.Func()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i <= 100; i++ {
				f(i, 100)
			}
		}()
	}
	wg.Wait()
	b.Done()
	Nop(1, 2)
	if out.Len() != 0 {
		t.Errorf("bar drew %q on a non-terminal", out.String())
	}
	var nilBar *Bar
	nilBar.Update(1, 2)
	nilBar.Done()
}
