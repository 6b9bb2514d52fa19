package simout

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"path"
)

// chartKind is a chart file name with its row title.
type chartKind struct{ Name, Title string }

// chartKinds returns the chart file names in display order, with row titles.
func chartKinds() []chartKind {
	return []chartKind{
		{"weights", "Weights"},
		{"dividends", "Dividends"},
		{"dividend_per_stake", "Dividend per stake"},
		{"bonds", "Bonds"},
		{"incentives", "Incentives"},
	}
}

const indexHTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.S.Name}}: yuma simulate</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}
.grid td{vertical-align:top;text-align:center}
.grid img{width:420px;max-width:100%}
</style></head><body>
<h1>{{.S.Name}}</h1>
{{with .S.Description}}<p>{{.}}</p>{{end}}
<p>{{.S.Epochs}} epochs, {{len .S.Validators}} validators, {{len .S.Miners}} miners, seed {{.S.Seed}}.
Series: <code>&lt;variant&gt;/series.csv</code>; figures: <code>summary.json</code>.</p>
<h2>Total dividends (sum of per-epoch shares)</h2>
<table><tr><th>variant</th>{{range .S.Validators}}<th>{{.}}</th>{{end}}</tr>
<tr><td><i>total stake</i></td>{{with index .S.Variants 0}}{{range .Summary.TotalStake}}<td>{{num .}}</td>{{end}}{{end}}</tr>
{{range .S.Variants}}<tr><td>{{.Name}}</td>{{range .Summary.TotalDividends}}<td>{{num .}}</td>{{end}}</tr>
{{end}}</table>
<h2>Mean dividend per stake (1 = pro rata)</h2>
<table><tr><th>variant</th>{{range .S.Validators}}<th>{{.}}</th>{{end}}</tr>
{{range .S.Variants}}<tr><td>{{.Name}}</td>{{range .Summary.MeanDividendPerStake}}<td>{{num .}}</td>{{end}}</tr>
{{end}}</table>
<h2>Relative dividend rate G (mean over epochs of (D/S) / median of the others' D/S)</h2>
<table><tr><th>variant</th>{{range .S.Validators}}<th>{{.}}</th>{{end}}</tr>
{{range .S.Variants}}<tr><td>{{.Name}}</td>{{range .Summary.RelativeDividendRate}}<td>{{num .}}</td>{{end}}</tr>
{{end}}</table>
{{if .Charts}}<h2>Charts</h2>
<table class="grid"><tr><th></th>{{range .S.Variants}}<th>{{.Name}}</th>{{end}}</tr>
{{range $k := .Kinds}}<tr><th>{{$k.Title}}</th>{{range $.S.Variants}}<td><a href="{{img .Name $k.Name}}.svg"><img src="{{img .Name $k.Name}}.svg" alt="{{$k.Title}} {{.Name}}"></a></td>{{end}}</tr>
{{end}}</table>{{end}}
</body></html>
`

// WriteIndex writes index.html for a scenario folder: the summary tables and,
// when charts were written, a grid of charts (rows: chart kinds, columns:
// variants) linking the SVG files of each variant folder.
func WriteIndex(w io.Writer, s Summary, charts bool) error {
	if len(s.Variants) == 0 {
		return fmt.Errorf("index for %s: no variants", s.Name)
	}
	tmpl, err := template.New("index").Funcs(template.FuncMap{
		"num": func(x float64) string {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return "–"
			}
			return fmt.Sprintf("%.4f", x)
		},
		"img": path.Join,
	}).Parse(indexHTML)
	if err != nil {
		return fmt.Errorf("index template: %w", err)
	}
	return tmpl.Execute(w, struct {
		S      Summary
		Charts bool
		Kinds  []chartKind
	}{s, charts, chartKinds()})
}
