package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/diagnose"
	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/hparams"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/internal/progress"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/metagraph/datasets"
)

// Limits of a dashboard sweep (the CLI has none; large grids belong there).
const (
	maxGridCells = 4096
	maxTempos    = 500
)

// diagnoseForm is the diagnostic page's form state.
type diagnoseForm struct {
	Source        string // "dataset:sn31", "store:31" or "upload"
	AlphaLow      string
	AlphaHigh     string
	RevealPeriods string
	Steepness     string
	Yuma          string
	LiquidAlpha   string
	Tempos        string
	CopierStake   string
	Take          string
	Metric        string
}

func defaultDiagnoseForm() diagnoseForm {
	return diagnoseForm{
		Source: "dataset:sn31", AlphaLow: "0.1,0.3,0.5,0.7,0.9", AlphaHigh: "0.1,0.3,0.5,0.7,0.9",
		RevealPeriods: "0,1:29:2", Steepness: "10", Yuma: "yuma2", LiquidAlpha: "v1-paper", Tempos: "30",
		CopierStake: "median", Take: "0.18", Metric: "cumulative",
	}
}

type sourceOption struct {
	Value, Label string
}

type diagnosePage struct {
	Title   string
	Nav     string
	Sources []sourceOption
	Form    diagnoseForm
	Yumas   []string
	LAs     []string
	Metrics []string
	Error   string
}

func (s *Server) diagnosePage(ctx context.Context, f diagnoseForm) diagnosePage {
	p := diagnosePage{
		Title: "Weight-copying diagnostic", Nav: "diagnose", Form: f,
		Yumas:   []string{"yuma2", "yuma3", "yuma1", "yuma2a", "yuma2b", "yuma2c"},
		LAs:     []string{"v1-paper", "v1", "v2", "off"},
		Metrics: []string{"cumulative", "mean", "last"},
	}
	p.Sources = s.sourceOptions(ctx)
	return p
}

// sourceOptions lists the bundled datasets and the store's subnets.
func (s *Server) sourceOptions(ctx context.Context) []sourceOption {
	var out []sourceOption
	for _, d := range datasets.List() {
		out = append(out, sourceOption{"dataset:" + d.Name, "bundled " + d.Name + ": " + d.Description})
	}
	if s.opts.StorePath != "" {
		st, err := metagraph.OpenStore(s.opts.StorePath)
		if err == nil {
			nets, err := st.Subnets(ctx)
			if err == nil {
				for _, n := range nets {
					out = append(out, sourceOption{"store:" + strconv.Itoa(n), fmt.Sprintf("store: netuid %d", n)})
				}
			}
			_ = st.Close()
		}
	}
	return out
}

func (s *Server) handleDiagnose(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "diagnose", "layout.html", s.diagnosePage(r.Context(), defaultDiagnoseForm()))
}

// handleDiagnoseRun validates the form and the input history (400 on bad
// input), then runs diagnose.Run (as `yuma diagnose` does) in the request's
// context, streaming progress and finally the diagnostic's HTML section with
// the `yuma hparams plan` commands of each recommendation.
func (s *Server) handleDiagnoseRun(w http.ResponseWriter, r *http.Request) {
	if err := s.parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	o, err := s.diagnoseOptions(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Take the run slot before loading the history: a busy server answers
	// 503 without decoding anything.
	if !s.tryAcquire() {
		s.busy(w)
		return
	}
	defer s.release()
	if o.Sources, err = s.diagnoseSources(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.streamHeld(w, r, func(ctx context.Context, prog progress.Func) (template.HTML, error) {
		res, err := diagnose.Run(ctx, o, prog)
		if err != nil {
			return "", err
		}
		sec, err := res.HTMLSection()
		if err != nil {
			return "", fmt.Errorf("diagnose section: %w", err)
		}
		plans, err := planSection(res)
		if err != nil {
			return "", err
		}
		return sec + plans, nil
	})
}

// diagnoseOptions reads the form into diagnose.Options (without the
// sources, see diagnoseSources), using the CLI's parsers for the grid lists.
func (s *Server) diagnoseOptions(r *http.Request) (diagnose.Options, error) {
	o := diagnose.DefaultOptions()
	val := func(name, def string) string {
		if v := strings.TrimSpace(r.FormValue(name)); v != "" {
			return v
		}
		return def
	}
	d := defaultDiagnoseForm()
	var err error
	if o.AlphaLow, err = diagnose.ParseFloats("alpha_low", val("alpha_low", d.AlphaLow)); err != nil {
		return o, err
	}
	if o.AlphaHigh, err = diagnose.ParseFloats("alpha_high", val("alpha_high", d.AlphaHigh)); err != nil {
		return o, err
	}
	o.RevealPeriods = nil
	for _, part := range strings.Split(val("reveal_periods", d.RevealPeriods), ",") {
		rp, err := diagnose.ParseInts("reveal_periods", part)
		if err != nil {
			return o, err
		}
		o.RevealPeriods = append(o.RevealPeriods, rp...)
	}
	if o.Steepness, err = diagnose.ParseFloats("steepness", val("steepness", d.Steepness)); err != nil {
		return o, err
	}
	switch v := epoch.YumaVersion(val("yuma", d.Yuma)); v {
	case epoch.Yuma1, epoch.Yuma2, epoch.Yuma2a, epoch.Yuma2b, epoch.Yuma2c, epoch.Yuma3:
		o.Yuma = v
	default:
		return o, badinput.New("", "", "yuma", "unknown Yuma version %q", v)
	}
	o.LiquidAlpha = epoch.LiquidAlphaMode(val("liquid_alpha", d.LiquidAlpha))
	if o.CopierStake, err = diagnose.ParseCopierStake(val("copier_stake", d.CopierStake)); err != nil {
		return o, err
	}
	take, ok, err := formFloat(r, "take", 0, 0.99)
	if err != nil {
		return o, err
	}
	if ok {
		o.Take = take
	}
	tempos, ok, err := formInt(r, "tempos", 1, maxTempos)
	if err != nil {
		return o, err
	}
	if ok {
		o.Tempos = tempos
	}
	o.Metric = val("metric", d.Metric)
	cells := len(o.AlphaLow) * len(o.AlphaHigh) * len(o.RevealPeriods)
	if o.LiquidAlpha == epoch.LiquidAlphaV2 {
		cells *= len(o.Steepness)
	}
	if cells > maxGridCells {
		return o, badinput.New("", "", "grid", "%d cells exceed the dashboard's limit of %d; run large grids with yuma diagnose (it shards)", cells, maxGridCells)
	}
	switch src := strings.TrimSpace(r.FormValue("source")); {
	case src == "upload", strings.HasPrefix(src, "dataset:"), strings.HasPrefix(src, "store:"):
	case r.MultipartForm != nil && len(r.MultipartForm.File["snapshots"]) > 0:
	default:
		return o, badinput.New("", "", "source", "unknown source %q (want dataset:NAME, store:NETUID or upload)", src)
	}
	o.Workers = s.opts.Workers
	o.Engine = s.opts.Engines.Diagnose
	return o, nil
}

// diagnoseSources loads the chosen history: a bundled dataset, a subnet of
// the server's store, or uploaded snapshot files (JSON, gzip accepted).
func (s *Server) diagnoseSources(r *http.Request) ([]diagnose.Source, error) {
	src := strings.TrimSpace(r.FormValue("source"))
	ups, err := files(r, "snapshots")
	if err != nil {
		return nil, err
	}
	if len(ups) > 0 || src == "upload" {
		snaps, err := decodeUploads(ups)
		if err != nil {
			return nil, err
		}
		return groupSnapshots(snaps), nil
	}
	kind, name, _ := strings.Cut(src, ":")
	switch kind {
	case "dataset":
		snaps, err := s.dataset(name)
		if err != nil {
			return nil, err
		}
		return []diagnose.Source{{Name: name, Snapshots: snaps}}, nil
	case "store":
		if s.opts.StorePath == "" {
			return nil, badinput.New("", "", "source", "the server was started without --store")
		}
		n, err := strconv.Atoi(name)
		if err != nil || n < 0 || n > 65535 {
			return nil, badinput.New("", "", "source", "%q is not a netuid", name)
		}
		return diagnose.LoadStore(r.Context(), s.opts.StorePath, []int{n}, 0, 0)
	}
	return nil, badinput.New("", "", "source", "unknown source %q (want dataset:NAME, store:NETUID or upload)", src)
}

// decodeUploads decodes uploaded snapshot files (JSON, optionally gzip).
func decodeUploads(ups []upload) ([]*metagraph.Snapshot, error) {
	if len(ups) == 0 {
		return nil, badinput.New("", "", "snapshots", "no snapshot file uploaded")
	}
	var out []*metagraph.Snapshot
	for _, u := range ups {
		snap, err := metagraph.DecodeSnapshot(bytes.NewReader(u.Data), u.Name)
		if err != nil {
			return nil, err
		}
		if err := snap.Validate(u.Name); err != nil {
			return nil, err
		}
		out = append(out, snap)
	}
	return out, nil
}

// groupSnapshots splits snapshots into one source per netuid, ascending.
func groupSnapshots(snaps []*metagraph.Snapshot) []diagnose.Source {
	by := map[int][]*metagraph.Snapshot{}
	for _, sn := range snaps {
		by[sn.Netuid] = append(by[sn.Netuid], sn)
	}
	var nets []int
	for n := range by {
		nets = append(nets, n)
	}
	sort.Ints(nets)
	var out []diagnose.Source
	for _, n := range nets {
		out = append(out, diagnose.Source{Name: "sn" + strconv.Itoa(n) + " (upload)", Snapshots: by[n]})
	}
	return out
}

// subnetPlan is one subnet's recommended setting as `yuma hparams plan`.
type subnetPlan struct {
	Subnet  string
	Command string
	Plan    hparams.Plan
	Note    string
}

// planArgs turns a recommendation into NAME=VALUE arguments of `yuma
// hparams plan` (as `yuma hparams plan --recommendation` does) and a note on
// what has no chain equivalent.
func planArgs(res *diagnose.Result, rec *diagnose.Recommendation) ([]string, string) {
	b := rec.Best
	if !b.Found {
		return nil, ""
	}
	pk := hparams.Pick{RevealPeriod: b.RevealPeriod, LiquidAlpha: string(res.Config.LiquidAlpha),
		HasAlpha: b.AlphaHigh != 0, AlphaLow: b.AlphaLow, AlphaHigh: b.AlphaHigh}
	if res.Config.LiquidAlpha == epoch.LiquidAlphaV2 {
		pk.Steepness = b.Steepness
	}
	return pk.Args()
}

// makePlan builds the hparams plan for NAME=VALUE arguments, as `yuma
// hparams plan` does.
func makePlan(args []string, netuid int) (hparams.Plan, error) {
	var set []hparams.Setting
	for _, a := range args {
		p, v, err := hparams.ParseAssignment(a)
		if err != nil {
			return hparams.Plan{}, err
		}
		raw, err := hparams.Encode(p, v, p.Name)
		if err != nil {
			return hparams.Plan{}, err
		}
		set = append(set, hparams.Setting{Param: p, Raw: raw})
	}
	return hparams.MakePlan(set, hparams.PlanOptions{Netuid: netuid})
}

var planTmpl = template.Must(template.New("plan").Parse(`<section class="plans">
<h2>Setting the recommendation on chain</h2>
{{range .}}<h3>{{.Subnet}}</h3>
{{if .Command}}<pre class="cmd">{{.Command}}</pre>
{{range .Plan.Steps}}<p>{{.Extrinsic}}:</p><pre class="cmd">{{.Btcli}}</pre>{{end}}
{{range .Plan.Warnings}}<p class="warn">{{.}}</p>{{end}}
{{if .Note}}<p class="warn">{{.Note}}</p>{{end}}
{{else}}<p>{{.Note}}</p>{{end}}
{{end}}</section>
`))

// planSection renders the `yuma hparams plan` command and its btcli calls for
// every subnet's recommended setting.
func planSection(res *diagnose.Result) (template.HTML, error) {
	var plans []subnetPlan
	for _, sn := range res.Subnets {
		sp := subnetPlan{Subnet: fmt.Sprintf("%s (netuid %d)", sn.Name, sn.Netuid)}
		if sn.Recommendation == nil {
			sp.Note = "no recommendation (partial result)"
		} else if args, note := planArgs(res, sn.Recommendation); args == nil {
			sp.Note = "no setting of the grid pushes the copier below the thresholds; nothing to set"
		} else {
			sp.Note = note
			pl, err := makePlan(args, sn.Netuid)
			if err != nil {
				return "", fmt.Errorf("plan for %s: %w", sn.Name, err)
			}
			sp.Plan = pl
			sp.Command = fmt.Sprintf("yuma hparams plan --netuid %d %s", sn.Netuid, strings.Join(args, " "))
		}
		plans = append(plans, sp)
	}
	var b bytes.Buffer
	if err := planTmpl.Execute(&b, plans); err != nil {
		return "", fmt.Errorf("plan section: %w", err)
	}
	return template.HTML(b.String()), nil //nolint:gosec // html/template output
}
