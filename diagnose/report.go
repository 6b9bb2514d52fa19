package diagnose

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/penalty"
	"github.com/yuma-go/yuma/report"
)

type namedChart struct {
	file    string // base name, without extension
	caption string
	chart   report.Chart
}

// fileBase turns a subnet name into a safe file-name prefix: runs of
// characters other than letters, digits, '_', '.' and '-' become '_'.
func fileBase(s *Subnet) string {
	var b strings.Builder
	under := false
	for _, r := range s.Name {
		ok := r == '_' || r == '.' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		switch {
		case ok:
			b.WriteRune(r)
			under = false
		case !under:
			b.WriteByte('_')
			under = true
		}
	}
	return b.String()
}

func (r *Result) thresholds() []report.Reference {
	return []report.Reference{{Name: "G = 1", Y: 1}, {Name: fmt.Sprintf("G = 1 - take (%.2f)", 1-r.Config.Take), Y: 1 - r.Config.Take}}
}

// charts builds the result's charts, in a fixed order.
func (r *Result) charts() ([]namedChart, error) {
	var out []namedChart
	metric := r.Config.Metric
	for _, s := range r.Subnets {
		base := fileBase(s)
		periods := append([]int(nil), r.Config.RevealPeriods...)
		sort.Ints(periods)
		// G versus reveal period: without liquid alpha and with the best alphas.
		var xs, off, best []float64
		for _, rp := range periods {
			xs = append(xs, float64(rp))
			g := math.NaN()
			for _, b := range s.Baseline {
				if b.RevealPeriod == rp {
					g = b.G(metric)
				}
			}
			off = append(off, g)
			m := math.NaN()
			for i := range s.Rows {
				if s.Rows[i].RevealPeriod == rp {
					if g := s.Rows[i].G(metric); !math.IsNaN(g) && (math.IsNaN(m) || g < m) {
						m = g
					}
				}
			}
			best = append(best, m)
		}
		series := []report.Series{{Name: "no liquid alpha", X: xs, Y: off}}
		if len(s.Rows) > 0 {
			series = append(series, report.Series{Name: "best alpha_low/alpha_high", X: xs, Y: best, Dashed: true})
		}
		ylo, yhi := r.yRange(off, best)
		out = append(out, namedChart{base + "_g_vs_reveal_period",
			"Copier's relative dividend rate G against the reveal period, without liquid alpha and with the best alphas of the grid at each period.",
			report.Chart{Title: fmt.Sprintf("%s: G (%s) vs reveal period", s.Name, metric), XLabel: "reveal period (tempos)", YLabel: "G",
				Series: series, HLines: r.thresholds(), YMin: ylo, YMax: yhi}})
		if len(s.Rows) == 0 {
			continue
		}
		// G versus alpha_low, one line per reveal period, one chart per alpha_high (first steepness).
		k0 := s.Rows[0].Steepness
		shown := spread(periods, 8)
		for _, hi := range r.Config.AlphaHigh {
			var ser []report.Series
			var all []float64
			for pi, rp := range shown {
				var x, y []float64
				for _, lo := range r.Config.AlphaLow {
					for i := range s.Rows {
						row := &s.Rows[i]
						if row.RevealPeriod == rp && row.AlphaHigh == hi && row.AlphaLow == lo && row.Steepness == k0 {
							x = append(x, lo)
							y = append(y, row.G(metric))
						}
					}
				}
				if len(x) > 0 {
					ser = append(ser, report.Series{Name: "rp " + strconv.Itoa(rp), X: x, Y: y, Dashed: pi >= 4, Points: len(x) == 1})
					all = append(all, y...)
				}
			}
			if len(ser) == 0 {
				continue
			}
			lo, up := r.yRange(all)
			out = append(out, namedChart{fmt.Sprintf("%s_g_vs_alpha_low_high_%s", base, strconv.FormatFloat(hi, 'f', -1, 64)),
				fmt.Sprintf("G against alpha_low at alpha_high = %g, one line per reveal period (%d of the grid's %d periods shown; all are in results.csv).", hi, len(shown), len(periods)),
				report.Chart{Title: fmt.Sprintf("%s: G (%s) vs alpha_low, alpha_high = %g", s.Name, metric, hi), XLabel: "alpha_low", YLabel: "G",
					Series: ser, HLines: r.thresholds(), YMin: lo, YMax: up, Height: 12}})
		}
		rec := s.Recommendation
		if rec == nil {
			continue
		}
		var la, off0 *Row
		for i := range s.Rows {
			row := &s.Rows[i]
			if row.RevealPeriod == rec.Best.RevealPeriod && row.AlphaLow == rec.Best.AlphaLow && row.AlphaHigh == rec.Best.AlphaHigh && row.Steepness == rec.Best.Steepness {
				la = row
			}
		}
		for i := range s.Baseline {
			if s.Baseline[i].RevealPeriod == rec.Best.RevealPeriod {
				off0 = &s.Baseline[i]
			}
		}
		if la == nil || off0 == nil || len(s.Stake) != len(la.Dividends) {
			continue
		}
		// The copier among honest validators: dividend share per stake share.
		V := len(la.Dividends) - 1
		totalS := 0.0
		for _, v := range s.Stake {
			totalS += v
		}
		var ratios []float64
		for i := 0; i < V; i++ {
			if s.Stake[i] > 0 && i < len(s.HonestMask) && s.HonestMask[i] {
				ratios = append(ratios, float64(la.Dividends[i])/(s.Stake[i]/totalS))
			}
		}
		sort.Float64s(ratios)
		rank := make([]float64, len(ratios))
		for i := range rank {
			rank[i] = float64(i + 1)
		}
		copier := float64(la.Dividends[V]) / (s.Stake[V] / totalS)
		out = append(out, namedChart{base + "_copier_among_honest",
			fmt.Sprintf("Cumulative dividend share per stake share of the honest validators (sorted), with the copier and the median, at reveal period %d, alpha_low %g, alpha_high %g.", rec.Best.RevealPeriod, rec.Best.AlphaLow, rec.Best.AlphaHigh),
			report.Chart{Title: fmt.Sprintf("%s: copier among validators (rp %d, alphas %g/%g)", s.Name, rec.Best.RevealPeriod, rec.Best.AlphaLow, rec.Best.AlphaHigh),
				XLabel: "honest validators, sorted", YLabel: "dividend share / stake share",
				Series: []report.Series{{Name: "honest validators", X: rank, Y: ratios, Points: true},
					{Name: "copier", X: []float64{1, float64(len(ratios))}, Y: []float64{copier, copier}},
					{Name: "median honest validator", X: []float64{1, float64(len(ratios))}, Y: []float64{penalty.Median(ratios), penalty.Median(ratios)}, Dashed: true}}}})
		// Honest dividends with versus without liquid alpha.
		var x, y []float64
		maxv := 0.0
		for i := 0; i < V; i++ {
			a, b := float64(off0.Dividends[i]), float64(la.Dividends[i])
			if math.IsNaN(a) || math.IsNaN(b) || i >= len(s.HonestMask) || !s.HonestMask[i] {
				continue
			}
			x = append(x, a)
			y = append(y, b)
			maxv = math.Max(maxv, math.Max(a, b))
		}
		out = append(out, namedChart{base + "_honest_with_vs_without_la",
			fmt.Sprintf("Each honest validator's cumulative dividend share with liquid alpha (alpha_low %g, alpha_high %g) against without, at reveal period %d; points on the diagonal are unaffected.", rec.Best.AlphaLow, rec.Best.AlphaHigh, rec.Best.RevealPeriod),
			report.Chart{Title: fmt.Sprintf("%s: validator dividends with vs without liquid alpha", s.Name),
				XLabel: "dividend share without liquid alpha", YLabel: "dividend share with liquid alpha",
				Series: []report.Series{{Name: "honest validators", X: x, Y: y, Points: true}, {Name: "y = x", X: []float64{0, maxv}, Y: []float64{0, maxv}, Dashed: true}}}})
	}
	return out, nil
}

// yRange returns a y range covering the values and both thresholds.
func (r *Result) yRange(vals ...[]float64) (float64, float64) {
	lo, hi := 1-r.Config.Take, 1.0
	for _, v := range vals {
		for _, x := range v {
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	pad := (hi - lo) * 0.05
	return lo - pad, hi + pad
}

// spread picks at most k values of the sorted list, evenly spaced, always
// keeping the first and the last.
func spread(v []int, k int) []int {
	if len(v) <= k {
		return v
	}
	out := make([]int, 0, k)
	for i := 0; i < k; i++ {
		out = append(out, v[i*(len(v)-1)/(k-1)])
	}
	return out
}

// HTMLSection renders the diagnostic as an HTML section (tables and inline
// SVG charts) for a report page.
func (r *Result) HTMLSection() (template.HTML, error) {
	charts, err := r.charts()
	if err != nil {
		return "", err
	}
	return r.section(charts)
}

type sectionChart struct {
	Caption string
	SVG     template.HTML
}

type sectionSubnet struct {
	S      *Subnet
	Rec    *Recommendation
	Top    []Row
	Charts []sectionChart
}

// funcs are the helpers of the section template.
func funcs() template.FuncMap {
	return template.FuncMap{
		"g": func(v any) string {
			switch x := v.(type) {
			case Num:
				return fmtG(float64(x))
			case float64:
				return fmtG(x)
			}
			return fmt.Sprint(v)
		},
		"pick": func(p Pick) string {
			if !p.Found {
				return "no reveal period of the grid"
			}
			if p.AlphaHigh == 0 {
				return fmt.Sprintf("from reveal period %d (G %s)", p.RevealPeriod, fmtG(float64(p.G)))
			}
			return fmt.Sprintf("from reveal period %d with alpha_low %g, alpha_high %g (G %s)", p.RevealPeriod, p.AlphaLow, p.AlphaHigh, fmtG(float64(p.G)))
		},
		"rp": rpString,
		"pct": func(v Num) string {
			if math.IsNaN(float64(v)) {
				return "n/a"
			}
			return fmt.Sprintf("%+.2f%%", 100*float64(v))
		},
		"best": func(p Pick) string {
			p.Found = true
			if p.AlphaHigh == 0 {
				return fmt.Sprintf("reveal period %d (G %s)", p.RevealPeriod, fmtG(float64(p.G)))
			}
			return fmt.Sprintf("reveal period %d with alpha_low %g, alpha_high %g (G %s)", p.RevealPeriod, p.AlphaLow, p.AlphaHigh, fmtG(float64(p.G)))
		},
	}
}

func fmtG(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// sectionTemplate parses the diagnostic's HTML section template.
func sectionTemplate() *template.Template {
	return template.Must(template.New("diag").Funcs(funcs()).Parse(sectionHTML))
}

const sectionHTML = `<section class="diagnose">
<h2>Weight-copying diagnostic</h2>
<p>Engine: {{.C.Yuma}}, liquid alpha {{.C.LiquidAlpha}}, compat {{.C.Compat}}. Copier: {{.C.Copier}} copier with {{.C.CopierStake}} stake,
its row at epoch t is the {{if eq .C.Copier "top"}}top-stake validator's weights{{else}}consensus{{end}} of epoch t &minus; reveal period.
{{.C.Tempos}} scored tempos; G = copier's dividend per stake / median honest validator's ({{.C.Metric}} values in the recommendation).
Thresholds: G &lt; 1 (nominators stop delegating to the copier) and G &lt; {{g .Take}} (1 &minus; take: copying no longer pays).
Grid: alpha_low {{.C.AlphaLow}}, alpha_high {{.C.AlphaHigh}}, reveal periods {{.C.RevealPeriods}}{{if eq .C.LiquidAlpha "v2"}}, steepness {{.C.Steepness}}{{end}}.
{{if not .Complete}}<strong>Partial result: shard {{.Shard}}; merge the shards for the recommendation.</strong>{{end}}</p>
<h3>Summary (Table 1 style)</h3>
<table><thead><tr><th>subnet</th><th>blocks</th><th>honest validators</th><th>rp for G&lt;1 without LA</th><th>rp for G&lt;1 with LA</th><th>rp for G&lt;{{g .Take}} without LA</th><th>rp for G&lt;{{g .Take}} with LA</th><th>recommended</th></tr></thead><tbody>
{{range .Subnets}}{{if .Rec}}<tr><td>{{.S.Name}} (netuid {{.S.Netuid}})</td><td>{{.S.FirstBlock}}&ndash;{{.S.LastBlock}}</td><td>{{.S.Honest}}</td><td>{{rp .Rec.NoLABelowOne}}</td><td>{{rp .Rec.LABelowOne}}</td><td>{{rp .Rec.NoLABelowTake}}</td><td>{{rp .Rec.LABelowTake}}</td><td>{{if .Rec.Best.Found}}{{best .Rec.Best}}{{else}}none reaches G &lt; 1{{end}}</td></tr>{{end}}
{{end}}</tbody></table>
<p>An empty cell means no reveal period of the grid reaches the threshold.</p>
{{range .Subnets}}<h3>{{.S.Name}} (netuid {{.S.Netuid}})</h3>
<p>Blocks {{.S.FirstBlock}}&ndash;{{.S.LastBlock}}, {{.S.Epochs}} scored epochs, {{.S.Honest}} honest validators setting weights ({{len .S.Validators}} uids active with a permit and stake at some point of the window), copier stake {{g .S.CopierStake}}; kappa {{g .S.Params.Kappa}}, bonds_moving_average {{g .S.Params.BondsMovingAverage}}, bonds_penalty {{g .S.Params.BondsPenalty}}.</p>
{{range .S.Warnings}}<p class="warn">Note: {{.}}</p>{{end}}
{{if .Rec}}<ul>
<li>Without liquid alpha: G &lt; 1 {{pick .Rec.NoLABelowOne}}; G &lt; 1 &minus; take {{pick .Rec.NoLABelowTake}}.</li>
<li>With liquid alpha ({{.Rec.LiquidAlpha}}): G &lt; 1 {{pick .Rec.LABelowOne}}; G &lt; 1 &minus; take {{pick .Rec.LABelowTake}}.</li>
<li><strong>{{if .Rec.Best.Found}}Recommended: {{best .Rec.Best}}.{{else}}No setting of the grid pushes G below 1; the smallest G is at {{best .Rec.Best}}.{{end}}</strong></li>
</ul>{{end}}
{{if .Top}}<table><thead><tr><th>reveal period</th><th>alpha_low</th><th>alpha_high</th><th>G last</th><th>G mean</th><th>G cumulative</th><th>copier rank</th><th>honest dividends vs no LA</th><th>largest honest rank shift</th></tr></thead><tbody>
{{range .Top}}<tr><td>{{.RevealPeriod}}</td><td>{{.AlphaLow}}</td><td>{{.AlphaHigh}}</td><td>{{g .GLast}}</td><td>{{g .GMean}}</td><td>{{g .GCumulative}}</td><td>{{.CopierRank}}</td><td>{{pct .HonestDivChange}}</td><td>{{.HonestRankShift}}</td></tr>
{{end}}</tbody></table><p>The ten cells with the smallest G (full grid in results.csv).</p>{{end}}
{{range .Charts}}<figure>{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}{{end}}</section>
`

func (r *Result) section(charts []namedChart) (template.HTML, error) {
	data := struct {
		C        Config
		Take     float64
		Complete bool
		Shard    string
		Subnets  []sectionSubnet
	}{C: r.Config, Take: 1 - r.Config.Take, Complete: r.Complete(), Shard: r.Shard}
	for _, s := range r.Subnets {
		ss := sectionSubnet{S: s, Rec: s.Recommendation}
		top := append([]Row(nil), s.Rows...)
		sort.SliceStable(top, func(a, b int) bool { return better(&top[a], &top[b], r.Config.Metric) })
		if len(top) > 10 {
			top = top[:10]
		}
		ss.Top = top
		prefix := fileBase(s) + "_"
		for _, c := range charts {
			if len(c.file) > len(prefix) && c.file[:len(prefix)] == prefix {
				svg, err := c.chart.SVG()
				if err != nil {
					return "", fmt.Errorf("chart %s: %w", c.file, err)
				}
				ss.Charts = append(ss.Charts, sectionChart{c.caption, template.HTML(stripXMLHeader(svg))})
			}
		}
		data.Subnets = append(data.Subnets, ss)
	}
	var b bytes.Buffer
	if err := sectionTemplate().Execute(&b, data); err != nil {
		return "", fmt.Errorf("diagnose HTML: %w", err)
	}
	return template.HTML(b.String()), nil
}

func stripXMLHeader(svg []byte) []byte {
	if i := bytes.Index(svg, []byte("<svg")); i > 0 {
		return svg[i:]
	}
	return svg
}

// pageTemplate parses the HTML page template.
func pageTemplate() *template.Template {
	return template.Must(template.New("page").Parse(pageHTML))
}

const pageHTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}
th{background:#f3f3f3}td:first-child{text-align:left}figure{margin:1.5rem 0}figure svg{max-width:100%;height:auto}
figcaption{font-size:.9rem;color:#555}.warn{color:#8a5300}
</style></head><body>
<h1>{{.Title}}</h1>
{{.Body}}
<p>Files: results.csv (every cell), recommendation.json, summary.csv, result.json (for yuma diagnose merge), charts as PNG and SVG.</p>
</body></html>
`

// Page wraps HTML sections into a complete, self-contained page.
func Page(title string, sections ...template.HTML) ([]byte, error) {
	var body template.HTML
	for _, s := range sections {
		body += s
	}
	var b bytes.Buffer
	if err := pageTemplate().Execute(&b, struct {
		Title string
		Body  template.HTML
	}{title, body}); err != nil {
		return nil, fmt.Errorf("HTML page: %w", err)
	}
	return b.Bytes(), nil
}

func (r *Result) page(charts []namedChart) ([]byte, error) {
	sec, err := r.section(charts)
	if err != nil {
		return nil, err
	}
	return Page("yuma diagnose: weight copying on real subnet history", sec)
}
