package diagnose

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/atomicfile"
	"github.com/yuma-go/yuma/internal/badinput"
)

const resultVersion = 1

// Num is a float64 that encodes NaN and infinities as JSON null (and decodes
// null as NaN), so undefined ratios survive a JSON round trip.
type Num float64

// MarshalJSON implements json.Marshaler.
func (n Num) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *Num) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Num(math.NaN())
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("number %q: %w", b, err)
	}
	*n = Num(f)
	return nil
}

// Config echoes the settings of a run (the merge refuses shards whose
// settings differ).
type Config struct {
	Yuma           epoch.YumaVersion     `json:"yuma"`
	LiquidAlpha    epoch.LiquidAlphaMode `json:"liquid_alpha"`
	Compat         epoch.Compat          `json:"compat"`
	Params         epoch.Params          `json:"params"`
	AlphaLow       []float64             `json:"alpha_low"`
	AlphaHigh      []float64             `json:"alpha_high"`
	RevealPeriods  []int                 `json:"reveal_periods"`
	Steepness      []float64             `json:"steepness"`
	Tempos         int                   `json:"tempos"`
	Copier         string                `json:"copier"`
	CopierStake    string                `json:"copier_stake"`
	Take           float64               `json:"take"`
	Metric         string                `json:"metric"`
	Window         string                `json:"window"`
	ActivityCutoff uint64                `json:"activity_cutoff"`
	NotebookParams bool                  `json:"notebook_params"`
	MaxValidators  int                   `json:"max_validators"`
	Sources        []string              `json:"sources"`
}

func (o *Options) config() Config {
	c := Config{
		Yuma: o.Yuma, LiquidAlpha: o.LiquidAlpha, Compat: o.Compat, Params: o.Params,
		AlphaLow: o.AlphaLow, AlphaHigh: o.AlphaHigh, RevealPeriods: o.RevealPeriods, Steepness: o.Steepness,
		Tempos: o.Tempos, Copier: o.Copier, CopierStake: o.CopierStake.String(), Take: o.Take, Metric: o.Metric, Window: o.Window,
		ActivityCutoff: o.ActivityCutoff, MaxValidators: o.MaxValidators, NotebookParams: o.NotebookParams,
	}
	for _, s := range o.Sources {
		c.Sources = append(c.Sources, s.Name)
	}
	return c
}

// Row is one grid cell (or, in Subnet.Baseline, one no-liquid-alpha run).
type Row struct {
	Index        int     `json:"index"` // grid index (-1 for baseline rows)
	RevealPeriod int     `json:"reveal_period"`
	AlphaLow     float64 `json:"alpha_low"`
	AlphaHigh    float64 `json:"alpha_high"`
	Steepness    float64 `json:"steepness"`
	LiquidAlpha  bool    `json:"liquid_alpha"`
	// G is the copier's dividend per stake over the median honest validator's:
	// at the last epoch, the mean over epochs, and over cumulative dividends.
	GLast       Num `json:"g_last"`
	GMean       Num `json:"g_mean"`
	GCumulative Num `json:"g_cumulative"`
	// CopierRank is 1 + the number of honest validators with a higher
	// cumulative dividend per stake; CopierShare its share of all dividends.
	CopierRank  int `json:"copier_rank"`
	CopierShare Num `json:"copier_share"`
	// Effect on honest validators versus the no-liquid-alpha run with the same
	// reveal period: relative change of their total dividends, mean absolute
	// relative change per validator, largest rank shift.
	HonestDivChange Num `json:"honest_div_change"`
	HonestDivMAD    Num `json:"honest_div_mad"`
	HonestRankShift int `json:"honest_rank_shift"`
	// Dividends are the cumulative dividend shares per validator (Subnet.Validators order), copier last.
	Dividends []Num `json:"dividends"`
}

// G returns the row's G for a metric name.
func (r *Row) G(metric string) float64 {
	switch metric {
	case MetricLast:
		return float64(r.GLast)
	case MetricMean:
		return float64(r.GMean)
	}
	return float64(r.GCumulative)
}

// Pick is one recommended setting.
type Pick struct {
	Found        bool    `json:"found"`
	RevealPeriod int     `json:"reveal_period"`
	AlphaLow     float64 `json:"alpha_low,omitempty"`
	AlphaHigh    float64 `json:"alpha_high,omitempty"`
	Steepness    float64 `json:"steepness,omitempty"`
	G            Num     `json:"g"`
}

// Recommendation answers "which reveal period and alphas stop copying".
type Recommendation struct {
	// Yuma and LiquidAlpha say under which rules the alphas hold: only "v1"
	// and "v2" alphas are chain values; "v1-paper" alphas use the notebooks'
	// complementary convention (docs/diagnose.md).
	Yuma          epoch.YumaVersion     `json:"yuma"`
	LiquidAlpha   epoch.LiquidAlphaMode `json:"liquid_alpha"`
	Metric        string                `json:"metric"`
	Threshold     float64               `json:"threshold"`      // 1: nominators stop delegating to the copier
	TakeThreshold float64               `json:"take_threshold"` // 1 - take: copying no longer pays
	// Smallest reveal period whose G is below each threshold, without liquid
	// alpha and with the best alphas at that period.
	NoLABelowOne  Pick `json:"no_liquid_alpha_below_1"`
	NoLABelowTake Pick `json:"no_liquid_alpha_below_take"`
	LABelowOne    Pick `json:"liquid_alpha_below_1"`
	LABelowTake   Pick `json:"liquid_alpha_below_take"`
	// Best is the recommended setting: LABelowTake, else LABelowOne, else the
	// cell with the smallest G.
	Best Pick `json:"best"`
}

// Subnet is the diagnostic of one history.
type Subnet struct {
	Name           string          `json:"name"`
	Netuid         int             `json:"netuid"`
	N              int             `json:"n"`
	FirstBlock     uint64          `json:"first_block"`
	LastBlock      uint64          `json:"last_block"`
	Epochs         int             `json:"epochs"`
	Validators     []int           `json:"validators"`  // engine rows: uids active with a permit and stake in some replayed epoch
	Honest         int             `json:"honest"`      // validators setting weights in at least half of the scored epochs
	HonestMask     []bool          `json:"honest_mask"` // per entry of Validators: counted as honest
	CopierStake    float64         `json:"copier_stake"`
	Params         epoch.Params    `json:"params"` // the engine parameters used for this subnet
	Stake          []float64       `json:"stake"`  // cumulative stake per validator over the scored epochs, copier last
	Warnings       []string        `json:"warnings,omitempty"`
	Baseline       []Row           `json:"baseline"`
	Rows           []Row           `json:"rows"`
	Recommendation *Recommendation `json:"recommendation,omitempty"`
}

// Result is a diagnostic run (or one shard of it).
type Result struct {
	Version int       `json:"version"`
	Config  Config    `json:"config"`
	Shard   string    `json:"shard"` // "i/n" of the grid this result holds; "0/1" when whole
	Total   int       `json:"total"` // grid cells over all subnets
	Subnets []*Subnet `json:"subnets"`
}

// Complete reports whether the result holds every grid cell.
func (r *Result) Complete() bool {
	k := 0
	for _, s := range r.Subnets {
		k += len(s.Rows)
	}
	return k == r.Total
}

// finalize compares liquid-alpha rows with their baseline and, when the
// result is complete, computes the recommendations.
func (r *Result) finalize() {
	for _, s := range r.Subnets {
		sort.Slice(s.Rows, func(a, b int) bool { return s.Rows[a].Index < s.Rows[b].Index })
		base := map[int]*Row{}
		for i := range s.Baseline {
			b := &s.Baseline[i]
			base[b.RevealPeriod] = b
			b.HonestDivChange, b.HonestDivMAD, b.HonestRankShift = 0, 0, 0
		}
		for i := range s.Rows {
			row := &s.Rows[i]
			if b := base[row.RevealPeriod]; b != nil {
				row.HonestDivChange, row.HonestDivMAD, row.HonestRankShift = honestEffect(row.Dividends, b.Dividends)
			}
		}
		s.Recommendation = nil
		if r.Complete() {
			s.Recommendation = recommend(s, r.Config)
		}
	}
}

// honestEffect compares honest dividends (all but the last entry) with and
// without liquid alpha.
func honestEffect(la, off []Num) (change, mad Num, shift int) {
	V := len(la) - 1
	if V <= 0 || len(off) != len(la) {
		return Num(math.NaN()), Num(math.NaN()), 0
	}
	sumLA, sumOff, dev, cnt := 0.0, 0.0, 0.0, 0
	for i := 0; i < V; i++ {
		a, b := float64(la[i]), float64(off[i])
		if math.IsNaN(a) || math.IsNaN(b) {
			continue
		}
		sumLA += a
		sumOff += b
		if b > 0 {
			dev += math.Abs(a/b - 1)
			cnt++
		}
	}
	change = Num(safeDiv(sumLA, sumOff) - 1)
	mad = Num(safeDiv(dev, float64(cnt)))
	rank := func(d []Num) []int {
		idx := make([]int, V)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return float64(d[idx[a]]) > float64(d[idx[b]]) })
		pos := make([]int, V)
		for p, i := range idx {
			pos[i] = p
		}
		return pos
	}
	ra, rb := rank(la), rank(off)
	for i := 0; i < V; i++ {
		if d := ra[i] - rb[i]; d > shift {
			shift = d
		} else if -d > shift {
			shift = -d
		}
	}
	return change, mad, shift
}

// better orders candidate rows: smaller G, then larger alpha_high, then
// larger alpha_low (the notebook's tie-break), then smaller index.
func better(a, b *Row, metric string) bool {
	ga, gb := a.G(metric), b.G(metric)
	if math.IsNaN(gb) && !math.IsNaN(ga) {
		return true
	}
	if ga != gb {
		return ga < gb
	}
	if a.AlphaHigh != b.AlphaHigh {
		return a.AlphaHigh > b.AlphaHigh
	}
	if a.AlphaLow != b.AlphaLow {
		return a.AlphaLow > b.AlphaLow
	}
	return a.Index < b.Index
}

func pickOf(r *Row, metric string) Pick {
	return Pick{Found: true, RevealPeriod: r.RevealPeriod, AlphaLow: r.AlphaLow, AlphaHigh: r.AlphaHigh, Steepness: r.Steepness, G: Num(r.G(metric))}
}

func recommend(s *Subnet, c Config) *Recommendation {
	rec := &Recommendation{Yuma: c.Yuma, LiquidAlpha: c.LiquidAlpha, Metric: c.Metric, Threshold: 1, TakeThreshold: 1 - c.Take}
	firstBelow := func(rows []Row, limit float64) Pick {
		periods := append([]int(nil), c.RevealPeriods...)
		sort.Ints(periods)
		for _, rp := range periods {
			var best *Row
			for i := range rows {
				r := &rows[i]
				if r.RevealPeriod != rp || !(r.G(c.Metric) < limit) {
					continue
				}
				if best == nil || better(r, best, c.Metric) {
					best = r
				}
			}
			if best != nil {
				return pickOf(best, c.Metric)
			}
		}
		return Pick{G: Num(math.NaN())}
	}
	rec.NoLABelowOne = firstBelow(s.Baseline, 1)
	rec.NoLABelowTake = firstBelow(s.Baseline, 1-c.Take)
	rec.LABelowOne = firstBelow(s.Rows, 1)
	rec.LABelowTake = firstBelow(s.Rows, 1-c.Take)
	switch {
	case rec.LABelowTake.Found:
		rec.Best = rec.LABelowTake
	case rec.LABelowOne.Found:
		rec.Best = rec.LABelowOne
	default:
		rows := s.Rows
		if len(rows) == 0 {
			rows = s.Baseline
		}
		var best *Row
		for i := range rows {
			if best == nil || better(&rows[i], best, c.Metric) {
				best = &rows[i]
			}
		}
		if best != nil {
			rec.Best = pickOf(best, c.Metric)
			rec.Best.Found = false // no setting reaches G < 1
		}
	}
	return rec
}

// Write writes the result into dir: result.json (everything, used by merge),
// results.csv, recommendation.json, summary.csv, the charts (PNG and SVG) and
// index.html. Every file is written atomically.
func (r *Result) Write(dir string) error { return r.WriteFiles(dir, true) }

// WriteFiles is Write with the PNG copies of the charts optional (SVG files
// and the HTML page are always written).
func (r *Result) WriteFiles(dir string, png bool) error {
	js, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "result.json"), append(js, '\n')); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "results.csv"), r.resultsCSV()); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "summary.csv"), r.summaryCSV()); err != nil {
		return err
	}
	recs := map[string]*Recommendation{}
	for _, s := range r.Subnets {
		recs[s.Name] = s.Recommendation
	}
	rj, err := json.MarshalIndent(struct {
		Shard           string                     `json:"shard"`
		Complete        bool                       `json:"complete"`
		Recommendations map[string]*Recommendation `json:"recommendations"`
	}{r.Shard, r.Complete(), recs}, "", " ")
	if err != nil {
		return fmt.Errorf("encode recommendation: %w", err)
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "recommendation.json"), append(rj, '\n')); err != nil {
		return err
	}
	charts, err := r.charts()
	if err != nil {
		return err
	}
	for _, c := range charts {
		base := filepath.Join(dir, c.file)
		if png {
			if err := c.chart.WriteFiles(base); err != nil {
				return fmt.Errorf("chart %s: %w", c.file, err)
			}
			continue
		}
		if err := atomicfile.Write(base+".svg", c.chart.RenderSVG); err != nil {
			return fmt.Errorf("chart %s: %w", c.file, err)
		}
	}
	page, err := r.page(charts)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, "index.html"), page)
}

func f64(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', 10, 64)
}

func (r *Result) resultsCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"subnet", "netuid", "liquid_alpha", "reveal_period", "alpha_low", "alpha_high", "steepness",
		"g_last", "g_mean", "g_cumulative", "below_1", "below_take", "copier_rank", "copier_share",
		"honest_div_change", "honest_div_mad", "honest_rank_shift"})
	for _, s := range r.Subnets {
		rows := append(append([]Row(nil), s.Baseline...), s.Rows...)
		for _, row := range rows {
			g := row.G(r.Config.Metric)
			la := "off"
			lo, hi, k := "", "", ""
			if row.LiquidAlpha {
				la = string(r.Config.LiquidAlpha)
				lo, hi = f64(row.AlphaLow), f64(row.AlphaHigh)
				if r.Config.LiquidAlpha == epoch.LiquidAlphaV2 {
					k = f64(row.Steepness)
				}
			}
			w.Write([]string{s.Name, strconv.Itoa(s.Netuid), la, strconv.Itoa(row.RevealPeriod), lo, hi, k,
				f64(float64(row.GLast)), f64(float64(row.GMean)), f64(float64(row.GCumulative)),
				strconv.FormatBool(g < 1), strconv.FormatBool(g < 1-r.Config.Take),
				strconv.Itoa(row.CopierRank), f64(float64(row.CopierShare)),
				f64(float64(row.HonestDivChange)), f64(float64(row.HonestDivMAD)), strconv.Itoa(row.HonestRankShift)})
		}
	}
	w.Flush()
	return b.Bytes()
}

func rpString(p Pick) string {
	if !p.Found {
		return ""
	}
	return strconv.Itoa(p.RevealPeriod)
}

func (r *Result) summaryCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"subnet", "netuid", "first_block", "last_block", "honest_validators", "copier_stake",
		"rp_below_1_without_la", "rp_below_1_with_la", "rp_below_take_without_la", "rp_below_take_with_la",
		"best_reveal_period", "best_alpha_low", "best_alpha_high", "best_g"})
	for _, s := range r.Subnets {
		rec := s.Recommendation
		if rec == nil {
			continue
		}
		w.Write([]string{s.Name, strconv.Itoa(s.Netuid), strconv.FormatUint(s.FirstBlock, 10), strconv.FormatUint(s.LastBlock, 10),
			strconv.Itoa(s.Honest), f64(s.CopierStake),
			rpString(rec.NoLABelowOne), rpString(rec.LABelowOne), rpString(rec.NoLABelowTake), rpString(rec.LABelowTake),
			strconv.Itoa(rec.Best.RevealPeriod), f64(rec.Best.AlphaLow), f64(rec.Best.AlphaHigh), f64(float64(rec.Best.G))})
	}
	w.Flush()
	return b.Bytes()
}

// ReadResult reads dir/result.json written by Write.
func ReadResult(dir string) (*Result, error) {
	path := filepath.Join(dir, "result.json")
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, badinput.New(path, "", "", "no diagnostic result here (run yuma diagnose --out %s first)", dir)
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, badinput.New(path, "", "", "corrupt result: %v", err)
	}
	if r.Version != resultVersion {
		return nil, badinput.New(path, "", "version", "%d, want %d", r.Version, resultVersion)
	}
	return &r, nil
}

// Merge joins shard results of one sweep into the result an unsharded run
// gives. The shards must share their settings and together hold every grid
// cell exactly once.
func Merge(parts []*Result) (*Result, error) {
	if len(parts) == 0 {
		return nil, badinput.New("", "", "shards", "nothing to merge")
	}
	first := parts[0]
	out := &Result{Version: resultVersion, Config: first.Config, Shard: "0/1", Total: first.Total}
	seen := map[int]bool{}
	for pi, p := range parts {
		loc := fmt.Sprintf("shard %s (argument %d)", p.Shard, pi+1)
		if !reflect.DeepEqual(p.Config, first.Config) || p.Total != first.Total || len(p.Subnets) != len(first.Subnets) {
			return nil, badinput.New("", loc, "config", "settings differ from the first shard's; merge only shards of one sweep")
		}
		for si, s := range p.Subnets {
			if pi == 0 {
				c := *s
				c.Rows = nil
				out.Subnets = append(out.Subnets, &c)
			} else if !reflect.DeepEqual(baseKey(s), baseKey(first.Subnets[si])) {
				return nil, badinput.New("", loc, "baseline", "subnet %s differs from the first shard's", s.Name)
			}
			for _, row := range s.Rows {
				if seen[row.Index] {
					return nil, badinput.New("", loc, "rows", "grid cell %d appears in two shards", row.Index)
				}
				seen[row.Index] = true
				out.Subnets[si].Rows = append(out.Subnets[si].Rows, row)
			}
		}
	}
	if len(seen) != out.Total {
		return nil, badinput.New("", "", "shards", "the shards hold %d of %d grid cells; a shard is missing", len(seen), out.Total)
	}
	out.finalize()
	return out, nil
}

func baseKey(s *Subnet) any {
	js, _ := json.Marshal(struct {
		A []Row
		B []int
		C string
		D float64
	}{s.Baseline, s.Validators, s.Name, s.CopierStake})
	return string(js)
}
