package web

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/chain"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/report"
	"github.com/yuma-go/yuma/subnet"
)

// Defaults for snapshots that lack the fields (the diagnostic's defaults).
const (
	defaultActivityCutoff = 5000
	defaultMaxValidators  = 64
	maxBlockOptions       = 500
)

// mgForm is the metagraph page's form state.
type mgForm struct {
	Source string // dataset:NAME or store:NETUID
	Block  uint64
	UID    int
	Role   string // auto, miner or validator
	Upload string
}

// mgRow is one line of the explanation table: a validator (miner view) or a
// miner (validator view).
type mgRow struct {
	UID       int
	Stake     float64 // stake share of the validator (miner view)
	Weight    float64 // the validator's normalised weight on the miner, after the chain's masks
	Consensus float64 // the miner's consensus
	Clipped   float64 // min(weight, consensus): what counts towards incentive and validator trust
	Cut       float64 // weight - clipped: what consensus clipping removed
}

// mgView is the explanation of one uid at one block.
type mgView struct {
	Netuid, N, UID int
	Block          uint64
	Role           string
	Yuma           string
	// Miner view.
	Consensus, Incentive float64
	Validators           int
	// Validator view.
	VTrustChain     float64 // the chain-exact epoch's validator trust
	VTrustExplained float64 // sum of the Clipped column
	StakeShare      float64
	// Stored is the snapshot's own value (validator trust for a validator,
	// consensus for a miner) as a proportion, when the snapshot has it: what
	// the chain stored at that block, for comparison with the replay.
	Stored    float64
	HasStored bool
	Rows      []mgRow
	Chart     template.HTML
	Notes     []string
}

type mgPage struct {
	Title   string
	Nav     string
	Sources []sourceOption
	Blocks  []uint64
	Form    mgForm
	View    *mgView
	Error   string
}

func (s *Server) handleMetagraph(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := mgForm{Source: q.Get("source"), Role: q.Get("role")}
	if f.Source == "" {
		f.Source = "dataset:sn31"
	}
	if f.Role == "" {
		f.Role = "auto"
	}
	if prev := q.Get("prev_source"); prev != "" && prev != f.Source {
		// the source changed: its blocks and uids are not the old one's
		q.Del("block")
		q.Del("uid")
	}
	switch f.Role {
	case "auto", "miner", "validator":
	default:
		s.fail(w, r, badinput.New("", "", "role", "unknown role %q (want auto, miner or validator)", f.Role))
		return
	}
	f.UID = -1
	if u := q.Get("uid"); u != "" {
		uid, err := strconv.Atoi(u)
		if err != nil || uid < 0 || uid > 65535 {
			s.fail(w, r, badinput.New("", "", "uid", "%q is not a uid (0..65535)", u))
			return
		}
		f.UID = uid
	}
	var block uint64
	hasBlock := q.Get("block") != ""
	if hasBlock {
		v, err := strconv.ParseUint(q.Get("block"), 10, 64)
		if err != nil {
			s.fail(w, r, badinput.New("", "", "block", "%q is not a block number", q.Get("block")))
			return
		}
		block = v
	}
	page := mgPage{Title: "Metagraph view", Nav: "metagraph", Sources: s.sourceOptions(r.Context())}
	snaps, err := s.loadSource(r.Context(), f.Source)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, sn := range snaps {
		page.Blocks = append(page.Blocks, sn.block)
	}
	if len(page.Blocks) > maxBlockOptions {
		page.Blocks = page.Blocks[len(page.Blocks)-maxBlockOptions:]
	}
	snap := snaps[len(snaps)-1]
	if hasBlock {
		i := sort.Search(len(snaps), func(i int) bool { return snaps[i].block >= block })
		if i == len(snaps) || snaps[i].block != block {
			s.fail(w, r, badinput.New("", "", "block", "no snapshot at block %d in %s", block, f.Source))
			return
		}
		snap = snaps[i]
	}
	f.Block = snap.block
	full, err := snap.load(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.UID < 0 {
		f.UID = topValidator(full)
	}
	page.Form = f
	view, err := explain(full, f.UID, f.Role, f.Source)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.View = view
	if isHTMX(r) {
		s.render(w, r, "metagraph", "mgcontent", page)
		return
	}
	s.render(w, r, "metagraph", "layout.html", page)
}

// handleMetagraphUpload explains a uid of an uploaded snapshot file.
func (s *Server) handleMetagraphUpload(w http.ResponseWriter, r *http.Request) {
	if err := s.parseForm(r); err != nil {
		s.fail(w, r, err)
		return
	}
	ups, err := files(r, "snapshot")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(ups) != 1 {
		s.fail(w, r, badinput.New("", "", "snapshot", "upload exactly one snapshot file (got %d)", len(ups)))
		return
	}
	snaps, err := decodeUploads(ups)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	snap := snaps[0]
	f := mgForm{Source: "upload", Block: snap.Block, Role: strings.TrimSpace(r.FormValue("role")), Upload: ups[0].Name}
	if f.Role == "" {
		f.Role = "auto"
	}
	uid, ok, err := formInt(r, "uid", 0, 65535)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		uid = topValidator(snap)
	}
	f.UID = uid
	view, err := explain(snap, uid, f.Role, ups[0].Name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := mgPage{Title: "Metagraph view", Nav: "metagraph", Sources: s.sourceOptions(r.Context()), Form: f, View: view, Blocks: []uint64{snap.Block}}
	if isHTMX(r) {
		s.render(w, r, "metagraph", "view", page)
		return
	}
	s.render(w, r, "metagraph", "layout.html", page)
}

// snapRef is one snapshot of a source, loaded on demand (store snapshots
// are read one at a time).
type snapRef struct {
	block uint64
	load  func(ctx context.Context) (*metagraph.Snapshot, error)
}

// loadSource lists the snapshots of a bundled dataset or a store subnet.
func (s *Server) loadSource(ctx context.Context, src string) ([]snapRef, error) {
	kind, name, _ := strings.Cut(src, ":")
	switch kind {
	case "dataset":
		snaps, err := s.dataset(name)
		if err != nil {
			return nil, err
		}
		if len(snaps) == 0 {
			return nil, badinput.New("", "", "source", "dataset %s is empty", name)
		}
		out := make([]snapRef, len(snaps))
		for i, sn := range snaps {
			out[i] = snapRef{sn.Block, func(context.Context) (*metagraph.Snapshot, error) { return sn, nil }}
		}
		return out, nil
	case "store":
		if s.opts.StorePath == "" {
			return nil, badinput.New("", "", "source", "the server was started without --store")
		}
		netuid, err := strconv.Atoi(name)
		if err != nil || netuid < 0 || netuid > 65535 {
			return nil, badinput.New("", "", "source", "%q is not a netuid", name)
		}
		st, err := metagraph.OpenStore(s.opts.StorePath)
		if err != nil {
			return nil, err
		}
		blocks, err := st.Blocks(ctx, netuid, 0, 0)
		_ = st.Close()
		if err != nil {
			return nil, err
		}
		if len(blocks) == 0 {
			return nil, badinput.New("", "", "source", "the store has no snapshot of netuid %d", netuid)
		}
		out := make([]snapRef, len(blocks))
		for i, b := range blocks {
			out[i] = snapRef{b, func(ctx context.Context) (*metagraph.Snapshot, error) {
				st, err := metagraph.OpenStore(s.opts.StorePath)
				if err != nil {
					return nil, err
				}
				defer st.Close()
				return st.Get(ctx, netuid, b)
			}}
		}
		return out, nil
	}
	return nil, badinput.New("", "", "source", "unknown source %q (want dataset:NAME or store:NETUID)", src)
}

// topValidator returns the uid with the largest stake among those that set
// weights (0 when none does).
func topValidator(s *metagraph.Snapshot) int {
	best, bestStake := 0, -1.0
	for _, row := range s.Weights {
		if len(row.Entries) == 0 || row.UID >= len(s.Stake) {
			continue
		}
		if s.Stake[row.UID] > bestStake {
			best, bestStake = row.UID, s.Stake[row.UID]
		}
	}
	return best
}

// stateOf converts a snapshot into the chain state machine's state: stake
// in rao, the stored u16 weight rows, registration and update blocks, and
// the permits (top-64 by stake when the snapshot has none). Missing
// last_update means every neuron is taken as active.
func stateOf(s *metagraph.Snapshot, notes *[]string) (*subnet.State, error) {
	h := subnet.DefaultHyperparameters()
	h.Yuma = subnet.Yuma2
	if s.YumaVersion == subnet.Yuma3 {
		h.Yuma = subnet.Yuma3
	}
	h.LiquidAlpha = subnet.LiquidAlphaOff
	h.CommitReveal = false
	h.ActivityCutoff = defaultActivityCutoff
	h.MaxAllowedValidators = defaultMaxValidators
	if v, ok := hyperNumber(s.Hyperparameters, "activity_cutoff"); ok && v >= 1 && v <= math.MaxUint32 {
		h.ActivityCutoff = uint64(v)
	}
	if v, ok := hyperNumber(s.Hyperparameters, "kappa"); ok && v >= 0 && v <= 65535 {
		h.Kappa = uint16(v)
	}
	if v, ok := hyperNumber(s.Hyperparameters, "max_allowed_validators"); ok && v >= 1 && v <= 65535 {
		h.MaxAllowedValidators = uint16(v)
	}
	st := subnet.NewState(h)
	st.Block = s.Block
	st.Neurons = make([]subnet.Neuron, s.N)
	for i := range st.Neurons {
		nr := &st.Neurons[i]
		if i < len(s.Stake) {
			rao := math.Round(s.Stake[i] * 1e9)
			if !(rao >= 0 && rao < 1<<62) {
				return nil, badinput.New("", fmt.Sprintf("uid %d", i), "stake", "%v TAO is out of range", s.Stake[i])
			}
			nr.Stake = uint64(rao)
		}
		if i < len(s.BlockAtRegistration) {
			nr.RegisteredAt = s.BlockAtRegistration[i]
		}
		nr.LastUpdate = s.Block
		if i < len(s.LastUpdate) {
			nr.LastUpdate = s.LastUpdate[i]
		}
	}
	if s.LastUpdate == nil {
		*notes = append(*notes, "the snapshot has no last_update: every neuron is taken as active and no weight as outdated")
	}
	for _, row := range s.Weights {
		if row.UID < 0 || row.UID >= s.N {
			continue // Validate rejects these
		}
		ws := make([]subnet.WeightEntry, 0, len(row.Entries))
		for _, e := range row.Entries {
			ws = append(ws, subnet.WeightEntry{UID: uint16(e[0]), Value: uint16(e[1])})
		}
		st.Neurons[row.UID].Weights = ws
	}
	if s.ValidatorPermit != nil {
		for i, p := range s.ValidatorPermit {
			if i < s.N {
				st.Neurons[i].ValidatorPermit = p
			}
		}
	} else {
		*notes = append(*notes, fmt.Sprintf("the snapshot has no validator permits: the top %d stakes get them", defaultMaxValidators))
		idx := make([]int, 0, s.N)
		for i := range st.Neurons {
			if st.Neurons[i].Stake > 0 {
				idx = append(idx, i)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool { return st.Neurons[idx[a]].Stake > st.Neurons[idx[b]].Stake })
		for k, i := range idx {
			if k < defaultMaxValidators {
				st.Neurons[i].ValidatorPermit = true
			}
		}
	}
	return st, nil
}

func hyperNumber(m map[string]any, key string) (float64, bool) {
	v, ok := m[key]
	if !ok {
		return 0, false
	}
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// maskedWeights returns the weight matrix the chain's consensus sees: rows
// of validators with a permit, self-weights and weights set before the
// target's registration removed, each row normalised to sum 1.
func maskedWeights(st *subnet.State) [][]float64 {
	n := len(st.Neurons)
	w := make([][]float64, n)
	for i := range st.Neurons {
		nr := &st.Neurons[i]
		row := make([]float64, n)
		w[i] = row
		if !nr.ValidatorPermit {
			continue
		}
		sum := 0.0
		for _, e := range nr.Weights {
			j := int(e.UID)
			if j >= n || j == i || nr.LastUpdate <= st.Neurons[j].RegisteredAt {
				continue
			}
			row[j] += float64(e.Value)
			sum += float64(e.Value)
		}
		if sum > 0 {
			for j := range row {
				row[j] /= sum
			}
		}
	}
	return w
}

// explain runs the snapshot's epoch on the chain-exact engine and explains
// uid: as a miner, each validator's weight against the consensus; as a
// validator, miner by miner, its weight, the consensus and the clipped
// amount, whose sum is its validator trust.
func explain(s *metagraph.Snapshot, uid int, role, file string) (*mgView, error) {
	if err := s.Validate(file); err != nil {
		return nil, err
	}
	if uid < 0 || uid >= s.N {
		return nil, badinput.New(file, "", "uid", "%d is not a uid of this snapshot (0..%d)", uid, s.N-1)
	}
	v := &mgView{Netuid: s.Netuid, N: s.N, UID: uid, Block: s.Block}
	st, err := stateOf(s, &v.Notes)
	if err != nil {
		return nil, err
	}
	v.Yuma = st.Hyper.Yuma
	out, err := chain.New().Epoch(st, s.Block, 1_000_000_000)
	if err != nil {
		return nil, fmt.Errorf("chain epoch of %s block %d: %w", file, s.Block, err)
	}
	if out.Exact == nil {
		return nil, fmt.Errorf("chain epoch of %s block %d: no exact proportions", file, s.Block)
	}
	ex := out.Exact
	w := maskedWeights(st)
	var total float64
	for i := range st.Neurons {
		total += float64(st.Neurons[i].Stake)
	}
	share := func(i int) float64 {
		if total == 0 {
			return 0
		}
		return float64(st.Neurons[i].Stake) / total
	}
	isValidator := false
	for _, x := range w[uid] {
		if x > 0 {
			isValidator = true
			break
		}
	}
	switch role {
	case "validator":
		if !isValidator {
			return nil, badinput.New(file, fmt.Sprintf("block %d", s.Block), "uid", "uid %d sets no counted weights (no permit, or no weights) at this block", uid)
		}
	case "miner":
		isValidator = false
	case "", "auto":
	default:
		return nil, badinput.New("", "", "role", "unknown role %q (want auto, miner or validator)", role)
	}
	v.StakeShare = share(uid)
	if isValidator {
		v.Role = "validator"
		v.VTrustChain = ex.ValidatorTrust[uid]
		if uid < len(s.ValidatorTrust) {
			v.Stored, v.HasStored = float64(s.ValidatorTrust[uid])/65535, true
		}
		for j, wij := range w[uid] {
			c := ex.Consensus[j]
			if wij == 0 {
				continue
			}
			clip := math.Min(wij, c)
			v.VTrustExplained += clip
			v.Rows = append(v.Rows, mgRow{UID: j, Weight: wij, Consensus: c, Clipped: clip, Cut: wij - clip})
		}
		sort.SliceStable(v.Rows, func(a, b int) bool { return v.Rows[a].Cut > v.Rows[b].Cut })
		if !st.Neurons[uid].ValidatorPermit {
			v.Notes = append(v.Notes, "this uid has no validator permit: its weights do not count")
		}
	} else {
		v.Role = "miner"
		v.Consensus, v.Incentive = ex.Consensus[uid], ex.Incentive[uid]
		if uid < len(s.Consensus) {
			v.Stored, v.HasStored = float64(s.Consensus[uid])/65535, true
		}
		for i := range st.Neurons {
			if !st.Neurons[i].ValidatorPermit || st.Neurons[i].Stake == 0 {
				continue
			}
			rowSum := 0.0
			for _, x := range w[i] {
				rowSum += x
			}
			if rowSum == 0 {
				continue // sets no weights
			}
			wij := w[i][uid]
			clip := math.Min(wij, v.Consensus)
			v.Rows = append(v.Rows, mgRow{UID: i, Stake: share(i), Weight: wij, Consensus: v.Consensus, Clipped: clip, Cut: wij - clip})
		}
		v.Validators = len(v.Rows)
		sort.SliceStable(v.Rows, func(a, b int) bool { return v.Rows[a].Stake > v.Rows[b].Stake })
	}
	if v.Chart, err = v.chart(); err != nil {
		return nil, err
	}
	return v, nil
}

// chart draws the view: for a miner, each validator's weight (by stake rank)
// with the consensus as a line; for a validator, its weight and the consensus
// per miner.
func (v *mgView) chart() (template.HTML, error) {
	var c report.Chart
	if v.Role == "miner" {
		x, y := make([]float64, len(v.Rows)), make([]float64, len(v.Rows))
		for k, r := range v.Rows {
			x[k], y[k] = float64(k+1), r.Weight
		}
		c = report.Chart{
			Title:  fmt.Sprintf("netuid %d block %d: validators' weights on miner %d", v.Netuid, v.Block, v.UID),
			XLabel: "validator (rank by stake)", YLabel: "normalised weight",
			Series: []report.Series{{Name: "validator weight", X: x, Y: y, Points: true}},
			HLines: []report.Reference{{Name: "consensus", Y: v.Consensus}},
		}
	} else {
		rows := append([]mgRow(nil), v.Rows...)
		sort.Slice(rows, func(a, b int) bool { return rows[a].UID < rows[b].UID })
		x := make([]float64, len(rows))
		wy, cy := make([]float64, len(rows)), make([]float64, len(rows))
		for k, r := range rows {
			x[k], wy[k], cy[k] = float64(r.UID), r.Weight, r.Consensus
		}
		c = report.Chart{
			Title:  fmt.Sprintf("netuid %d block %d: validator %d's weights against consensus", v.Netuid, v.Block, v.UID),
			XLabel: "miner uid", YLabel: "normalised weight / consensus",
			Series: []report.Series{{Name: "weight", X: x, Y: wy, Points: true}, {Name: "consensus", X: x, Y: cy, Points: true}},
		}
	}
	if len(v.Rows) == 0 {
		return "", nil
	}
	c.Width, c.Height = 24, 11
	return svgOf(c)
}
