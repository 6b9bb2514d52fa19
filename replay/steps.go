package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/chain"
	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/subnet"
)

// DefaultEmission is the epoch emission (rao) used when a step omits it.
const DefaultEmission uint64 = 1_000_000_000

// StepFields returns the output fields of a step replay line, in output order.
func StepFields() []string {
	return []string{"block", "consensus", "incentive", "dividends", "validator_trust", "emission", "validator_permit", "active", "bonds"}
}

// StepFile is a parsed step replay (interfaces.md section 2).
type StepFile struct {
	Name    string
	Engine  string // "chain" (default), "chain-dense" (the chain's test-only dense path) or "float"
	Hyper   subnet.Hyperparameters
	Neurons []NeuronSpec
	Steps   []Step
}

// NeuronSpec is one initial neuron of a step replay.
type NeuronSpec struct {
	UID             int
	Stake           uint64
	RegisteredAt    uint64
	LastUpdate      uint64 // defaults to RegisteredAt
	ValidatorPermit bool
	Weights         *WeightsSpec // optional initial stored weights (stored verbatim, no upscale)
}

// WeightsSpec is a (uids, values) pair.
type WeightsSpec struct {
	UIDs   []int
	Values []int
}

// Step is one state-machine step; exactly one action is set.
type Step struct {
	Block      uint64
	Register   *UIDStake
	SetStake   *UIDStake
	SetWeights *SetWeights
	Commit     *SetWeights // timelocked, or a hash commit when Hash is set
	Reveal     *SetWeights // reveal of a hash commit
	ResetBonds *int
	Epoch      *uint64 // emission in rao
}

// UIDStake is the body of register and set_stake.
type UIDStake struct {
	UID   int
	Stake uint64
}

// SetWeights is the body of set_weights, commit and reveal.
type SetWeights struct {
	UID int
	WeightsSpec
	Hash bool // commit only: a hash commit revealed by an explicit reveal step
}

// EpochLine is one output line of a step replay.
type EpochLine struct {
	Block uint64
	Out   subnet.EpochOutput
}

// ParseSteps decodes a step replay strictly. name is used in error messages.
func ParseSteps(name string, data []byte) (*StepFile, error) {
	p := parser{file: name}
	return p.parse(data)
}

type parser struct {
	file string
	loc  string
}

func (p *parser) bad(field, format string, args ...any) error {
	return badinput.New(p.file, p.loc, field, format, args...)
}

func (p *parser) object(field string, raw json.RawMessage, allowed ...string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, p.bad(field, "must be a JSON object")
	}
	ok := make(map[string]bool, len(allowed))
	for _, a := range allowed {
		ok[a] = true
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !ok[k] {
			return nil, p.bad(join(field, k), "unknown field (allowed: %s)", strings.Join(allowed, ", "))
		}
	}
	return m, nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// uintVal parses an integer JSON number in [0, max].
func (p *parser) uintVal(field string, raw json.RawMessage, max uint64) (uint64, error) {
	s := strings.TrimSpace(string(raw))
	if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		if u > max {
			return 0, p.bad(field, "%s is out of range [0, %d]", s, max)
		}
		return u, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if strings.HasPrefix(s, "-") {
			return 0, p.bad(field, "%s is negative", s)
		}
		return 0, p.bad(field, "must be a non-negative integer, got %s", s)
	}
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return 0, p.bad(field, "must be a finite integer, got %s", s)
	case f < 0:
		return 0, p.bad(field, "%s is negative", s)
	case f != math.Trunc(f):
		return 0, p.bad(field, "must be an integer, got %s", s)
	case f >= 18446744073709551616.0 || uint64(f) > max:
		return 0, p.bad(field, "%s is out of range [0, %d]", s, max)
	}
	return uint64(f), nil
}

func (p *parser) intVal(field string, raw json.RawMessage, min, max int64) (int64, error) {
	s := strings.TrimSpace(string(raw))
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		if v < min || v > max {
			return 0, p.bad(field, "%s is out of range [%d, %d]", s, min, max)
		}
		return v, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f != math.Trunc(f) {
		return 0, p.bad(field, "must be an integer, got %s", s)
	}
	if f < float64(min) || f > float64(max) {
		return 0, p.bad(field, "%s is out of range [%d, %d]", s, min, max)
	}
	return int64(f), nil
}

func (p *parser) boolVal(field string, raw json.RawMessage) (bool, error) {
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return false, p.bad(field, "must be true or false, got %s", strings.TrimSpace(string(raw)))
	}
	return b, nil
}

func (p *parser) strVal(field string, raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", p.bad(field, "must be a string, got %s", strings.TrimSpace(string(raw)))
	}
	return s, nil
}

func (p *parser) array(field string, raw json.RawMessage) ([]json.RawMessage, error) {
	var a []json.RawMessage
	if err := json.Unmarshal(raw, &a); err != nil || (a == nil && strings.TrimSpace(string(raw)) != "[]") {
		return nil, p.bad(field, "must be an array")
	}
	return a, nil
}

func (p *parser) uidList(field string, raw json.RawMessage, max int64) ([]int, error) {
	a, err := p.array(field, raw)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(a))
	for k, r := range a {
		v, err := p.intVal(fmt.Sprintf("%s[%d]", field, k), r, 0, max)
		if err != nil {
			return nil, err
		}
		out[k] = int(v)
	}
	return out, nil
}

func (p *parser) weights(field string, raw json.RawMessage, withUID bool) (*SetWeights, error) {
	allowed := []string{"uids", "values"}
	if withUID {
		allowed = []string{"uid", "uids", "values"}
	}
	keys := allowed
	if field == "commit" {
		keys = append(keys, "hash")
	}
	m, err := p.object(field, raw, keys...)
	if err != nil {
		return nil, err
	}
	sw := &SetWeights{}
	if r, ok := m["hash"]; ok {
		if sw.Hash, err = p.boolVal(join(field, "hash"), r); err != nil {
			return nil, err
		}
	}
	for _, k := range allowed {
		if _, ok := m[k]; !ok {
			return nil, p.bad(join(field, k), "missing")
		}
	}
	if withUID {
		u, err := p.intVal(join(field, "uid"), m["uid"], 0, 65535)
		if err != nil {
			return nil, err
		}
		sw.UID = int(u)
	}
	if sw.UIDs, err = p.uidList(join(field, "uids"), m["uids"], 65535); err != nil {
		return nil, err
	}
	// Values are checked against u16 here; negative values get their own message.
	a, err := p.array(join(field, "values"), m["values"])
	if err != nil {
		return nil, err
	}
	sw.Values = make([]int, len(a))
	for k, r := range a {
		v, err := p.uintVal(fmt.Sprintf("%s[%d]", join(field, "values"), k), r, 65535)
		if err != nil {
			return nil, err
		}
		sw.Values[k] = int(v)
	}
	if len(sw.Values) != len(sw.UIDs) {
		return nil, p.bad(join(field, "values"), "has %d entries but uids has %d", len(sw.Values), len(sw.UIDs))
	}
	return sw, nil
}

func (p *parser) parse(data []byte) (*StepFile, error) {
	top, err := p.object("", data, "name", "engine", "yuma", "liquid_alpha", "hyperparameters", "neurons", "steps")
	if err != nil {
		return nil, err
	}
	f := &StepFile{Engine: "chain", Hyper: subnet.DefaultHyperparameters()}
	if r, ok := top["name"]; ok {
		if f.Name, err = p.strVal("name", r); err != nil {
			return nil, err
		}
	}
	if r, ok := top["engine"]; ok {
		if f.Engine, err = p.strVal("engine", r); err != nil {
			return nil, err
		}
		if f.Engine != "chain" && f.Engine != "chain-dense" && f.Engine != "float" {
			return nil, p.bad("engine", "unknown engine %q (want chain, chain-dense or float)", f.Engine)
		}
	}
	if r, ok := top["yuma"]; ok {
		if f.Hyper.Yuma, err = p.strVal("yuma", r); err != nil {
			return nil, err
		}
	}
	if r, ok := top["liquid_alpha"]; ok {
		if f.Hyper.LiquidAlpha, err = p.strVal("liquid_alpha", r); err != nil {
			return nil, err
		}
	}
	if r, ok := top["hyperparameters"]; ok {
		if err := p.hyper(r, &f.Hyper); err != nil {
			return nil, err
		}
	}
	if err := f.Hyper.Validate(); err != nil {
		field, reason, _ := strings.Cut(err.Error(), ": ")
		return nil, p.bad(field, "%s", reason)
	}
	if r, ok := top["neurons"]; ok {
		if f.Neurons, err = p.neurons(r); err != nil {
			return nil, err
		}
	}
	r, ok := top["steps"]
	if !ok {
		return nil, p.bad("steps", "missing")
	}
	a, err := p.array("steps", r)
	if err != nil {
		return nil, err
	}
	f.Steps = make([]Step, len(a))
	for k, raw := range a {
		p.loc = fmt.Sprintf("step %d", k)
		if err := p.step(raw, &f.Steps[k]); err != nil {
			return nil, err
		}
	}
	p.loc = ""
	return f, nil
}

func (p *parser) hyper(raw json.RawMessage, h *subnet.Hyperparameters) error {
	const F = "hyperparameters"
	m, err := p.object(F, raw, "tempo", "kappa", "bonds_penalty", "bonds_moving_average", "alpha_low", "alpha_high",
		"alpha_sigmoid_steepness", "max_allowed_validators", "activity_cutoff", "stake_threshold", "commit_reveal",
		"commit_reveal_period", "bonds_reset", "owner_uid")
	if err != nil {
		return err
	}
	u16 := func(k string, dst *uint16) error {
		if r, ok := m[k]; ok {
			v, err := p.uintVal(join(F, k), r, math.MaxUint16)
			if err != nil {
				return err
			}
			*dst = uint16(v)
		}
		return nil
	}
	u64 := func(k string, dst *uint64) error {
		if r, ok := m[k]; ok {
			v, err := p.uintVal(join(F, k), r, math.MaxUint64)
			if err != nil {
				return err
			}
			*dst = v
		}
		return nil
	}
	bl := func(k string, dst *bool) error {
		if r, ok := m[k]; ok {
			v, err := p.boolVal(join(F, k), r)
			if err != nil {
				return err
			}
			*dst = v
		}
		return nil
	}
	for _, e := range []error{
		u16("tempo", &h.Tempo), u16("kappa", &h.Kappa), u16("bonds_penalty", &h.BondsPenalty),
		u64("bonds_moving_average", &h.BondsMovingAverage), u16("alpha_low", &h.AlphaLow), u16("alpha_high", &h.AlphaHigh),
		u16("max_allowed_validators", &h.MaxAllowedValidators), u64("activity_cutoff", &h.ActivityCutoff),
		u64("stake_threshold", &h.StakeThreshold), bl("commit_reveal", &h.CommitReveal),
		u64("commit_reveal_period", &h.CommitRevealPeriod), bl("bonds_reset", &h.BondsReset),
	} {
		if e != nil {
			return e
		}
	}
	if r, ok := m["alpha_sigmoid_steepness"]; ok {
		v, err := p.intVal(join(F, "alpha_sigmoid_steepness"), r, math.MinInt16, math.MaxInt16)
		if err != nil {
			return err
		}
		h.AlphaSigmoidSteepness = int16(v)
	}
	if r, ok := m["owner_uid"]; ok && strings.TrimSpace(string(r)) != "null" {
		v, err := p.intVal(join(F, "owner_uid"), r, 0, 65535)
		if err != nil {
			return err
		}
		o := int(v)
		h.OwnerUID = &o
	}
	if h.BondsMovingAverage > 1_000_000 {
		return p.bad(join(F, "bonds_moving_average"), "%d is above 1000000 (parts per million)", h.BondsMovingAverage)
	}
	return nil
}

func (p *parser) neurons(raw json.RawMessage) ([]NeuronSpec, error) {
	a, err := p.array("neurons", raw)
	if err != nil {
		return nil, err
	}
	if len(a) > subnet.MaxNeurons {
		return nil, p.bad("neurons", "%d neurons is more than the %d a replay supports", len(a), subnet.MaxNeurons)
	}
	out := make([]NeuronSpec, len(a))
	for k, r := range a {
		f := fmt.Sprintf("neurons[%d]", k)
		m, err := p.object(f, r, "uid", "stake", "registered_at", "last_update", "validator_permit", "weights")
		if err != nil {
			return nil, err
		}
		if _, ok := m["uid"]; !ok {
			return nil, p.bad(join(f, "uid"), "missing")
		}
		uid, err := p.intVal(join(f, "uid"), m["uid"], 0, 65535)
		if err != nil {
			return nil, err
		}
		if int(uid) != k {
			return nil, p.bad(join(f, "uid"), "neurons must list uids 0, 1, 2, ... in order; got %d at position %d", uid, k)
		}
		ns := NeuronSpec{UID: int(uid)}
		if r, ok := m["stake"]; ok {
			if ns.Stake, err = p.uintVal(join(f, "stake"), r, math.MaxInt64); err != nil {
				return nil, err
			}
		}
		if r, ok := m["registered_at"]; ok {
			if ns.RegisteredAt, err = p.uintVal(join(f, "registered_at"), r, math.MaxUint64); err != nil {
				return nil, err
			}
		}
		ns.LastUpdate = ns.RegisteredAt
		if r, ok := m["last_update"]; ok {
			if ns.LastUpdate, err = p.uintVal(join(f, "last_update"), r, math.MaxUint64); err != nil {
				return nil, err
			}
		}
		if r, ok := m["validator_permit"]; ok {
			if ns.ValidatorPermit, err = p.boolVal(join(f, "validator_permit"), r); err != nil {
				return nil, err
			}
		}
		if r, ok := m["weights"]; ok {
			sw, err := p.weights(join(f, "weights"), r, false)
			if err != nil {
				return nil, err
			}
			ns.Weights = &sw.WeightsSpec
		}
		out[k] = ns
	}
	for k, ns := range out {
		if ns.Weights == nil {
			continue
		}
		seen := map[int]bool{}
		for i, u := range ns.Weights.UIDs {
			f := fmt.Sprintf("neurons[%d].weights.uids[%d]", k, i)
			if u >= len(out) {
				return nil, p.bad(f, "uid %d is not registered (n = %d)", u, len(out))
			}
			if seen[u] {
				return nil, p.bad(f, "duplicate uid %d", u)
			}
			seen[u] = true
		}
	}
	return out, nil
}

// stepActions returns the action keys a step may have.
func stepActions() []string {
	return []string{"register", "set_stake", "set_weights", "commit", "reveal", "reset_bonds", "epoch"}
}

func (p *parser) step(raw json.RawMessage, s *Step) error {
	actions := stepActions()
	m, err := p.object("", raw, append([]string{"block"}, actions...)...)
	if err != nil {
		return err
	}
	br, ok := m["block"]
	if !ok {
		return p.bad("block", "missing")
	}
	if s.Block, err = p.uintVal("block", br, math.MaxUint64); err != nil {
		return err
	}
	var act []string
	for _, a := range actions {
		if _, ok := m[a]; ok {
			act = append(act, a)
		}
	}
	if len(act) != 1 {
		return p.bad("", "a step needs exactly one action (%s), got %d", strings.Join(actions, ", "), len(act))
	}
	a := act[0]
	r := m[a]
	switch a {
	case "register", "set_stake":
		o, err := p.object(a, r, "uid", "stake")
		if err != nil {
			return err
		}
		if _, ok := o["uid"]; !ok {
			return p.bad(a+".uid", "missing")
		}
		u, err := p.intVal(a+".uid", o["uid"], 0, 65535)
		if err != nil {
			return err
		}
		us := &UIDStake{UID: int(u)}
		if sr, ok := o["stake"]; ok {
			if us.Stake, err = p.uintVal(a+".stake", sr, math.MaxInt64); err != nil {
				return err
			}
		} else if a == "set_stake" {
			return p.bad(a+".stake", "missing")
		}
		if a == "register" {
			s.Register = us
		} else {
			s.SetStake = us
		}
	case "set_weights", "commit", "reveal":
		sw, err := p.weights(a, r, true)
		if err != nil {
			return err
		}
		switch a {
		case "commit":
			s.Commit = sw
		case "reveal":
			s.Reveal = sw
		default:
			s.SetWeights = sw
		}
	case "reset_bonds":
		o, err := p.object(a, r, "uid")
		if err != nil {
			return err
		}
		if _, ok := o["uid"]; !ok {
			return p.bad(a+".uid", "missing")
		}
		u, err := p.intVal(a+".uid", o["uid"], 0, 65535)
		if err != nil {
			return err
		}
		ui := int(u)
		s.ResetBonds = &ui
	case "epoch":
		em := DefaultEmission
		if strings.TrimSpace(string(r)) != "null" {
			o, err := p.object(a, r, "emission")
			if err != nil {
				return err
			}
			if er, ok := o["emission"]; ok {
				if em, err = p.uintVal(a+".emission", er, math.MaxUint64); err != nil {
					return err
				}
			}
		}
		s.Epoch = &em
	}
	return nil
}

// NewState builds the initial subnet state of a parsed file.
func (f *StepFile) NewState() *subnet.State {
	st := subnet.NewState(f.Hyper)
	for _, ns := range f.Neurons {
		nr := subnet.Neuron{Stake: ns.Stake, RegisteredAt: ns.RegisteredAt, LastUpdate: ns.LastUpdate, ValidatorPermit: ns.ValidatorPermit}
		if ns.Weights != nil {
			for k, u := range ns.Weights.UIDs {
				nr.Weights = append(nr.Weights, subnet.WeightEntry{UID: uint16(u), Value: uint16(ns.Weights.Values[k])})
			}
		}
		st.Neurons = append(st.Neurons, nr)
	}
	return st
}

// EngineFor returns the engine a parsed file asks for; float is the float64
// engine to use for "engine": "float" (nil if none is available).
func (f *StepFile) EngineFor(float subnet.Engine) (subnet.Engine, error) {
	switch f.Engine {
	case "float":
		if float != nil {
			if c, ok := float.(interface {
				CheckHyperparameters(subnet.Hyperparameters) error
			}); ok {
				if err := c.CheckHyperparameters(f.Hyper); err != nil {
					return nil, err
				}
			}
			return float, nil
		}
	case "chain", "chain-dense":
		if err := chain.CheckHyperparameters(f.Hyper); err != nil {
			return nil, err
		}
		if f.Engine == "chain-dense" {
			return chain.NewDense(), nil
		}
		return chain.New(), nil
	}
	return nil, badinput.New("", "", "engine", "engine %q is not available for step replays (use chain, or a matrix replay for the float engine)", f.Engine)
}

// RunSteps runs a parsed step file with eng, calling emit after each epoch.
func RunSteps(ctx context.Context, name string, f *StepFile, eng subnet.Engine, emit func(EpochLine) error) error {
	st := f.NewState()
	for k, s := range f.Steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("replay %s: %w", name, err)
		}
		loc := fmt.Sprintf("step %d", k)
		var (
			err    error
			action string
		)
		switch {
		case s.Register != nil:
			action = "register"
			err = st.Register(s.Block, s.Register.UID, s.Register.Stake)
		case s.SetStake != nil:
			action = "set_stake"
			err = st.SetStake(s.Block, s.SetStake.UID, s.SetStake.Stake)
		case s.SetWeights != nil:
			action = "set_weights"
			err = st.SetWeights(s.Block, s.SetWeights.UID, s.SetWeights.UIDs, s.SetWeights.Values)
		case s.Commit != nil:
			action = "commit"
			if s.Commit.Hash {
				err = st.CommitHash(s.Block, s.Commit.UID, s.Commit.UIDs, s.Commit.Values)
			} else {
				err = st.Commit(s.Block, s.Commit.UID, s.Commit.UIDs, s.Commit.Values)
			}
		case s.Reveal != nil:
			action = "reveal"
			err = st.Reveal(s.Block, s.Reveal.UID, s.Reveal.UIDs, s.Reveal.Values)
		case s.ResetBonds != nil:
			action = "reset_bonds"
			err = st.ResetBonds(s.Block, *s.ResetBonds)
		case s.Epoch != nil:
			action = "epoch"
			var out subnet.EpochOutput
			out, err = st.Epoch(eng, s.Block, *s.Epoch)
			if err == nil {
				err = emit(EpochLine{Block: s.Block, Out: out})
				if err != nil {
					return err
				}
			}
		}
		if err != nil {
			return locate(err, name, loc, action)
		}
	}
	return nil
}

// locate fills in the file, step and action of a bad-input error.
func locate(err error, file, loc, action string) error {
	var be *badinput.Error
	if !errors.As(err, &be) {
		return fmt.Errorf("%s: %s: %s: %w", file, loc, action, err)
	}
	c := *be
	if c.File == "" {
		c.File = file
	}
	if c.Location == "" {
		c.Location = loc
	}
	switch {
	case c.Field == "" || c.Field == action:
		c.Field = action
	case c.Field == "block":
	default:
		if !strings.HasPrefix(c.Field, action) {
			c.Field = action + "." + c.Field
		}
	}
	return &c
}

// runSteps runs a chain-style replay (interfaces.md section 2).
func runSteps(ctx context.Context, name string, data []byte, opts Options, w io.Writer) error {
	f, err := ParseSteps(name, data)
	if err != nil {
		return err
	}
	sel, err := selectFields(opts.Fields, StepFields(), "block", "a step replay")
	if err != nil {
		return err
	}
	eng, err := f.EngineFor(opts.FloatEngine)
	if err != nil {
		return badinput.WithFile(err, name)
	}
	bw := bufio.NewWriter(w)
	err = RunSteps(ctx, name, f, eng, func(l EpochLine) error {
		b, err := MarshalLine(l, sel)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		_, err = bw.Write(b)
		return err
	})
	if ferr := bw.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write output: %w", ferr)
	}
	return err
}

// selectFields validates a --fields list against the known fields of a
// replay kind; key (the epoch or block number) is always kept. nil selects
// every field.
func selectFields(fields, known []string, key, kind string) (map[string]bool, error) {
	if len(fields) == 0 {
		return nil, nil
	}
	sel := map[string]bool{key: true}
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !slices.Contains(known, f) {
			return nil, badinput.New("", "", "--fields", "unknown field %q for %s (known: %s)", f, kind, strings.Join(known, ", "))
		}
		sel[f] = true
	}
	return sel, nil
}

// MarshalLine encodes one epoch line with the fields in StepFields() order;
// sel (nil = all) limits the fields.
func MarshalLine(l EpochLine, sel map[string]bool) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	put := func(k string, v any) error {
		if sel != nil && !sel[k] {
			return nil
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		buf.WriteString(strconv.Quote(k))
		buf.WriteByte(':')
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode %s: %w", k, err)
		}
		buf.Write(b)
		return nil
	}
	o := l.Out
	for _, kv := range []struct {
		k string
		v any
	}{
		{"block", l.Block}, {"consensus", o.Consensus}, {"incentive", o.Incentive}, {"dividends", o.Dividends},
		{"validator_trust", o.ValidatorTrust}, {"emission", o.Emission}, {"validator_permit", o.ValidatorPermit},
		{"active", o.Active}, {"bonds", o.Bonds},
	} {
		if err := put(kv.k, kv.v); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
