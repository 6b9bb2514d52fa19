package paper

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
)

var sectionTemplate = template.Must(template.New("paper").Parse(`<section class="paper">
<h2>Liquid-alpha paper reproduction ({{.Variant}})</h2>
<p>{{.Rules}}. Setting of the paper's section 4.1: validators j (1 TAO, honest), k (1 TAO, copies the consensus
{{.Settings.Lag}} rounds late) and c (98 TAO, honest); miners A-D; {{.Settings.Rounds}} rounds; kappa 0.5, bonds penalty 1,
fixed bond EMA 0.1 on the new bond; liquid alpha with alpha_low {{.Settings.AlphaLow}}, alpha_high {{.Settings.AlphaHigh}}.
Figures 1, 4 and 5 use the mean of G_t(j,k) = D_t^j - D_t^k over the rounds.</p>
<h3>Headline numbers</h3>
<table>
<thead><tr><th>headline</th><th>paper</th><th>reproduced</th><th>match</th></tr></thead>
<tbody>
{{range .Headlines}}<tr><td>{{.Description}}</td><td>{{.Paper}}</td><td>{{.Reproduced}}</td><td>{{if .Match}}yes{{else}}<strong>no</strong>{{end}}</td></tr>
{{end}}</tbody>
</table>
<h3>The paper's claims under these rules</h3>
<table>
<thead><tr><th>claim</th><th>verdict</th><th>evidence</th></tr></thead>
<tbody>
{{range .Claims}}<tr><td>{{.Claim}}</td><td>{{if .Holds}}holds{{else}}<strong>fails</strong>{{end}}</td><td>{{.Evidence}}</td></tr>
{{end}}</tbody>
</table>
<h3>Lag sweep: where copying stops paying</h3>
<p>Copier's dividend per stake over the honest validator's, summed over {{.Settings.SweepRounds}} rounds
(delta {{.Settings.SweepDelta}}); "from lag" is the smallest lag (1..{{.Settings.MaxLag}}) below the threshold, 0 when never.</p>
<table>
<thead><tr><th>copier stake</th><th>rate &lt; 1 from lag (fixed / liquid)</th><th>rate &lt; 1 - take from lag (fixed / liquid)</th></tr></thead>
<tbody>
{{range .Lag}}<tr><td>{{.CopierStake}}</td><td>{{.FixedBelowOne}} / {{.LiquidBelowOne}}</td><td>{{.FixedBelowTake}} / {{.LiquidBelowTake}}</td></tr>
{{end}}</tbody>
</table>
{{range .Figures}}<figure>
{{.SVG}}
<figcaption>{{.Caption}}</figcaption>
</figure>
{{end}}</section>
`))

type htmlFigure struct {
	SVG     template.HTML
	Caption string
}

type htmlHeadline struct {
	Description, Paper, Reproduced string
	Match                          bool
}

// HTMLSection returns a self-contained HTML fragment (a <section>) with the
// headline table, the claims table and every figure as inline SVG, for the
// demo report and the web dashboard.
func (r *Result) HTMLSection() (template.HTML, error) {
	data := struct {
		Variant   Variant
		Rules     string
		Settings  Settings
		Headlines []htmlHeadline
		Claims    []Claim
		Figures   []htmlFigure
		Lag       []LagThreshold
	}{Variant: r.Variant, Rules: r.Variant.Describe(), Settings: r.Settings, Claims: r.Claims, Lag: r.LagThresholds()}
	for _, h := range r.Headlines {
		data.Headlines = append(data.Headlines, htmlHeadline{h.Description, strconv.FormatFloat(h.Paper, 'g', -1, 64), fmtNum(h.Reproduced), h.Match})
	}
	for _, f := range r.figures() {
		svg, err := f.fig.SVG()
		if err != nil {
			return "", fmt.Errorf("%s: %w", f.stem, err)
		}
		data.Figures = append(data.Figures, htmlFigure{SVG: inlineSVG(svg), Caption: f.caption})
	}
	var buf bytes.Buffer
	if err := sectionTemplate.Execute(&buf, data); err != nil {
		return "", fmt.Errorf("paper HTML: %w", err)
	}
	return template.HTML(buf.String()), nil
}

// inlineSVG drops the XML prolog and comments before the <svg> element so the
// document can sit inside HTML. The SVG comes from our own chart renderer.
func inlineSVG(svg []byte) template.HTML {
	if i := bytes.Index(svg, []byte("<svg")); i >= 0 {
		svg = svg[i:]
	}
	return template.HTML(svg) //nolint:gosec // trusted output of report.Chart
}
