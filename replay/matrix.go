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
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/epoch"
	"github.com/yuma-go/yuma/internal/badinput"
)

// Limits of a matrix replay. The float engine keeps about ten
// validators x miners float64 matrices, so MaxMatrixCells bounds its memory
// (about 340 MB at the limit).
const (
	MaxMatrixSide  = 65536   // most validators or miners
	MaxMatrixCells = 1 << 22 // most validators x miners
)

// MatrixFields returns the output fields of a matrix replay line, in output
// order.
func MatrixFields() []string {
	return []string{"epoch", "dividends", "incentive", "consensus", "validator_trust", "bonds"}
}

// MatrixFile is a parsed matrix replay (interfaces.md section 2b).
type MatrixFile struct {
	File       string // the file name, for error messages
	Name       string
	Config     epoch.Config
	Validators int
	Miners     int
	Epochs     []MatrixEpoch
}

// MatrixEpoch is one epoch of a matrix replay. Nil Stake keeps the previous
// epoch's stake; nil Weights and nil SetRows keep the previous weights.
type MatrixEpoch struct {
	Stake []float64
	// Weights is the dense validators x miners matrix (row-major), or nil.
	Weights []float64
	// SetRows replaces whole validator rows (the sparse form).
	SetRows []RowSet
	// ResetBonds lists miner columns whose bonds are zeroed before the epoch.
	ResetBonds []int
}

// RowSet replaces validator V's weight row with the listed entries.
type RowSet struct {
	V       int
	Entries []RowEntry
}

// RowEntry is one (miner, weight) pair of a sparse row.
type RowEntry struct {
	J int
	W float64
}

// ParseMatrix decodes a matrix replay strictly (JSON; see RunFile for YAML).
// name is used in error messages. Every problem is a *badinput.Error.
func ParseMatrix(name string, data []byte) (*MatrixFile, error) {
	p := parser{file: name}
	return p.matrix(data)
}

// floatVal parses a finite non-negative JSON number.
func (p *parser) floatVal(field string, raw json.RawMessage) (float64, error) {
	s := strings.TrimSpace(string(raw))
	if s == "null" {
		return 0, p.bad(field, "must be a number, got null")
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && strings.HasPrefix(te.Value, "number") {
			return 0, p.bad(field, "%s is not a finite number", s)
		}
		return 0, p.bad(field, "must be a number, got %s", s)
	}
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return 0, p.bad(field, "%s is not a finite number", s)
	case f < 0:
		return 0, p.bad(field, "%s is negative", s)
	}
	return f, nil
}

// floatList parses an array of finite non-negative numbers.
func (p *parser) floatList(field string, raw json.RawMessage) ([]float64, error) {
	a, err := p.array(field, raw)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(a))
	for k, r := range a {
		if out[k], err = p.floatVal(fmt.Sprintf("%s[%d]", field, k), r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (p *parser) matrix(data []byte) (*MatrixFile, error) {
	top, err := p.object("", data, "name", "engine", "yuma", "liquid_alpha", "compat", "params", "validators", "miners", "epochs")
	if err != nil {
		return nil, err
	}
	f := &MatrixFile{File: p.file, Config: epoch.Config{Yuma: epoch.Yuma3, LiquidAlpha: epoch.LiquidAlphaOff, Compat: epoch.CompatChain, Params: epoch.DefaultParams()}}
	str := func(k string) (string, bool, error) {
		r, ok := top[k]
		if !ok {
			return "", false, nil
		}
		s, err := p.strVal(k, r)
		return s, true, err
	}
	if f.Name, _, err = str("name"); err != nil {
		return nil, err
	}
	if eng, ok, err := str("engine"); err != nil {
		return nil, err
	} else if ok {
		switch eng {
		case "float":
		case "chain", "chain-dense":
			return nil, p.bad("engine", "the chain engine runs step replays (a file with steps) only; a matrix replay (epochs) runs on engine float")
		default:
			return nil, p.bad("engine", "unknown engine %q (a matrix replay runs on engine float)", eng)
		}
	}
	if s, ok, err := str("yuma"); err != nil {
		return nil, err
	} else if ok {
		switch y := epoch.YumaVersion(s); y {
		case epoch.Yuma1, epoch.Yuma2, epoch.Yuma2a, epoch.Yuma2b, epoch.Yuma2c, epoch.Yuma3:
			f.Config.Yuma = y
		default:
			return nil, p.bad("yuma", "unknown version %q (want yuma1, yuma2, yuma2a, yuma2b, yuma2c or yuma3)", s)
		}
	}
	if s, ok, err := str("liquid_alpha"); err != nil {
		return nil, err
	} else if ok {
		switch m := epoch.LiquidAlphaMode(s); m {
		case epoch.LiquidAlphaOff, epoch.LiquidAlphaV1, epoch.LiquidAlphaV1Paper, epoch.LiquidAlphaV2:
			f.Config.LiquidAlpha = m
		default:
			return nil, p.bad("liquid_alpha", "unknown mode %q (want off, v1, v1-paper or v2)", s)
		}
	}
	if s, ok, err := str("compat"); err != nil {
		return nil, err
	} else if ok {
		switch c := epoch.Compat(s); c {
		case epoch.CompatChain, epoch.CompatYumaSimulation, epoch.CompatNotebook:
			f.Config.Compat = c
		default:
			return nil, p.bad("compat", "unknown mode %q (want chain, yuma-simulation or notebook)", s)
		}
	}
	if r, ok := top["params"]; ok {
		if err := p.matrixParams(r, &f.Config.Params); err != nil {
			return nil, err
		}
	}
	if err := f.Config.Validate(); err != nil {
		return nil, p.bad("params", "%s", strings.TrimPrefix(err.Error(), "epoch: "))
	}
	for _, k := range []string{"validators", "miners"} {
		r, ok := top[k]
		if !ok {
			continue
		}
		v, err := p.intVal(k, r, 1, MaxMatrixSide)
		if err != nil {
			return nil, err
		}
		if k == "validators" {
			f.Validators = int(v)
		} else {
			f.Miners = int(v)
		}
	}
	r, ok := top["epochs"]
	if !ok {
		return nil, p.bad("epochs", "missing")
	}
	eps, err := p.array("epochs", r)
	if err != nil {
		return nil, err
	}
	if len(eps) == 0 {
		return nil, p.bad("epochs", "is empty: a matrix replay needs at least one epoch")
	}
	if err := p.matrixShape(f, eps[0]); err != nil {
		return nil, err
	}
	f.Epochs = make([]MatrixEpoch, len(eps))
	for k, raw := range eps {
		p.loc = fmt.Sprintf("epoch %d", k)
		if err := p.matrixEpoch(f, raw, &f.Epochs[k]); err != nil {
			return nil, err
		}
	}
	p.loc = ""
	if f.Epochs[0].Stake == nil {
		p.loc = "epoch 0"
		return nil, p.bad("stake", "missing: the first epoch needs stake (later epochs may omit it to keep the previous one)")
	}
	return f, nil
}

// matrixShape fixes the validators x miners shape from the top-level
// validators/miners or, failing those, from the first epoch's dense weights.
func (p *parser) matrixShape(f *MatrixFile, first json.RawMessage) error {
	if f.Validators == 0 || f.Miners == 0 {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(first, &m); err == nil {
			if r, ok := m["weights"]; ok {
				var rows [][]json.RawMessage
				if err := json.Unmarshal(r, &rows); err == nil && len(rows) > 0 {
					if f.Validators == 0 {
						f.Validators = len(rows)
					}
					if f.Miners == 0 {
						f.Miners = len(rows[0])
					}
				}
			}
		}
	}
	switch {
	case f.Validators == 0:
		return p.bad("validators", "missing: give top-level validators and miners, or dense weights in epoch 0")
	case f.Miners == 0:
		return p.bad("miners", "missing: give top-level validators and miners, or dense weights in epoch 0 with at least one miner")
	case f.Validators*f.Miners > MaxMatrixCells:
		return p.bad("validators", "%d validators x %d miners is more than the %d cells a matrix replay supports", f.Validators, f.Miners, MaxMatrixCells)
	}
	return nil
}

func (p *parser) matrixParams(raw json.RawMessage, q *epoch.Params) error {
	const F = "params"
	m, err := p.object(F, raw, "kappa", "bonds_penalty", "bonds_moving_average", "alpha_low", "alpha_high",
		"alpha_sigmoid_steepness", "liquid_alpha_weights", "liquid_alpha_consensus", "winner_takes_all",
		"decay_rate", "capacity_alpha")
	if err != nil {
		return err
	}
	unit := func(k string, dst *float64) error {
		r, ok := m[k]
		if !ok {
			return nil
		}
		v, err := p.floatVal(join(F, k), r)
		if err != nil {
			return err
		}
		if v > 1 {
			return p.bad(join(F, k), "%v is above 1 (must be in [0, 1])", v)
		}
		*dst = v
		return nil
	}
	for _, e := range []error{
		unit("kappa", &q.Kappa), unit("bonds_penalty", &q.BondsPenalty), unit("bonds_moving_average", &q.BondsMovingAverage),
		unit("alpha_low", &q.AlphaLow), unit("alpha_high", &q.AlphaHigh), unit("decay_rate", &q.DecayRate),
		unit("capacity_alpha", &q.CapacityAlpha),
	} {
		if e != nil {
			return e
		}
	}
	if r, ok := m["alpha_sigmoid_steepness"]; ok {
		s := strings.TrimSpace(string(r))
		var v float64
		if err := json.Unmarshal(r, &v); err != nil || s == "null" || math.IsNaN(v) || math.IsInf(v, 0) {
			return p.bad(join(F, "alpha_sigmoid_steepness"), "must be a finite number, got %s", s)
		}
		if math.Abs(v) > 1e6 {
			return p.bad(join(F, "alpha_sigmoid_steepness"), "%v is outside [-1e6, 1e6]", v)
		}
		q.AlphaSigmoidSteepness = v
	}
	if r, ok := m["liquid_alpha_weights"]; ok {
		s, err := p.strVal(join(F, "liquid_alpha_weights"), r)
		if err != nil {
			return err
		}
		switch s {
		case "effective":
			q.LiquidAlphaEffectiveWeights = true
		case "raw":
			q.LiquidAlphaEffectiveWeights = false
		default:
			return p.bad(join(F, "liquid_alpha_weights"), "unknown value %q (want effective or raw)", s)
		}
	}
	if r, ok := m["liquid_alpha_consensus"]; ok {
		s, err := p.strVal(join(F, "liquid_alpha_consensus"), r)
		if err != nil {
			return err
		}
		switch c := epoch.ConsensusSource(s); c {
		case epoch.ConsensusCurrent, epoch.ConsensusPrevious, epoch.ConsensusMixed:
			q.LiquidAlphaConsensus = c
		default:
			return p.bad(join(F, "liquid_alpha_consensus"), "unknown value %q (want current, previous or mixed)", s)
		}
	}
	if r, ok := m["winner_takes_all"]; ok {
		if q.WinnerTakesAll, err = p.boolVal(join(F, "winner_takes_all"), r); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) matrixEpoch(f *MatrixFile, raw json.RawMessage, ep *MatrixEpoch) error {
	m, err := p.object("", raw, "stake", "weights", "set_rows", "reset_bonds")
	if err != nil {
		return err
	}
	V, M := f.Validators, f.Miners
	if r, ok := m["stake"]; ok {
		if ep.Stake, err = p.floatList("stake", r); err != nil {
			return err
		}
		if len(ep.Stake) != V {
			return p.bad("stake", "has %d values, want %d (one per validator)", len(ep.Stake), V)
		}
	}
	_, hasW := m["weights"]
	_, hasS := m["set_rows"]
	if hasW && hasS {
		return p.bad("weights", "an epoch gives either dense weights or sparse set_rows, not both")
	}
	if hasW {
		rows, err := p.array("weights", m["weights"])
		if err != nil {
			return err
		}
		if len(rows) != V {
			return p.bad("weights", "has %d rows, want %d (one per validator)", len(rows), V)
		}
		ep.Weights = make([]float64, V*M)
		if fastRows(rows, ep.Weights, M) {
			rows = nil // decoded; the loop below only runs to name an error
		}
		for i, rr := range rows {
			fld := fmt.Sprintf("weights[%d]", i)
			row, err := p.floatList(fld, rr)
			if err != nil {
				return err
			}
			if len(row) != M {
				return p.bad(fld, "has %d values, want %d (one per miner)", len(row), M)
			}
			copy(ep.Weights[i*M:], row)
		}
	}
	if hasS {
		if ep.SetRows, err = p.setRows(m["set_rows"], V, M); err != nil {
			return err
		}
	}
	if r, ok := m["reset_bonds"]; ok {
		a, err := p.array("reset_bonds", r)
		if err != nil {
			return err
		}
		ep.ResetBonds = make([]int, len(a))
		for k, x := range a {
			j, err := p.intVal(fmt.Sprintf("reset_bonds[%d]", k), x, 0, int64(M-1))
			if err != nil {
				return err
			}
			ep.ResetBonds[k] = int(j)
		}
	}
	return nil
}

// fastRows decodes dense rows with encoding/json's float path into dst
// (row-major, m per row). It reports false, leaving the detailed per-value
// parser to name the problem, when any row fails to decode, has the wrong
// length or holds a negative value.
func fastRows(rows []json.RawMessage, dst []float64, m int) bool {
	var row []float64
	for i, rr := range rows {
		row = row[:0]
		if bytes.Contains(rr, []byte("null")) {
			return false // encoding/json would read null as 0
		}
		if err := json.Unmarshal(rr, &row); err != nil || len(row) != m {
			return false
		}
		for _, x := range row {
			if x < 0 {
				return false
			}
		}
		copy(dst[i*m:], row)
	}
	return true
}

// setRows parses [[v, [[j, w], ...]], ...].
func (p *parser) setRows(raw json.RawMessage, V, M int) ([]RowSet, error) {
	a, err := p.array("set_rows", raw)
	if err != nil {
		return nil, err
	}
	out := make([]RowSet, len(a))
	seenV := make(map[int]bool, len(a))
	for k, r := range a {
		fld := fmt.Sprintf("set_rows[%d]", k)
		pair, err := p.array(fld, r)
		if err != nil {
			return nil, err
		}
		if len(pair) != 2 {
			return nil, p.bad(fld, "must be [validator, [[miner, weight], ...]], got %d items", len(pair))
		}
		v, err := p.intVal(fld+"[0]", pair[0], 0, int64(V-1))
		if err != nil {
			return nil, err
		}
		if seenV[int(v)] {
			return nil, p.bad(fld+"[0]", "validator %d is set twice in one epoch", v)
		}
		seenV[int(v)] = true
		ents, err := p.array(fld+"[1]", pair[1])
		if err != nil {
			return nil, err
		}
		rs := RowSet{V: int(v), Entries: make([]RowEntry, len(ents))}
		seenJ := make(map[int]bool, len(ents))
		for q, er := range ents {
			ef := fmt.Sprintf("%s[1][%d]", fld, q)
			jw, err := p.array(ef, er)
			if err != nil {
				return nil, err
			}
			if len(jw) != 2 {
				return nil, p.bad(ef, "must be [miner, weight], got %d items", len(jw))
			}
			j, err := p.intVal(ef+"[0]", jw[0], 0, int64(M-1))
			if err != nil {
				return nil, err
			}
			if seenJ[int(j)] {
				return nil, p.bad(ef+"[0]", "miner %d appears twice in the row", j)
			}
			seenJ[int(j)] = true
			w, err := p.floatVal(ef+"[1]", jw[1])
			if err != nil {
				return nil, err
			}
			rs.Entries[q] = RowEntry{J: int(j), W: w}
		}
		out[k] = rs
	}
	return out, nil
}

// MatrixLine is one epoch's output of a matrix replay.
type MatrixLine struct {
	Epoch  int
	Result epoch.Result
}

// RunMatrix runs a parsed matrix replay, calling emit after each epoch. The
// Result passed to emit belongs to the engine and is overwritten next epoch.
func RunMatrix(ctx context.Context, f *MatrixFile, emit func(MatrixLine) error) error {
	eng, err := epoch.New(f.Config, f.Validators, f.Miners)
	if err != nil {
		return badinput.New(f.File, "", "params", "%s", strings.TrimPrefix(err.Error(), "epoch: "))
	}
	V, M := f.Validators, f.Miners
	stake := make([]float64, V)
	weights := make([]float64, V*M)
	for k, ep := range f.Epochs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("matrix replay %s: epoch %d: %w", f.File, k, err)
		}
		if ep.Stake != nil {
			copy(stake, ep.Stake)
		}
		if ep.Weights != nil {
			copy(weights, ep.Weights)
		}
		for _, rs := range ep.SetRows {
			row := weights[rs.V*M : (rs.V+1)*M]
			clear(row)
			for _, e := range rs.Entries {
				row[e.J] = e.W
			}
		}
		res, err := eng.Step(epoch.Input{Stake: stake, Weights: weights, ResetBonds: ep.ResetBonds})
		if err != nil {
			if ie, ok := err.(*epoch.InputError); ok {
				return badinput.New(f.File, fmt.Sprintf("epoch %d", k), ie.Field, "%s", ie.Reason)
			}
			return fmt.Errorf("matrix replay %s: epoch %d: %w", f.File, k, err)
		}
		if err := emit(MatrixLine{Epoch: k, Result: res}); err != nil {
			return err
		}
	}
	return nil
}

// AppendMatrixLine appends one output line (without newline) to buf with the
// fields in MatrixFields() order; sel (nil = all) limits the fields.
func AppendMatrixLine(buf []byte, l MatrixLine, sel map[string]bool, miners int) []byte {
	buf = append(buf, '{')
	first := true
	key := func(k string) bool {
		if sel != nil && !sel[k] {
			return false
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = strconv.AppendQuote(buf, k)
		buf = append(buf, ':')
		return true
	}
	vec := func(x []float64) {
		buf = append(buf, '[')
		for k, v := range x {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendFloat(buf, v, 'g', -1, 64)
		}
		buf = append(buf, ']')
	}
	if key("epoch") {
		buf = strconv.AppendInt(buf, int64(l.Epoch), 10)
	}
	r := l.Result
	for _, kv := range []struct {
		k string
		v []float64
	}{{"dividends", r.Dividends}, {"incentive", r.Incentive}, {"consensus", r.Consensus}, {"validator_trust", r.ValidatorTrust}} {
		if key(kv.k) {
			vec(kv.v)
		}
	}
	if key("bonds") {
		buf = append(buf, '[')
		for i := 0; i*miners < len(r.Bonds); i++ {
			if i > 0 {
				buf = append(buf, ',')
			}
			vec(r.Bonds[i*miners : (i+1)*miners])
		}
		buf = append(buf, ']')
	}
	return append(buf, '}')
}

// runMatrix runs a matrix replay (interfaces.md section 2b).
func runMatrix(ctx context.Context, name string, data []byte, opts Options, w io.Writer) error {
	f, err := ParseMatrix(name, data)
	if err != nil {
		return err
	}
	sel, err := selectFields(opts.Fields, MatrixFields(), "epoch", "a matrix replay")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	var buf []byte
	err = RunMatrix(ctx, f, func(l MatrixLine) error {
		if opts.Progress != nil {
			opts.Progress(l.Epoch+1, len(f.Epochs))
		}
		buf = AppendMatrixLine(buf[:0], l, sel, f.Miners)
		buf = append(buf, '\n')
		_, err := bw.Write(buf)
		if err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	})
	if ferr := bw.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("write output: %w", ferr)
	}
	return err
}
