package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/paper"
)

// maxPaperCache bounds the reproductions kept in memory.
const maxPaperCache = 8

type paperPage struct {
	Title    string
	Nav      string
	Variants []paperVariant
	Form     paperForm
	Cached   template.HTML
}

type paperVariant struct {
	Name, Description string
}

// paperForm is the paper page's options (blank means the paper's value).
type paperForm struct {
	Variant string
	Step    string
	Rounds  string
}

func (s *Server) paperPage(f paperForm) paperPage {
	p := paperPage{Title: "The liquid-alpha paper's figures", Nav: "paper", Form: f}
	for _, v := range paper.Variants() {
		p.Variants = append(p.Variants, paperVariant{string(v), v.Describe()})
	}
	return p
}

// handlePaper shows the paper page, with the default reproduction if it has
// been run already.
func (s *Server) handlePaper(w http.ResponseWriter, r *http.Request) {
	f := paperForm{Variant: string(paper.VariantNotebook), Step: "0.05"}
	p := s.paperPage(f)
	if _, key, err := paperOptions(f); err == nil {
		s.mu.Lock()
		p.Cached = s.paperCache[key]
		s.mu.Unlock()
	}
	s.render(w, r, "paper", "layout.html", p)
}

// paperOptions validates the form; key identifies the run in the cache.
func paperOptions(f paperForm) (paper.Options, string, error) {
	v, err := paper.ParseVariant(f.Variant)
	if err != nil {
		return paper.Options{}, "", badinput.New("", "", "variant", "%v", err)
	}
	o := paper.Options{Variant: v}
	return o, string(v) + "|" + f.Step + "|" + f.Rounds, nil
}

// handlePaperRun reproduces the paper (paper.Run, as `yuma paper` does) and
// streams progress, then paper's own HTML section.
func (s *Server) handlePaperRun(w http.ResponseWriter, r *http.Request) {
	if err := s.parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f := paperForm{Variant: r.FormValue("variant"), Step: r.FormValue("step"), Rounds: r.FormValue("rounds")}
	o, key, err := paperOptions(f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	step, ok, err := formFloat(r, "step", 0.001, 0.5)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ok {
		o.Step = step
	}
	rounds, ok, err := formInt(r, "rounds", 1, 1000)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ok {
		o.Rounds = rounds
	}
	o.Workers = s.opts.Workers
	o.Engine = s.opts.Engines.Paper
	s.mu.Lock()
	cached, hit := s.paperCache[key]
	s.mu.Unlock()
	s.stream(w, r, func(ctx context.Context, prog progress.Func) (template.HTML, error) {
		if hit {
			return cached, nil
		}
		o.Progress = prog
		res, err := paper.Run(ctx, o)
		if err != nil {
			return "", err
		}
		sec, err := res.HTMLSection()
		if err != nil {
			return "", fmt.Errorf("paper section: %w", err)
		}
		s.mu.Lock()
		if len(s.paperCache) >= maxPaperCache {
			for k := range s.paperCache {
				delete(s.paperCache, k)
				break
			}
		}
		s.paperCache[key] = sec
		s.mu.Unlock()
		return sec, nil
	})
}
