// Package progress draws progress bars for long-running commands.
//
// Libraries never draw anything: long operations accept a Func callback and
// call it as work completes. Commands turn a Func into a terminal bar with
// NewBar, which draws nothing when the output is not a terminal.
package progress

import (
	"io"
	"os"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// Func is called with the number of finished units of work and the total.
// Implementations must be safe for concurrent use.
type Func func(done, total int)

// Nop is a Func that ignores progress.
func Nop(int, int) {}

// Bar is a terminal progress bar. The zero value is not usable; use NewBar.
type Bar struct {
	mu    sync.Mutex
	p     *mpb.Progress
	bar   *mpb.Bar
	name  string
	out   io.Writer
	total int
}

// NewBar returns a bar named name that draws to out (usually os.Stderr) when
// out is a terminal and draws nothing otherwise.
func NewBar(out io.Writer, name string) *Bar {
	b := &Bar{name: name}
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == "" {
		b.out = out
	}
	return b
}

// Update implements Func.
func (b *Bar) Update(done, total int) {
	if b == nil || b.out == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.p == nil {
		b.p = mpb.New(mpb.WithOutput(b.out), mpb.WithWidth(48))
		b.total = total
		b.bar = b.p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name(b.name+" "), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.AverageETA(decor.ET_STYLE_GO)),
		)
	}
	if total != b.total {
		b.total = total
		b.bar.SetTotal(int64(total), false)
	}
	b.bar.SetCurrent(int64(done))
}

// Func returns the bar's Update method as a Func.
func (b *Bar) Func() Func { return b.Update }

// Done completes the bar and waits for it to finish drawing.
func (b *Bar) Done() {
	if b == nil || b.p == nil {
		return
	}
	b.mu.Lock()
	b.bar.SetTotal(-1, true)
	p := b.p
	b.mu.Unlock()
	p.Wait()
}
