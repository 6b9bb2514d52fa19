package epoch

// This file fixes the float engine's public contract. Other packages (sim,
// penalty, diagnose, web) program against it; the implementation lives in the
// rest of the package.

// YumaVersion names a bonds-and-dividends algorithm.
type YumaVersion string

// The Yuma versions of the float engine.
const (
	Yuma1  YumaVersion = "yuma1"  // no bond EMA (alpha = 1), column-normalised bonds
	Yuma2  YumaVersion = "yuma2"  // chain original path: column-normalised old bonds, EMA, renormalise
	Yuma2a YumaVersion = "yuma2a" // the paper's EMA without renormalisation
	Yuma2b YumaVersion = "yuma2b" // bonds and incentive from the previous epoch's weights
	Yuma2c YumaVersion = "yuma2c" // capacity bonds with decay
	Yuma3  YumaVersion = "yuma3"  // relative bonds in [0, 1], dividends scaled by stake
)

// LiquidAlphaMode names a liquid-alpha rule.
type LiquidAlphaMode string

// The liquid-alpha modes.
const (
	LiquidAlphaOff     LiquidAlphaMode = "off"
	LiquidAlphaV1      LiquidAlphaMode = "v1"       // chain 2024: per miner, consensus quantiles, alpha weights the new bond
	LiquidAlphaV1Paper LiquidAlphaMode = "v1-paper" // notebooks: same logistic, new bond weighted by 1 - clip(alpha)
	LiquidAlphaV2      LiquidAlphaMode = "v2"       // current chain: per (validator, miner) sigmoid
)

// Compat selects whose numeric conventions the engine reproduces.
type Compat string

// The compatibility modes.
const (
	CompatChain          Compat = "chain"           // the chain's formulas in float64 (default)
	CompatYumaSimulation Compat = "yuma-simulation" // bactensor/yuma-simulation, number for number
	CompatNotebook       Compat = "notebook"        // the 2024 diagnostic notebooks (liquid-alpha paper)
)

// ConsensusSource selects which consensus liquid alpha v2 compares against.
type ConsensusSource string

// The consensus sources for liquid alpha v2.
const (
	ConsensusCurrent  ConsensusSource = "current"
	ConsensusPrevious ConsensusSource = "previous"
	ConsensusMixed    ConsensusSource = "mixed" // max(current, previous)
)

// Params are the float engine's hyperparameters as plain floats.
type Params struct {
	Kappa              float64 // consensus majority, 0.5
	BondsPenalty       float64 // beta in [0, 1]
	BondsMovingAverage float64 // EMA retention: 0.9 means alpha = 0.1
	AlphaLow           float64
	AlphaHigh          float64
	// AlphaSigmoidSteepness is the slope k of liquid alpha v2 (chain value / 100).
	AlphaSigmoidSteepness float64
	// LiquidAlphaEffectiveWeights feeds the bonds-penalty weights (as the chain
	// does) rather than the raw weights into the liquid-alpha v2 sigmoid.
	LiquidAlphaEffectiveWeights bool
	LiquidAlphaConsensus        ConsensusSource
	WinnerTakesAll              bool
	DecayRate                   float64 // yuma2c
	CapacityAlpha               float64 // yuma2c
}

// Config selects the variant an Engine runs.
type Config struct {
	Yuma        YumaVersion
	LiquidAlpha LiquidAlphaMode
	Compat      Compat
	Params      Params
}

// Input is one epoch's input. Weights is validators x miners in row-major
// order (any non-negative values; rows are normalised by the engine); Stake has
// one value per validator (normalised by the engine).
type Input struct {
	Stake   []float64
	Weights []float64
	// ResetBonds lists miner columns whose bonds are zeroed before this epoch.
	ResetBonds []int
}

// Result is one epoch's output. Its slices belong to the Engine and are
// overwritten by the next Step; copy what you keep.
type Result struct {
	Consensus      []float64 // per miner
	Incentive      []float64 // per miner, sums to 1 or 0
	Dividends      []float64 // per validator, sums to 1 or 0
	ValidatorTrust []float64 // per validator
	Bonds          []float64 // validators x miners, row-major
}

// Stepper runs one epoch at a time. *Engine implements it; tests substitute
// independent reference implementations.
type Stepper interface {
	Step(in Input) (Result, error)
}

// Factory builds a fresh Stepper for a configuration and a validators x
// miners shape.
type Factory func(cfg Config, validators, miners int) (Stepper, error)

// NewStepper is the Factory of the float engine (New as a Stepper).
func NewStepper(cfg Config, validators, miners int) (Stepper, error) {
	e, err := New(cfg, validators, miners)
	if err != nil {
		return nil, err
	}
	return e, nil
}
