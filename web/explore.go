package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/sim"
	"github.com/yuma-go/yuma/sim/simout"
)

// maxChartVariants bounds the variants drawn on one explorer page (the
// summary table lists them all).
const maxChartVariants = 6

// exploreForm is the explorer's form state, echoed back into the page.
type exploreForm struct {
	Case        string
	Upload      string // name of the uploaded scenario, if any
	Yuma        []string
	LiquidAlpha []string
	Compat      string
	Resets      bool
	Params      map[string]string
}

// paramFields are the explorer's parameter inputs, in the scenario file's
// vocabulary, with their valid ranges.
var paramFields = []struct {
	Name, Label string
	Lo, Hi      float64
}{
	{"kappa", "kappa", 0, 1},
	{"bonds_penalty", "bonds penalty", 0, 1},
	{"bonds_moving_average", "bonds moving average (retention)", 0, 1},
	{"alpha_low", "alpha_low", 0, 1},
	{"alpha_high", "alpha_high", 0, 1},
	{"alpha_sigmoid_steepness", "alpha sigmoid steepness", 0, 1000},
}

// caseOption is one catalogue entry of the case picker.
type caseOption struct {
	Name, Label string
}

// exploreVariant is one variant's row of the summary and its charts.
type exploreVariant struct {
	Name   string
	Charts []namedSVG
	// TotalDividends per validator, as `yuma simulate` prints them.
	TotalDividends []float64
	MeanVTrust     []float64
	MeanIncentive  []float64
}

type namedSVG struct {
	Name string
	SVG  template.HTML
}

// exploreResult is what the explorer shows for one run.
type exploreResult struct {
	Name, Description string
	Epochs            int
	Validators        []string
	Miners            []string
	Variants          []exploreVariant
	ChartsOmitted     int
}

type explorePage struct {
	Title   string
	Nav     string
	Cases   []caseOption
	Yumas   []string
	LAs     []string
	Compats []string
	Params  []paramInput
	Form    exploreForm
	Result  *exploreResult
	Error   string
}

type paramInput struct {
	Name, Label, Value string
}

func (s *Server) explorePage(f exploreForm) explorePage {
	p := explorePage{
		Title: "Scenario explorer", Nav: "explore", Form: f,
		Yumas:   []string{"yuma1", "yuma2", "yuma2a", "yuma2b", "yuma2c", "yuma3"},
		LAs:     []string{"off", "v1", "v1-paper", "v2"},
		Compats: []string{"chain", "yuma-simulation", "notebook"},
	}
	for _, sc := range sim.Catalogue(sim.CatalogueOptions{}) {
		label := sc.Name
		if len(sc.Aliases) > 0 {
			label += " " + sc.Aliases[0]
		}
		if sc.Description != "" {
			label += ": " + sc.Description
		}
		if len(label) > 110 {
			label = label[:107] + "..."
		}
		p.Cases = append(p.Cases, caseOption{Name: sc.Name, Label: label})
	}
	for _, pf := range paramFields {
		p.Params = append(p.Params, paramInput{Name: pf.Name, Label: pf.Label, Value: f.Params[pf.Name]})
	}
	return p
}

func defaultExploreForm() exploreForm {
	return exploreForm{Case: "case01", Yuma: []string{"yuma2", "yuma3"}, LiquidAlpha: []string{"off"}, Compat: "chain", Params: map[string]string{}}
}

// handleExplore shows the explorer with the default case (run at once, so
// the page opens with charts).
func (s *Server) handleExplore(w http.ResponseWriter, r *http.Request) {
	f := defaultExploreForm()
	if c := r.URL.Query().Get("case"); c != "" {
		f.Case = c
	}
	page := s.explorePage(f)
	sc, ok := sim.Lookup(f.Case, sim.CatalogueOptions{})
	if !ok {
		s.fail(w, r, badinput.New("", "", "case", "%q is not a built-in case", f.Case))
		return
	}
	res, err := s.runScenario(r.Context(), sc, "", f)
	if err != nil {
		page.Error, _ = errorText(err)
	}
	page.Result = res
	s.render(w, r, "explore", "layout.html", page)
}

// handleExploreRun runs the posted form. htmx requests get the result
// fragment; plain form posts get the whole page.
func (s *Server) handleExploreRun(w http.ResponseWriter, r *http.Request) {
	if err := s.parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	f, sc, file, err := s.readExploreForm(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.tryAcquire() {
		s.busy(w)
		return
	}
	res, err := s.runScenario(r.Context(), sc, file, f)
	s.release()
	if err != nil {
		if badinput.Is(err) {
			s.fail(w, r, err)
			return
		}
		s.fail(w, r, err)
		return
	}
	page := s.explorePage(f)
	page.Result = res
	if isHTMX(r) {
		s.render(w, r, "explore", "result", page)
		return
	}
	s.render(w, r, "explore", "layout.html", page)
}

// readExploreForm validates the form into a scenario with its overrides.
func (s *Server) readExploreForm(r *http.Request) (exploreForm, *sim.Scenario, string, error) {
	f := exploreForm{
		Case: strings.TrimSpace(r.FormValue("case")), Compat: strings.TrimSpace(r.FormValue("compat")),
		Yuma: r.Form["yuma"], LiquidAlpha: r.Form["liquid_alpha"], Resets: r.FormValue("resets") != "",
		Params: map[string]string{},
	}
	if f.Compat == "" {
		f.Compat = "chain"
	}
	if len(f.Yuma) == 0 {
		return f, nil, "", badinput.New("", "", "yuma", "pick at least one Yuma version")
	}
	if len(f.LiquidAlpha) == 0 {
		f.LiquidAlpha = []string{"off"}
	}
	ups, err := files(r, "scenario")
	if err != nil {
		return f, nil, "", err
	}
	var sc *sim.Scenario
	file := ""
	switch {
	case len(ups) > 1:
		return f, nil, "", badinput.New("", "", "scenario", "upload one scenario file at a time")
	case len(ups) == 1:
		file = ups[0].Name
		f.Upload = file
		if sc, err = sim.ParseScenario(file, ups[0].Data); err != nil {
			return f, nil, "", err
		}
	default:
		var ok bool
		if sc, ok = sim.Lookup(f.Case, sim.CatalogueOptions{WithResets: f.Resets}); !ok {
			return f, nil, "", badinput.New("", "", "case", "%q is not a built-in case", f.Case)
		}
	}
	var assigns []string
	for _, pf := range paramFields {
		v, ok, err := formFloat(r, pf.Name, pf.Lo, pf.Hi)
		if err != nil {
			return f, nil, "", err
		}
		if ok {
			f.Params[pf.Name] = strings.TrimSpace(r.FormValue(pf.Name))
			assigns = append(assigns, fmt.Sprintf("%s=%v", pf.Name, v))
		}
	}
	over, err := sim.ParseParamAssignments(assigns)
	if err != nil {
		return f, nil, "", err
	}
	sc.Params = sim.MergeParams(sc.Params, over)
	return f, sc, file, nil
}

// runs turns the form's variant choices into runs, exactly as the CLI's
// --yuma / --liquid-alpha / --compat flags do.
func (f exploreForm) runs() ([]sim.RunSpec, error) {
	if _, ok := sim.ParseCompat(f.Compat); !ok {
		return nil, badinput.New("", "", "compat", "unknown compat mode %q (want chain, yuma-simulation or notebook)", f.Compat)
	}
	var runs []sim.RunSpec
	for _, y := range f.Yuma {
		if _, ok := sim.ParseYuma(y); !ok {
			return nil, badinput.New("", "", "yuma", "unknown Yuma version %q", y)
		}
		for _, l := range f.LiquidAlpha {
			if _, ok := sim.ParseLiquidAlpha(l); !ok {
				return nil, badinput.New("", "", "liquid_alpha", "unknown liquid-alpha mode %q", l)
			}
			runs = append(runs, sim.RunSpec{Yuma: y, LiquidAlpha: l, Compat: f.Compat})
		}
	}
	return runs, nil
}

// runScenario runs sc with the form's variants (sim.Run, as `yuma simulate`
// does) and renders the charts of simout.Charts, the CLI's own charts.
func (s *Server) runScenario(ctx context.Context, sc *sim.Scenario, file string, f exploreForm) (*exploreResult, error) {
	runs, err := f.runs()
	if err != nil {
		return nil, err
	}
	cells := sc.Epochs * len(sc.Validators) * len(sc.Miners) * len(runs)
	if cells > s.opts.MaxScenarioCells || cells < 0 {
		return nil, badinput.New(file, "", "scenario", "epochs x validators x miners x variants = %d exceeds the dashboard's limit of %d; run it with yuma simulate", cells, s.opts.MaxScenarioCells)
	}
	res, err := sim.Run(ctx, sc, sim.Options{Runs: runs, File: file, Engine: s.opts.Engines.Sim})
	if err != nil {
		return nil, err
	}
	out := &exploreResult{Name: res.Name, Description: res.Description, Epochs: res.Epochs, Validators: res.Validators, Miners: res.Miners}
	for k := range res.Variants {
		rr := &res.Variants[k]
		v := exploreVariant{
			Name:           rr.Variant.Name,
			TotalDividends: rr.Summary.TotalDividends,
			MeanVTrust:     rr.Summary.MeanValidatorTrust,
			MeanIncentive:  rr.Summary.MeanIncentive,
		}
		if k < maxChartVariants {
			for _, nc := range simout.Charts(res, rr) {
				if nc.Name == "dividend_per_stake" {
					continue
				}
				svg, err := svgOf(nc.Chart)
				if err != nil {
					return nil, err
				}
				v.Charts = append(v.Charts, namedSVG{Name: nc.Name, SVG: svg})
			}
		} else {
			out.ChartsOmitted++
		}
		out.Variants = append(out.Variants, v)
	}
	return out, nil
}
