package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/yuma-go/yuma/internal/badinput"
)

// Scenario is a simulation described by a file or by the catalogue: the
// validators with their stakes and strategies, the miners with their signals,
// the number of epochs, the engine parameters and the Yuma variants to run.
// The same struct is the YAML and JSON schema (documented in docs/simulate.md).
type Scenario struct {
	// Name identifies the scenario in outputs (the output folder's name).
	Name string `yaml:"name" json:"name"`
	// Aliases are other names the catalogue accepts for the scenario.
	Aliases []string `yaml:"aliases,omitempty" json:"aliases,omitempty"`
	// Description is free text shown by `yuma simulate --list` and in summaries.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Epochs is the number of epochs to run (at least 1).
	Epochs int `yaml:"epochs" json:"epochs"`
	// Seed drives every random choice (noisy signals, noisy validators).
	Seed uint64 `yaml:"seed,omitempty" json:"seed,omitempty"`
	// Params are the engine parameters shared by every run; omitted ones take
	// epoch.DefaultParams().
	Params ParamSpec `yaml:"params,omitempty" json:"params,omitempty"`
	// Runs lists the variants to run; each run is one engine configuration.
	// Empty means DefaultVariants.
	Runs []RunSpec `yaml:"runs,omitempty" json:"runs,omitempty"`
	// Miners in uid order.
	Miners []MinerSpec `yaml:"miners" json:"miners"`
	// Validators in uid order.
	Validators []ValidatorSpec `yaml:"validators" json:"validators"`
	// BondResets zero a miner's bond column before the given epoch.
	BondResets []BondReset `yaml:"bond_resets,omitempty" json:"bond_resets,omitempty"`
}

// ParamSpec holds optional overrides of epoch.Params with the names of the
// matrix-replay file format (interfaces.md section 2b).
type ParamSpec struct {
	Kappa                 *float64 `yaml:"kappa,omitempty" json:"kappa,omitempty"`
	BondsPenalty          *float64 `yaml:"bonds_penalty,omitempty" json:"bonds_penalty,omitempty"`
	BondsMovingAverage    *float64 `yaml:"bonds_moving_average,omitempty" json:"bonds_moving_average,omitempty"`
	AlphaLow              *float64 `yaml:"alpha_low,omitempty" json:"alpha_low,omitempty"`
	AlphaHigh             *float64 `yaml:"alpha_high,omitempty" json:"alpha_high,omitempty"`
	AlphaSigmoidSteepness *float64 `yaml:"alpha_sigmoid_steepness,omitempty" json:"alpha_sigmoid_steepness,omitempty"`
	// LiquidAlphaWeights is "effective" (bonds-penalty weights feed liquid
	// alpha v2, as on chain) or "raw".
	LiquidAlphaWeights *string `yaml:"liquid_alpha_weights,omitempty" json:"liquid_alpha_weights,omitempty"`
	// LiquidAlphaConsensus is "current", "previous" or "mixed".
	LiquidAlphaConsensus *string  `yaml:"liquid_alpha_consensus,omitempty" json:"liquid_alpha_consensus,omitempty"`
	WinnerTakesAll       *bool    `yaml:"winner_takes_all,omitempty" json:"winner_takes_all,omitempty"`
	DecayRate            *float64 `yaml:"decay_rate,omitempty" json:"decay_rate,omitempty"`
	CapacityAlpha        *float64 `yaml:"capacity_alpha,omitempty" json:"capacity_alpha,omitempty"`
}

// RunSpec is one variant to run: a Yuma version, a liquid-alpha mode, a
// compatibility mode and optional parameter overrides on top of the scenario's.
type RunSpec struct {
	// Name labels the run in outputs; empty means a name built from the fields
	// (e.g. "yuma3-la-v2").
	Name        string    `yaml:"name,omitempty" json:"name,omitempty"`
	Yuma        string    `yaml:"yuma" json:"yuma"`
	LiquidAlpha string    `yaml:"liquid_alpha,omitempty" json:"liquid_alpha,omitempty"`
	Compat      string    `yaml:"compat,omitempty" json:"compat,omitempty"`
	Params      ParamSpec `yaml:"params,omitempty" json:"params,omitempty"`
}

// MinerSpec is one miner and the true quality signal honest validators observe.
type MinerSpec struct {
	Name   string     `yaml:"name" json:"name"`
	Signal SignalSpec `yaml:"signal" json:"signal"`
}

// SignalSpec describes a miner's signal over epochs. Type selects the fields
// that apply:
//
//   - constant: Value every epoch;
//   - piecewise: linear interpolation between Points ([epoch, value] pairs with
//     increasing epochs), flat before the first and after the last point;
//   - step: Before until epoch At, After from epoch At on;
//   - noisy: Mean plus seeded Gaussian noise of standard deviation Sigma,
//     clipped at 0, drawn afresh every epoch.
type SignalSpec struct {
	Type   string       `yaml:"type" json:"type"`
	Value  *float64     `yaml:"value,omitempty" json:"value,omitempty"`
	Points [][2]float64 `yaml:"points,omitempty" json:"points,omitempty"`
	Before *float64     `yaml:"before,omitempty" json:"before,omitempty"`
	After  *float64     `yaml:"after,omitempty" json:"after,omitempty"`
	At     *int         `yaml:"at,omitempty" json:"at,omitempty"`
	Mean   *float64     `yaml:"mean,omitempty" json:"mean,omitempty"`
	Sigma  *float64     `yaml:"sigma,omitempty" json:"sigma,omitempty"`
}

// ValidatorSpec is one validator: its stake (as a share or in TAO; all
// validators of a scenario use the same unit), later stake changes and its
// strategy.
type ValidatorSpec struct {
	Name         string        `yaml:"name" json:"name"`
	Stake        *float64      `yaml:"stake,omitempty" json:"stake,omitempty"`
	StakeTAO     *float64      `yaml:"stake_tao,omitempty" json:"stake_tao,omitempty"`
	StakeChanges []StakeChange `yaml:"stake_changes,omitempty" json:"stake_changes,omitempty"`
	Strategy     StrategySpec  `yaml:"strategy" json:"strategy"`
}

// StakeChange sets a validator's stake from Epoch on, in the unit the
// validator's initial stake uses.
type StakeChange struct {
	Epoch    int      `yaml:"epoch" json:"epoch"`
	Stake    *float64 `yaml:"stake,omitempty" json:"stake,omitempty"`
	StakeTAO *float64 `yaml:"stake_tao,omitempty" json:"stake_tao,omitempty"`
}

// StrategySpec describes how a validator sets weights. Type selects the fields
// that apply:
//
//   - fixed: Schedule, a list of {from, weights} entries; each applies from its
//     epoch until the next one (the first must start at epoch 0);
//   - honest: reports the miners' true signal;
//   - noisy: the true signal plus seeded Gaussian noise (Sigma), clipped at 0;
//     Pick "proportional" (default) reports the noisy scores, "argmax" puts all
//     weight on the best noisy score (client-side winner-takes-all);
//   - consensus_copier: reports the consensus of epoch t - Lag (Lag >= 1, the
//     commit-reveal delay); before that, Initial or the epoch-0 signal;
//   - copy: reports validator Target's weights of epoch t - Lag (Lag >= 0);
//     before that, Initial or the epoch-0 signal;
//   - late_mover: reports the true signal of epoch t - Delay (the epoch-0
//     signal before that), i.e. follows every change Delay epochs late.
type StrategySpec struct {
	Type     string      `yaml:"type" json:"type"`
	Schedule []WeightsAt `yaml:"schedule,omitempty" json:"schedule,omitempty"`
	Sigma    *float64    `yaml:"sigma,omitempty" json:"sigma,omitempty"`
	Pick     string      `yaml:"pick,omitempty" json:"pick,omitempty"`
	Lag      *int        `yaml:"lag,omitempty" json:"lag,omitempty"`
	Target   string      `yaml:"target,omitempty" json:"target,omitempty"`
	Initial  []float64   `yaml:"initial,omitempty" json:"initial,omitempty"`
	Delay    *int        `yaml:"delay,omitempty" json:"delay,omitempty"`
}

// WeightsAt is one entry of a fixed schedule: Weights (one per miner, any
// non-negative numbers) from epoch From on.
type WeightsAt struct {
	From    int       `yaml:"from" json:"from"`
	Weights []float64 `yaml:"weights" json:"weights"`
}

// BondReset zeroes the bond column of Miner (a miner name) before Epoch.
type BondReset struct {
	Epoch int    `yaml:"epoch" json:"epoch"`
	Miner string `yaml:"miner" json:"miner"`
}

// Limits on scenario sizes, so that a file cannot ask for unbounded memory.
const (
	MaxEpochs     = 1_000_000
	MaxValidators = 4096
	MaxMiners     = 65536
	// MaxCells bounds epochs x validators x miners, the size of the recorded
	// weight and bond series.
	MaxCells = 50_000_000
)

// ParseScenario decodes a scenario from YAML or JSON (JSON is read as YAML,
// which it is a subset of). Decoding is strict: unknown fields, duplicate keys,
// trailing documents and wrong types are errors. file names the source in
// error messages. The scenario is validated; every problem is a
// *badinput.Error.
func ParseScenario(file string, data []byte) (*Scenario, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, badinput.New(file, "", "", "empty scenario file")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var sc Scenario
	if err := dec.Decode(&sc); err != nil {
		return nil, yamlError(file, err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, yamlError(file, err)
		}
		return nil, badinput.New(file, "", "", "more than one YAML document")
	}
	if err := sc.Validate(file); err != nil {
		return nil, err
	}
	return &sc, nil
}

func yamlError(file string, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = strings.TrimSpace(strings.ReplaceAll(msg, "\n", "; "))
	loc := ""
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+len("line "):]
		digits, after, ok := strings.Cut(rest, ": ")
		if n, convErr := strconv.Atoi(digits); ok && convErr == nil {
			loc = fmt.Sprintf("line %d", n)
			msg = msg[:i] + after
		}
	}
	msg = strings.ReplaceAll(msg, "sim.", "")
	return badinput.New(file, loc, "", "cannot decode scenario: %s", msg)
}
