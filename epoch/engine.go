package epoch

import (
	"errors"
	"fmt"
	"math"
)

// DefaultParams returns the chain's defaults as floats: κ 0.5, bonds penalty 1,
// bonds moving average 0.9 (EMA rate 0.1), liquid-alpha bounds 0.7 / 0.9,
// steepness 10, effective weights and current consensus for liquid alpha v2,
// and the yuma-simulation defaults 0.1 for yuma2c's decay and capacity rates.
func DefaultParams() Params {
	return Params{
		Kappa:                       0.5,
		BondsPenalty:                1,
		BondsMovingAverage:          0.9,
		AlphaLow:                    0.7,
		AlphaHigh:                   0.9,
		AlphaSigmoidSteepness:       10,
		LiquidAlphaEffectiveWeights: true,
		LiquidAlphaConsensus:        ConsensusCurrent,
		DecayRate:                   0.1,
		CapacityAlpha:               0.1,
	}
}

// Engine runs epochs of one variant on a fixed validators x miners shape. It
// is not safe for concurrent use; Clone it to branch a trajectory.
type Engine struct {
	cfg  Config
	v, m int
	yuma Yuma
	la   LiquidAlpha

	step     int       // epochs run so far
	bonds    []float64 // V x M, carried between epochs
	hasBonds bool      // false before the first epoch
	prevW    []float64 // V x M row-normalised weights of the previous epoch
	prevC    []float64 // M consensus of the previous epoch
	hasPrev  bool

	// per-epoch buffers
	s, w, wb, c, r, inc, vt, div []float64
	wt                           []uint64      // row-normalised weights transposed (miners x validators), as float64 bits with the sign cleared
	rowInv                       []float64     // V: 1 / (row sum + eps) of the raw weights, 0 for an empty row
	sBits                        []uint64      // V: the normalised stake as float64 bits
	pos                          []int         // validators with positive stake
	cIdx                         []int         // per miner: a validator whose score was the consensus, or -1
	rawC                         []float64     // M: last epoch's consensus before any quantisation
	reach                        []float64     // M: twice how far the consensus moved last epoch (0: it did not)
	deltaSum                     []float64     // M: Σ_i s_i W̃_ij, the instant-bond column sums
	alphaConst                   float64       // the EMA rate when alphaUniform
	alphaUniform                 bool          // every entry uses alphaConst (alphaRow returns nil)
	bondsNormalized              bool          // e.bonds columns are known to sum to 1 or 0
	v2                           v2State       // liquid alpha v2's per-epoch setup and row buffers
	invOld, newSum               []float64     // M, yuma2's old- and new-bond column sums
	delta                        []float64     // V x M scratch (instant bonds, normalised bonds)
	colSum                       []float64     // M
	scores, stakes               []float64     // V, for the weighted quantile
	sel                          selectBuffers // V each: selectUpper's ping-pong buffers
	quant                        []float64     // M, for liquid alpha v1 quantiles
	laC                          []float64     // M, consensus fed to liquid alpha v2
	warnings                     []string
	unfolded                     bool // tests: Yuma3 takes liquid alpha v2's rates by row instead of folding them in
}

// New returns an Engine for cfg on a validators x miners subnet.
func New(cfg Config, validators, miners int) (*Engine, error) {
	if validators <= 0 || miners <= 0 {
		return nil, fmt.Errorf("epoch: need at least one validator and one miner, got %d x %d", validators, miners)
	}
	if cfg.Compat == "" {
		cfg.Compat = CompatChain
	}
	if cfg.LiquidAlpha == "" {
		cfg.LiquidAlpha = LiquidAlphaOff
	}
	if cfg.Params.LiquidAlphaConsensus == "" {
		cfg.Params.LiquidAlphaConsensus = ConsensusCurrent
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	y, err := yumaFor(cfg.Yuma)
	if err != nil {
		return nil, err
	}
	la, err := liquidAlphaFor(cfg.LiquidAlpha)
	if err != nil {
		return nil, err
	}
	n := validators * miners
	e := &Engine{
		cfg: cfg, v: validators, m: miners, yuma: y, la: la,
		bonds: make([]float64, n), prevW: make([]float64, n), prevC: make([]float64, miners),
		s: make([]float64, validators), w: make([]float64, n), wt: make([]uint64, n), wb: make([]float64, n),
		rowInv: make([]float64, validators), sBits: make([]uint64, validators),
		pos: make([]int, 0, validators), deltaSum: make([]float64, miners), cIdx: make([]int, miners),
		rawC: make([]float64, miners), reach: make([]float64, miners),
		c: make([]float64, miners), r: make([]float64, miners), inc: make([]float64, miners),
		vt: make([]float64, validators), div: make([]float64, validators),
		v2:     v2State{row: make([]float64, miners), nz: make([]int32, miners), d: make([]float64, miners), old: make([]float64, miners)},
		invOld: make([]float64, miners), newSum: make([]float64, miners), delta: make([]float64, n), colSum: make([]float64, miners),
		scores: make([]float64, validators), stakes: make([]float64, validators),
		sel:   newSelectBuffers(validators),
		quant: make([]float64, miners), laC: make([]float64, miners),
	}
	return e, nil
}

// Validate checks that the configuration names known variants and that its
// parameters are finite and in range.
func (c Config) Validate() error {
	switch c.Compat {
	case CompatChain, CompatYumaSimulation, CompatNotebook:
	default:
		return fmt.Errorf("epoch: unknown compat %q (want chain, yuma-simulation or notebook)", c.Compat)
	}
	switch c.Params.LiquidAlphaConsensus {
	case ConsensusCurrent, ConsensusPrevious, ConsensusMixed:
	default:
		return fmt.Errorf("epoch: unknown liquid-alpha consensus %q (want current, previous or mixed)", c.Params.LiquidAlphaConsensus)
	}
	p := c.Params
	checks := []struct {
		name   string
		v      float64
		lo, hi float64
	}{
		{"kappa", p.Kappa, 0, 1},
		{"bonds_penalty", p.BondsPenalty, 0, 1},
		{"bonds_moving_average", p.BondsMovingAverage, 0, 1},
		{"alpha_low", p.AlphaLow, 0, 1},
		{"alpha_high", p.AlphaHigh, 0, 1},
		{"decay_rate", p.DecayRate, 0, 1},
		{"capacity_alpha", p.CapacityAlpha, 0, 1},
		{"alpha_sigmoid_steepness", p.AlphaSigmoidSteepness, -1e6, 1e6},
	}
	for _, ck := range checks {
		if math.IsNaN(ck.v) || ck.v < ck.lo || ck.v > ck.hi {
			return fmt.Errorf("epoch: %s = %v is outside [%g, %g]", ck.name, ck.v, ck.lo, ck.hi)
		}
	}
	if c.LiquidAlpha != LiquidAlphaOff && p.AlphaLow > p.AlphaHigh {
		return fmt.Errorf("epoch: alpha_low %v is above alpha_high %v", p.AlphaLow, p.AlphaHigh)
	}
	return nil
}

// Config returns the engine's configuration.
func (e *Engine) Config() Config { return e.cfg }

// Shape returns the number of validators and miners.
func (e *Engine) Shape() (validators, miners int) { return e.v, e.m }

// Epochs returns the number of epochs run so far.
func (e *Engine) Epochs() int { return e.step }

// Warnings returns notes about degenerate epochs met so far (for example an
// all-zero consensus under CompatYumaSimulation, where the Python simulator's
// result is undefined).
func (e *Engine) Warnings() []string { return append([]string(nil), e.warnings...) }

// Bonds returns the current bond matrix (validators x miners, row-major). The
// slice belongs to the engine.
func (e *Engine) Bonds() []float64 { return e.bonds }

// SetBonds replaces the bond matrix (for example to start from a snapshot).
func (e *Engine) SetBonds(b []float64) error {
	if len(b) != len(e.bonds) {
		return fmt.Errorf("epoch: bonds have %d entries, want %d", len(b), len(e.bonds))
	}
	copy(e.bonds, b)
	e.hasBonds = true
	e.bondsNormalized = false
	return nil
}

// Reset forgets all state carried between epochs.
func (e *Engine) Reset() {
	clear(e.bonds)
	clear(e.prevW)
	clear(e.prevC)
	e.hasBonds, e.hasPrev, e.step = false, false, 0
	e.bondsNormalized = false
	e.warnings = nil
}

// Clone returns an independent copy of the engine, state included.
func (e *Engine) Clone() *Engine {
	c := *e
	cp := func(x []float64) []float64 { return append([]float64(nil), x...) }
	c.bonds, c.prevW, c.prevC = cp(e.bonds), cp(e.prevW), cp(e.prevC)
	c.s, c.w, c.wb, c.deltaSum, c.rowInv = cp(e.s), cp(e.w), cp(e.wb), cp(e.deltaSum), cp(e.rowInv)
	c.wt, c.sBits = append([]uint64(nil), e.wt...), append([]uint64(nil), e.sBits...)
	c.pos = append([]int(nil), e.pos...)
	c.cIdx = append([]int(nil), e.cIdx...)
	c.rawC, c.reach = cp(e.rawC), cp(e.reach)
	c.c, c.r, c.inc, c.vt, c.div = cp(e.c), cp(e.r), cp(e.inc), cp(e.vt), cp(e.div)
	c.delta, c.colSum, c.scores, c.stakes = cp(e.delta), cp(e.colSum), cp(e.scores), cp(e.stakes)
	c.invOld, c.newSum = cp(e.invOld), cp(e.newSum)
	c.v2 = v2State{row: cp(e.v2.row), nz: append([]int32(nil), e.v2.nz...), d: cp(e.v2.d), old: cp(e.v2.old)} // prepare refills the rest
	c.quant, c.laC = cp(e.quant), cp(e.laC)
	c.sel = newSelectBuffers(e.v)
	c.warnings = append([]string(nil), e.warnings...)
	return &c
}

// errInput marks invalid epoch input.
var errInput = errors.New("invalid epoch input")

// InputError describes invalid epoch input: which field and why.
type InputError struct {
	Field  string
	Reason string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Reason }

// Unwrap lets errors.Is(err, ErrInput) recognise input errors.
func (e *InputError) Unwrap() error { return errInput }

// IsInputError reports whether err is an *InputError.
func IsInputError(err error) bool { return errors.Is(err, errInput) }

func (e *Engine) checkInput(in Input) error {
	if len(in.Stake) != e.v {
		return &InputError{"stake", fmt.Sprintf("has %d values, want %d (one per validator)", len(in.Stake), e.v)}
	}
	if len(in.Weights) != e.v*e.m {
		return &InputError{"weights", fmt.Sprintf("has %d values, want %d x %d", len(in.Weights), e.v, e.m)}
	}
	for i, x := range in.Stake {
		if !(x >= 0 && x <= math.MaxFloat64) {
			return &InputError{fmt.Sprintf("stake[%d]", i), fmt.Sprintf("%v is not a finite non-negative number", x)}
		}
	}
	for _, j := range in.ResetBonds {
		if j < 0 || j >= e.m {
			return &InputError{"reset_bonds", fmt.Sprintf("miner %d is outside [0, %d)", j, e.m)}
		}
	}
	return nil
}

// Step runs one epoch. The Result's slices belong to the engine and are
// overwritten by the next Step.
func (e *Engine) Step(in Input) (Result, error) {
	if err := e.checkInput(in); err != nil {
		return Result{}, err
	}
	if err := e.loadWeights(in.Weights); err != nil {
		return Result{}, err
	}
	v, m := e.v, e.m
	compat := e.cfg.Compat
	p := &e.cfg.Params

	for _, j := range in.ResetBonds {
		for i := 0; i < v; i++ {
			e.bonds[i*m+j] = 0
		}
	}

	normalizeInto(e.s, in.Stake, 0)
	e.pos = e.pos[:0]
	for i, x := range e.s {
		if x > 0 {
			e.pos = append(e.pos, i)
		}
	}

	e.consensus(p.Kappa)
	copy(e.rawC, e.c)
	if compat != CompatChain {
		e.quantizeConsensus()
	}

	// Clipping, validator trust, ranks and the bond input W̃ in one pass.
	// yuma2b reads the previous epoch's weights (the current ones at first).
	wUse := e.w
	if e.cfg.Yuma == Yuma2b && e.hasPrev {
		wUse = e.prevW
	}
	beta := p.BondsPenalty
	clear(e.r)
	// Σ_i s_i W̃_ij, the instant bonds' column sums; Yuma3 and yuma2c have no
	// instant bonds.
	ds := e.deltaSum
	if e.cfg.Yuma == Yuma3 || e.cfg.Yuma == Yuma2c {
		ds = nil
	}
	clear(ds)
	for i := 0; i < v; i++ {
		e.vt[i] = clipRow(wUse[i*m:(i+1)*m], e.c, e.wb[i*m:(i+1)*m], e.r, ds, e.s[i], beta)
	}
	if p.WinnerTakesAll {
		winnerTakesAll(e.inc, e.r)
	} else {
		normalizeInto(e.inc, e.r, 0)
	}

	e.la.prepare(e)
	e.yuma.bondsAndDividends(e)
	divEps := 0.0
	if compat == CompatYumaSimulation {
		divEps = 1e-6
	}
	normalizeInto(e.div, e.div, divEps)

	e.prevW, e.w = e.w, e.prevW // loadWeights overwrites every entry of e.w
	copy(e.prevC, e.c)
	e.hasPrev = true
	e.hasBonds = true
	e.step++
	return Result{Consensus: e.c, Incentive: e.inc, Dividends: e.div, ValidatorTrust: e.vt, Bonds: e.bonds}, nil
}

// loadWeights validates the raw weights and writes them row-normalised into
// e.w and, transposed, into e.wt (for the per-column consensus).
func (e *Engine) loadWeights(raw []float64) error {
	v, m := e.v, e.m
	eps := 0.0
	if e.cfg.Compat == CompatYumaSimulation {
		eps = 1e-6
	}
	for i := 0; i < v; i++ {
		row := raw[i*m : (i+1)*m]
		total := sum(row)
		if !(total >= 0 && total <= math.MaxFloat64) { // some entry is negative, NaN or Inf
			if err := checkRow(row, i); err != nil {
				return err
			}
		}
		if d := total + eps; d >= negligible {
			e.rowInv[i] = 1 / d
		} else {
			e.rowInv[i] = 0
		}
	}
	if normalizeTranspose(e.w, e.wt, raw, e.rowInv, v, m) {
		// Some entry has its sign bit set: a negative weight, or -0.
		for i := 0; i < v; i++ {
			if err := checkRow(raw[i*m:(i+1)*m], i); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkRow returns an input error naming the first entry of validator i's
// weights that is not a finite non-negative number.
func checkRow(row []float64, i int) error {
	for j, x := range row {
		if !(x >= 0 && x <= math.MaxFloat64) {
			return &InputError{fmt.Sprintf("weights[%d][%d]", i, j), fmt.Sprintf("%v is not a finite non-negative number", x)}
		}
	}
	return nil
}

// signBit is the sign bit of a float64.
const signBit = 1 << 63

// normalizeTranspose writes raw's rows scaled by inv into w (v x m) and the
// same values transposed into wt (m x v) as float64 bits with the sign bit
// cleared, so that non-negative weights order like their bits and -0 is 0.
// Four rows go at a time, so each column of wt takes four entries per write.
// It reports whether any product had its sign bit set (a negative entry, or
// -0).
func normalizeTranspose(w []float64, wt []uint64, raw, inv []float64, v, m int) (signed bool) {
	var neg uint64
	i := 0
	for ; i+4 <= v; i += 4 {
		r0 := raw[i*m : (i+1)*m]
		r1, r2, r3 := raw[(i+1)*m:(i+2)*m], raw[(i+2)*m:(i+3)*m], raw[(i+3)*m:(i+4)*m]
		r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
		w0, w1, w2, w3 := w[i*m:(i+1)*m], w[(i+1)*m:(i+2)*m], w[(i+2)*m:(i+3)*m], w[(i+3)*m:(i+4)*m]
		w0, w1, w2, w3 = w0[:len(r0)], w1[:len(r0)], w2[:len(r0)], w3[:len(r0)]
		f0, f1, f2, f3 := inv[i], inv[i+1], inv[i+2], inv[i+3]
		at := i
		for j := range r0 {
			x0, x1, x2, x3 := r0[j]*f0, r1[j]*f1, r2[j]*f2, r3[j]*f3
			w0[j], w1[j], w2[j], w3[j] = x0, x1, x2, x3
			b0, b1, b2, b3 := math.Float64bits(x0), math.Float64bits(x1), math.Float64bits(x2), math.Float64bits(x3)
			neg |= b0 | b1 | b2 | b3
			col := wt[at : at+4]
			col[0], col[1], col[2], col[3] = b0&^signBit, b1&^signBit, b2&^signBit, b3&^signBit
			at += v
		}
	}
	for ; i < v; i++ {
		r, out, f := raw[i*m:(i+1)*m], w[i*m:(i+1)*m], inv[i]
		out = out[:len(r)]
		for j, x := range r {
			x *= f
			out[j] = x
			b := math.Float64bits(x)
			neg |= b
			wt[j*v+i] = b &^ signBit
		}
	}
	return neg&signBit != 0
}

// normalizeInto writes x / (Σx + eps) into dst; when Σx + eps is 0, dst is
// zeroed. dst and x may alias.
func normalizeInto(dst, x []float64, eps float64) {
	sum := 0.0
	for _, v := range x {
		sum += v
	}
	d := sum + eps
	if d == 0 {
		clear(dst)
		return
	}
	for k, v := range x {
		dst[k] = v / d
	}
}

// winnerTakesAll gives each of the k miners with the largest rank 1/k.
func winnerTakesAll(inc, r []float64) {
	best := math.Inf(-1)
	for _, x := range r {
		best = max(best, x)
	}
	if best <= 0 {
		clear(inc)
		return
	}
	k := 0
	for _, x := range r {
		if x == best {
			k++
		}
	}
	for j, x := range r {
		if x == best {
			inc[j] = 1 / float64(k)
		} else {
			inc[j] = 0
		}
	}
}

// quantizeConsensus normalises the consensus to sum 1 and truncates it to u16
// steps, as the Python simulators do.
func (e *Engine) quantizeConsensus() {
	sum := 0.0
	for _, x := range e.c {
		sum += x
	}
	if sum == 0 {
		if e.cfg.Compat == CompatYumaSimulation {
			e.warnings = append(e.warnings, fmt.Sprintf("epoch %d: every consensus value is 0; the Python simulator's result is undefined here (NaN cast to int), yuma keeps 0", e.step))
		}
		return
	}
	for j, x := range e.c {
		e.c[j] = math.Trunc(x/sum*65535) / 65535
	}
}
