// Package subnet models one Bittensor subnet's consensus state and the chain's
// state machine around the epoch: registration (and replacement), weight
// setting with the chain's max-upscale storage, stake changes, bonds resets,
// commit-reveal and epochs. It holds no arithmetic of its own: an Engine (the
// bit-exact chain engine in package chain, or a float64 engine) computes each
// epoch, and State.Epoch persists what the chain persists.
package subnet

import (
	"fmt"
)

// Yuma versions understood by the state machine. The chain engine runs
// Yuma2 and Yuma3; the others are for float engines.
const (
	Yuma1  = "yuma1"
	Yuma2  = "yuma2" // the chain's original Yuma path (Yuma3On = false)
	Yuma2a = "yuma2a"
	Yuma2b = "yuma2b"
	Yuma2c = "yuma2c"
	Yuma3  = "yuma3" // the chain's Yuma3 path (Yuma3On = true)
)

// Liquid-alpha modes (LiquidAlphaV1Paper is for float engines only).
const (
	LiquidAlphaOff     = "off"
	LiquidAlphaV1      = "v1"       // chain 2024-07 .. 2025-05: per miner, consensus quantiles
	LiquidAlphaV1Paper = "v1-paper" // the notebooks' variant of v1
	LiquidAlphaV2      = "v2"       // current chain: per (validator, miner) sigmoid, Yuma3 only
)

// Hyperparameters are a subnet's hyperparameters in the chain's raw encodings
// (interfaces.md section 2). Zero-valued optional fields are documented below.
type Hyperparameters struct {
	Tempo                 uint16 `json:"tempo"`
	Kappa                 uint16 `json:"kappa"`                   // majority kappa/65535
	BondsPenalty          uint16 `json:"bonds_penalty"`           // beta = bonds_penalty/65535
	BondsMovingAverage    uint64 `json:"bonds_moving_average"`    // ppm; EMA alpha = 1 - bma/1e6
	AlphaLow              uint16 `json:"alpha_low"`               // liquid alpha lower bound /65535
	AlphaHigh             uint16 `json:"alpha_high"`              // liquid alpha upper bound /65535
	AlphaSigmoidSteepness int16  `json:"alpha_sigmoid_steepness"` // LA v2 slope = value/100
	MaxAllowedValidators  uint16 `json:"max_allowed_validators"`  // k of the top-k permits
	// ActivityCutoff is the activity cutoff in blocks; 0 derives it from the
	// tempo as the chain does: max(1, floor(13889*tempo/1000)).
	ActivityCutoff     uint64 `json:"activity_cutoff"`
	StakeThreshold     uint64 `json:"stake_threshold"`      // raw stake below which stake counts as 0
	CommitReveal       bool   `json:"commit_reveal"`        // CommitRevealWeightsEnabled
	CommitRevealPeriod uint64 `json:"commit_reveal_period"` // RevealPeriodEpochs, in epochs
	BondsReset         bool   `json:"bonds_reset"`          // BondsResetOn
	OwnerUID           *int   `json:"owner_uid"`            // the subnet owner's uid, if any

	// Yuma is the bonds/dividends algorithm: Yuma2 or Yuma3 (the other
	// versions for float engines).
	Yuma string `json:"-"`
	// LiquidAlpha is one of the LiquidAlpha* modes.
	LiquidAlpha string `json:"-"`
}

// DefaultHyperparameters returns the chain defaults of chain-epoch.md
// section 3 for a new subnet (Yuma3 on, liquid alpha off, commit-reveal on).
func DefaultHyperparameters() Hyperparameters {
	return Hyperparameters{
		Tempo:                 360,
		Kappa:                 32767,
		BondsPenalty:          65535,
		BondsMovingAverage:    900000,
		AlphaLow:              45875,
		AlphaHigh:             58982,
		AlphaSigmoidSteepness: 1000,
		MaxAllowedValidators:  64,
		ActivityCutoff:        0,
		StakeThreshold:        0,
		CommitReveal:          true,
		CommitRevealPeriod:    1,
		BondsReset:            false,
		Yuma:                  Yuma3,
		LiquidAlpha:           LiquidAlphaOff,
	}
}

// ActivityCutoffBlocks returns the effective activity cutoff in blocks.
func (h Hyperparameters) ActivityCutoffBlocks() uint64 {
	if h.ActivityCutoff != 0 {
		return h.ActivityCutoff
	}
	c := uint64(13889) * uint64(h.Tempo) / 1000
	if c < 1 {
		c = 1
	}
	return c
}

// Validate checks the values the state machine relies on. It returns an
// error naming the field; callers wrap it into a bad-input error.
func (h Hyperparameters) Validate() error {
	switch h.Yuma {
	case Yuma1, Yuma2, Yuma2a, Yuma2b, Yuma2c, Yuma3:
	default:
		return fmt.Errorf("yuma: unknown version %q (want yuma1, yuma2, yuma2a, yuma2b, yuma2c or yuma3)", h.Yuma)
	}
	switch h.LiquidAlpha {
	case LiquidAlphaOff, LiquidAlphaV1, LiquidAlphaV1Paper, LiquidAlphaV2:
	default:
		return fmt.Errorf("liquid_alpha: unknown mode %q (want off, v1, v1-paper or v2)", h.LiquidAlpha)
	}
	if h.CommitReveal && h.CommitRevealPeriod == 0 {
		return fmt.Errorf("commit_reveal_period: must be at least 1 when commit_reveal is on")
	}
	if h.OwnerUID != nil && (*h.OwnerUID < 0 || *h.OwnerUID > 65535) {
		return fmt.Errorf("owner_uid: %d is out of range [0, 65535]", *h.OwnerUID)
	}
	return nil
}

// WeightEntry is one stored (destination uid, u16 value) weight pair.
type WeightEntry struct {
	UID   uint16
	Value uint16
}

// BondEntry is one stored bond pair. For the chain engine Value is the stored
// u16 integer; a float engine stores its own float64 value.
type BondEntry struct {
	UID   uint16
	Value float64
}

// Commit is one pending commit-reveal weight commit.
type Commit struct {
	Block uint64 // block of the commit (becomes LastUpdate)
	Epoch uint64 // epoch index the commit was made in
	// Hash marks a hash commit (commit_weights, v2) that waits for an
	// explicit Reveal; otherwise it is a timelocked commit revealed
	// automatically before its reveal epoch runs.
	Hash   bool
	UIDs   []uint16
	Values []uint16
}

// Neuron is one uid's state.
type Neuron struct {
	Stake        uint64 // raw stake (rao-like integer units)
	RegisteredAt uint64 // BlockAtRegistration
	LastUpdate   uint64
	// Weights is the stored weight row: max-upscaled u16 values in the
	// caller's order, explicit zeros kept.
	Weights []WeightEntry
	// Bonds is the stored bond row in the order the engine produced it.
	Bonds []BondEntry
	// ValidatorPermit is the permit written by the previous epoch.
	ValidatorPermit bool
	// Commits are the pending (unrevealed) commit-reveal commits, oldest first.
	Commits []Commit
}

// State is one subnet (one mechanism) between epochs.
type State struct {
	Hyper   Hyperparameters
	Neurons []Neuron
	// Block is the last block a step was applied at.
	Block uint64
	// EpochIndex counts the epochs run so far (the chain's SubnetEpochIndex).
	EpochIndex uint64
	// LastStepBlock is the chain's LastMechansimStepBlock: when non-zero the
	// bond registration mask uses last_tempo = LastStepBlock + 1, as in
	// production; 0 (what the chain's unit tests see, and what the state
	// machine leaves) means last_tempo = block - tempo (saturating). Importers
	// of real chain state may set it.
	LastStepBlock uint64
}

// NewState returns an empty subnet with the given hyperparameters.
func NewState(h Hyperparameters) *State {
	return &State{Hyper: h}
}

// N returns the number of registered uids.
func (s *State) N() int { return len(s.Neurons) }

// IsOwner reports whether uid is the subnet owner's uid.
func (s *State) IsOwner(uid int) bool {
	return s.Hyper.OwnerUID != nil && *s.Hyper.OwnerUID == uid
}

// Clone returns a deep copy of the state.
func (s *State) Clone() *State {
	c := *s
	if s.Hyper.OwnerUID != nil {
		o := *s.Hyper.OwnerUID
		c.Hyper.OwnerUID = &o
	}
	c.Neurons = make([]Neuron, len(s.Neurons))
	for i, nr := range s.Neurons {
		nr.Weights = append([]WeightEntry(nil), nr.Weights...)
		nr.Bonds = append([]BondEntry(nil), nr.Bonds...)
		cs := make([]Commit, len(nr.Commits))
		for k, cm := range nr.Commits {
			cm.UIDs = append([]uint16(nil), cm.UIDs...)
			cm.Values = append([]uint16(nil), cm.Values...)
			cs[k] = cm
		}
		nr.Commits = cs
		c.Neurons[i] = nr
	}
	return &c
}

// Proportions are an epoch's outputs as exact proportions, before the chain
// floors them to u16 (float64 conversions of the chain engine's I32F32 values).
type Proportions struct {
	Consensus      []float64
	Incentive      []float64
	Dividends      []float64
	ValidatorTrust []float64
	// Emission is the normalised combined emission (sums to 1 or 0).
	Emission []float64
	// Bonds is dense n x n: for yuma2 the column-normalised EMA bonds the
	// dividends are computed from; for yuma3 the EMA bonds B' in [0, 1].
	Bonds [][]float64
}

// EpochOutput is one epoch's result, indexed by uid.
type EpochOutput struct {
	// For the chain engine these are the stored u16 integers (emission in
	// rao); a float engine reports proportions.
	Consensus      []float64
	Incentive      []float64
	Dividends      []float64
	ValidatorTrust []float64
	Emission       []float64
	// ValidatorPermit are the new permits (used by the next epoch).
	ValidatorPermit []bool
	Active          []bool
	// Bonds is the dense n x n bond matrix as stored (u16 for chain).
	Bonds [][]float64
	// StoredBonds are the sparse bond rows State.Epoch persists, in the
	// engine's order (empty rows for uids without a new permit).
	StoredBonds [][]BondEntry
	// Exact holds the same outputs before u16 flooring; may be nil.
	Exact *Proportions
}

// Engine computes one epoch from a subnet state. It must not modify st.
type Engine interface {
	Epoch(st *State, block uint64, emission uint64) (EpochOutput, error)
}
