// Package metagraph holds the snapshot model of one subnet at one block, its
// JSON file format (interfaces.md section 6), the SQLite snapshot store and the
// importers for bundled and third-party data.
package metagraph

// Entry is one sparse (destination uid, raw u16 value) pair of a weight or bond row.
type Entry [2]int

// Row is one uid's sparse row: [uid, [[dest, u16], ...]]. Entries keep the
// chain's order, explicit zeros included.
type Row struct {
	UID     int
	Entries []Entry
}

// Snapshot is one subnet at one block. Slices are indexed by uid. Fields the
// source did not have are left nil (and omitted from JSON), never invented.
//
// Weights and Bonds keep the chain's raw u16 values, not row-normalised floats,
// so the chain engine can replay them exactly.
type Snapshot struct {
	Netuid              int            `json:"netuid"`
	Block               uint64         `json:"block"`
	N                   int            `json:"n"`
	Hotkeys             []string       `json:"hotkeys,omitempty"`
	Stake               []float64      `json:"stake,omitempty"` // TAO (or relative units when the source had no rao)
	Weights             []Row          `json:"weights,omitempty"`
	Bonds               []Row          `json:"bonds,omitempty"`
	ValidatorPermit     []bool         `json:"validator_permit,omitempty"`
	LastUpdate          []uint64       `json:"last_update,omitempty"`
	BlockAtRegistration []uint64       `json:"block_at_registration,omitempty"`
	Active              []bool         `json:"active,omitempty"`
	Consensus           []uint16       `json:"consensus,omitempty"`
	Incentive           []uint16       `json:"incentive,omitempty"`
	Dividends           []uint16       `json:"dividends,omitempty"`
	ValidatorTrust      []uint16       `json:"validator_trust,omitempty"`
	Emission            []uint64       `json:"emission,omitempty"` // rao
	Hyperparameters     map[string]any `json:"hyperparameters,omitempty"`
	YumaVersion         string         `json:"yuma_version,omitempty"` // "yuma2" or "yuma3"
	RuntimeSpec         int            `json:"runtime_spec,omitempty"`
}
