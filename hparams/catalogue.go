// Package hparams is the catalogue of Bittensor subnet hyperparameters: their
// chain types, how a human value maps to the raw integer the chain stores, their
// defaults, who may set them and with which extrinsic, and the validation rules
// the chain applies in each runtime era. It also prints the btcli and Python SDK
// calls that set a configuration safely.
//
// Sources: subtensor pallets (rpc_info/subnet_info.rs, lib.rs, admin-utils) as
// summarised in the project's chain notes; see docs/hparams.md.
package hparams

import (
	"sort"
	"strings"
)

// Encoding says how a human value maps to the raw chain integer.
type Encoding string

// The encodings used by subnet hyperparameters.
const (
	// U16Fraction is a proportion in [0, 1] stored as round-half-up(v x 65535).
	U16Fraction Encoding = "u16_fraction"
	// PartsPerMillion is a proportion in [0, 1] stored as round-half-up(v x 1e6).
	PartsPerMillion Encoding = "ppm"
	// Steepness is the liquid-alpha sigmoid slope stored as round-half-up(v x 100) in an i16.
	Steepness Encoding = "steepness_x100"
	// Blocks is an integer number of blocks.
	Blocks Encoding = "blocks"
	// Epochs is an integer number of epochs (tempos).
	Epochs Encoding = "epochs"
	// Count is a plain integer count.
	Count Encoding = "count"
	// Integer is an integer with no unit (a version key, a legacy number).
	Integer Encoding = "integer"
	// Bool is true or false, stored as 1 or 0.
	Bool Encoding = "bool"
	// Rao is an amount in TAO stored in rao (x 1e9).
	Rao Encoding = "rao"
	// Milli is a factor stored in thousandths (x 1000).
	Milli Encoding = "milli"
)

// RawType is the chain integer type of a hyperparameter.
type RawType string

// Chain integer types.
const (
	TypeU16  RawType = "u16"
	TypeI16  RawType = "i16"
	TypeU32  RawType = "u32"
	TypeU64  RawType = "u64"
	TypeBool RawType = "bool"
)

// Param describes one subnet hyperparameter.
type Param struct {
	Name        string   `json:"name"`              // the chain's name (what yuma accepts)
	Aliases     []string `json:"aliases,omitempty"` // other names accepted (btcli, API field names)
	Type        RawType  `json:"raw_type"`
	Encoding    Encoding `json:"encoding"`
	Default     int64    `json:"default"` // raw default value of the current runtime
	DefaultNote string   `json:"default_note,omitempty"`
	SetBy       string   `json:"set_by"`              // "owner", "root", "owner or root"
	Extrinsic   string   `json:"extrinsic,omitempty"` // AdminUtils call that sets it
	ArgName     string   `json:"arg_name,omitempty"`  // the extrinsic's value argument
	BtcliName   string   `json:"btcli_name,omitempty"`
	Meaning     string   `json:"meaning"`
	Eras        []string `json:"eras,omitempty"` // runtime eras where it exists; empty means all
}

// Runtime eras understood by Check.
const (
	// EraV1 is the 2024-07 .. 2025-06 runtime with liquid alpha v1.
	EraV1 = "v1"
	// EraCurrent is the runtime since 2025-06-13 (liquid alpha v2, dynamic tempo).
	EraCurrent = "current"
)

// observedDefault marks registration defaults taken from a live subnet rather
// than from the runtime's initial values.
const observedDefault = "value seen on finney netuid 1 at block 6852690; the runtime's initial value may differ"

// catalogue returns a fresh copy of every known hyperparameter.
func catalogue() []Param {
	return []Param{
		{Name: "kappa", Type: TypeU16, Encoding: U16Fraction, Default: 32767, SetBy: "root",
			Extrinsic: "sudo_set_kappa", ArgName: "kappa", BtcliName: "kappa",
			Meaning: "consensus majority ratio kappa/65535 used by the weighted median"},
		{Name: "alpha_low", Type: TypeU16, Encoding: U16Fraction, Default: 45875, SetBy: "owner",
			Extrinsic: "sudo_set_alpha_values", ArgName: "alpha_low", BtcliName: "alpha_values",
			Meaning: "lower bound of the liquid-alpha bond EMA coefficient (set together with alpha_high)"},
		{Name: "alpha_high", Type: TypeU16, Encoding: U16Fraction, Default: 58982, SetBy: "owner",
			Extrinsic: "sudo_set_alpha_values", ArgName: "alpha_high", BtcliName: "alpha_values",
			Meaning: "upper bound of the liquid-alpha bond EMA coefficient (set together with alpha_low)"},
		{Name: "liquid_alpha_enabled", Type: TypeBool, Encoding: Bool, Default: 0, SetBy: "owner",
			Extrinsic: "sudo_set_liquid_alpha_enabled", ArgName: "enabled", BtcliName: "liquid_alpha_enabled",
			Meaning: "per-bond liquid alpha instead of the constant bonds_moving_average"},
		{Name: "bonds_moving_average", Aliases: []string{"bonds_moving_avg"}, Type: TypeU64, Encoding: PartsPerMillion,
			Default: 900000, SetBy: "owner (at most 975000) or root", Extrinsic: "sudo_set_bonds_moving_average",
			ArgName: "bonds_moving_average", BtcliName: "bonds_moving_avg",
			Meaning: "bond EMA retention: the constant EMA coefficient on new bonds is 1 - value"},
		{Name: "bonds_penalty", Type: TypeU16, Encoding: U16Fraction, Default: 65535, SetBy: "owner",
			Extrinsic: "sudo_set_bonds_penalty", ArgName: "bonds_penalty", BtcliName: "bonds_penalty",
			Meaning: "beta: weights for bonds interpolate between raw and consensus-clipped weights"},
		{Name: "alpha_sigmoid_steepness", Type: TypeI16, Encoding: Steepness, Default: 1000,
			SetBy: "owner (>= 0) or root", Extrinsic: "sudo_set_alpha_sigmoid_steepness", ArgName: "steepness",
			BtcliName: "alpha_sigmoid_steepness", Eras: []string{EraCurrent},
			Meaning: "slope k of the liquid-alpha v2 sigmoid; the chain stores 100 x k"},
		{Name: "commit_reveal_period", Aliases: []string{"commit_reveal_weights_interval", "reveal_period"},
			Type: TypeU64, Encoding: Epochs, Default: 1, SetBy: "owner",
			Extrinsic: "sudo_set_commit_reveal_weights_interval", ArgName: "interval", BtcliName: "commit_reveal_period",
			Meaning: "epochs between a weight commit and its reveal"},
		{Name: "commit_reveal_weights_enabled", Aliases: []string{"commit_reveal"}, Type: TypeBool, Encoding: Bool,
			Default: 1, SetBy: "owner", Extrinsic: "sudo_set_commit_reveal_weights_enabled", ArgName: "enabled",
			BtcliName: "commit_reveal_weights_enabled", Meaning: "weights are committed hidden and revealed later"},
		{Name: "yuma3_enabled", Aliases: []string{"yuma3"}, Type: TypeBool, Encoding: Bool, Default: 0,
			DefaultNote: "new subnets get true since 2026-03", SetBy: "owner", Extrinsic: "sudo_set_yuma3_enabled",
			ArgName: "enabled", BtcliName: "yuma_version", Eras: []string{EraCurrent},
			Meaning: "selects the Yuma3 bonds and dividends algorithm"},
		{Name: "bonds_reset_enabled", Aliases: []string{"bonds_reset"}, Type: TypeBool, Encoding: Bool, Default: 0,
			SetBy: "owner", Extrinsic: "sudo_set_bonds_reset_enabled", ArgName: "enabled", BtcliName: "bonds_reset_enabled",
			Eras: []string{EraCurrent}, Meaning: "a hotkey's bond column is zeroed when it commits new metadata"},
		{Name: "tempo", Type: TypeU16, Encoding: Blocks, Default: 360, SetBy: "root (owner within 360..50400 since dynamic tempo)",
			Extrinsic: "sudo_set_tempo", ArgName: "tempo", BtcliName: "tempo", Meaning: "blocks per epoch"},
		{Name: "activity_cutoff", Type: TypeU16, Encoding: Blocks, Default: 5000, SetBy: "owner (>= 360)",
			Extrinsic: "sudo_set_activity_cutoff", ArgName: "activity_cutoff", BtcliName: "activity_cutoff",
			Meaning: "a validator whose last update is older than this many blocks is inactive"},
		{Name: "activity_cutoff_factor", Type: TypeU32, Encoding: Milli, Default: 13889, SetBy: "owner or root (1000..50000)",
			Extrinsic: "sudo_set_activity_cutoff_factor", ArgName: "factor", Eras: []string{EraCurrent},
			Meaning: "activity cutoff in thousandths of a tempo (13889 = 5000 blocks at tempo 360)"},
		{Name: "max_allowed_validators", Aliases: []string{"max_validators"}, Type: TypeU16, Encoding: Count, Default: 128,
			DefaultNote: "new subnets get 64", SetBy: "root", Extrinsic: "sudo_set_max_allowed_validators",
			ArgName: "max_allowed_validators", BtcliName: "max_validators", Meaning: "validator permits go to the top-k stakes"},
		{Name: "immunity_period", Type: TypeU16, Encoding: Blocks, Default: 4096, SetBy: "owner",
			Extrinsic: "sudo_set_immunity_period", ArgName: "immunity_period", BtcliName: "immunity_period",
			Meaning: "blocks after registration during which a neuron cannot be pruned"},
		{Name: "min_allowed_weights", Type: TypeU16, Encoding: Count, Default: 1024, SetBy: "owner",
			Extrinsic: "sudo_set_min_allowed_weights", ArgName: "min_allowed_weights", BtcliName: "min_allowed_weights",
			Meaning: "minimum number of weights in a set_weights call"},
		{Name: "max_weights_limit", Aliases: []string{"max_weight_limit"}, Type: TypeU16, Encoding: U16Fraction, Default: 65535,
			SetBy: "owner", Extrinsic: "sudo_set_max_weight_limit", ArgName: "max_weight_limit", BtcliName: "max_weight_limit",
			Meaning: "largest normalised weight one uid may receive"},
		{Name: "weights_rate_limit", Aliases: []string{"weights_set_rate_limit"}, Type: TypeU64, Encoding: Blocks, Default: 100,
			SetBy: "root", Extrinsic: "sudo_set_weights_set_rate_limit", ArgName: "weights_set_rate_limit",
			BtcliName: "weights_rate_limit", Meaning: "blocks between two set_weights of one validator"},
		{Name: "weights_version", Aliases: []string{"weights_version_key"}, Type: TypeU64, Encoding: Integer, Default: 0,
			SetBy: "owner", Extrinsic: "sudo_set_weights_version_key", ArgName: "weights_version_key",
			BtcliName: "weights_version", Meaning: "minimum version key validators must send"},
		{Name: "rho", Type: TypeU16, Encoding: Integer, Default: 10, SetBy: "owner", Extrinsic: "sudo_set_rho",
			ArgName: "rho", BtcliName: "rho", Meaning: "legacy sigmoid parameter, unused by the current epoch"},
		{Name: "registration_allowed", Aliases: []string{"network_registration_allowed"}, Type: TypeBool, Encoding: Bool,
			Default: 1, SetBy: "owner", Extrinsic: "sudo_set_network_registration_allowed", ArgName: "registration_allowed",
			BtcliName: "registration_allowed", Meaning: "burned registration is open"},
		{Name: "max_regs_per_block", DefaultNote: observedDefault, Type: TypeU16, Encoding: Count, Default: 1, SetBy: "root",
			Extrinsic: "sudo_set_max_registrations_per_block", ArgName: "max_registrations_per_block",
			BtcliName: "max_regs_per_block", Meaning: "registrations accepted per block"},
		{Name: "target_regs_per_interval", DefaultNote: observedDefault, Type: TypeU16, Encoding: Count, Default: 2, SetBy: "root",
			Extrinsic: "sudo_set_target_registrations_per_interval", ArgName: "target_registrations_per_interval",
			BtcliName: "target_regs_per_interval", Meaning: "registrations per adjustment interval the burn targets"},
		{Name: "adjustment_interval", DefaultNote: observedDefault, Type: TypeU16, Encoding: Blocks, Default: 112, SetBy: "root",
			Extrinsic: "sudo_set_adjustment_interval", ArgName: "adjustment_interval", BtcliName: "adjustment_interval",
			Meaning: "blocks between burn and difficulty adjustments"},
		{Name: "min_burn", DefaultNote: observedDefault, Type: TypeU64, Encoding: Rao, Default: 500000, SetBy: "owner",
			Extrinsic: "sudo_set_min_burn", ArgName: "min_burn", BtcliName: "min_burn", Meaning: "lowest registration burn"},
		{Name: "max_burn", DefaultNote: observedDefault, Type: TypeU64, Encoding: Rao, Default: 100000000000, SetBy: "owner",
			Extrinsic: "sudo_set_max_burn", ArgName: "max_burn", BtcliName: "max_burn", Meaning: "highest registration burn"},
		{Name: "serving_rate_limit", DefaultNote: observedDefault, Type: TypeU64, Encoding: Blocks, Default: 10, SetBy: "owner",
			Extrinsic: "sudo_set_serving_rate_limit", ArgName: "serving_rate_limit", BtcliName: "serving_rate_limit",
			Meaning: "blocks between two axon updates"},
	}
}

// Catalogue returns every known hyperparameter, sorted by name. The slice is a
// fresh copy the caller may modify.
func Catalogue() []Param {
	c := catalogue()
	sort.Slice(c, func(i, j int) bool { return c[i].Name < c[j].Name })
	return c
}

// Lookup finds a hyperparameter by its name or an alias (case-insensitive,
// dashes accepted for underscores).
func Lookup(name string) (Param, bool) {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "-", "_")
	for _, p := range catalogue() {
		if p.Name == n {
			return p, true
		}
		for _, a := range p.Aliases {
			if a == n {
				return p, true
			}
		}
	}
	return Param{}, false
}

// InEra reports whether the parameter exists in the runtime era.
func (p Param) InEra(era string) bool {
	if len(p.Eras) == 0 {
		return true
	}
	for _, e := range p.Eras {
		if e == era {
			return true
		}
	}
	return false
}

// Bounds returns the smallest and largest raw value the chain type can hold.
// u64 values are capped at the largest int64.
func (p Param) Bounds() (lo, hi int64) {
	switch p.Type {
	case TypeU16:
		return 0, 65535
	case TypeI16:
		return -32768, 32767
	case TypeU32:
		return 0, 1<<32 - 1
	case TypeBool:
		return 0, 1
	default:
		return 0, 1<<63 - 1
	}
}
