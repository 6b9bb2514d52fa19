package subtensor

import (
	"fmt"
	"math/big"

	"github.com/yuma-go/yuma/subtensor/scale"
)

// MetagraphFields is the number of fields of SelectiveMetagraph (indexes 0..73);
// Metagraph has the first 72.
const MetagraphFields = 74

// metagraphScalarNames names the compact or bool scalar fields by index.
var metagraphScalarNames = map[int]string{
	4: "network_registered_at", 7: "block", 8: "tempo", 9: "last_step", 10: "blocks_since_last_step",
	11: "subnet_emission", 12: "alpha_in", 13: "alpha_out", 14: "tao_in", 15: "alpha_out_emission",
	16: "alpha_in_emission", 17: "tao_in_emission", 18: "pending_alpha_emission", 19: "pending_root_emission",
	22: "rho", 23: "kappa", 24: "min_allowed_weights", 25: "max_weights_limit", 26: "weights_version",
	27: "weights_rate_limit", 28: "activity_cutoff", 29: "max_validators", 30: "num_uids", 31: "max_uids",
	32: "burn", 33: "difficulty", 34: "registration_allowed", 35: "pow_registration_allowed",
	36: "immunity_period", 37: "min_difficulty", 38: "max_difficulty", 39: "min_burn", 40: "max_burn",
	41: "adjustment_alpha", 42: "adjustment_interval", 43: "target_regs_per_interval",
	44: "max_regs_per_block", 45: "serving_rate_limit", 46: "commit_reveal_weights_enabled",
	47: "commit_reveal_period", 48: "liquid_alpha_enabled", 49: "alpha_high", 50: "alpha_low",
	51: "bonds_moving_avg",
}

// boolFields are the scalar indexes encoded as bool.
var boolFields = map[int]bool{34: true, 35: true, 46: true, 48: true}

// Metagraph is SubnetInfoRuntimeApi's Metagraph or SelectiveMetagraph. Present
// says which fields the node returned (all for Metagraph; the requested ones
// for SelectiveMetagraph). Scalars holds the compact and bool scalars by
// their chain field name (bools as 0/1).
type Metagraph struct {
	Present      [MetagraphFields]bool
	Netuid       uint16
	Name         string
	Symbol       string
	OwnerHotkey  scale.AccountID
	OwnerColdkey scale.AccountID
	Scalars      map[string]uint64
	SubnetVolume *big.Int
	MovingPrice  float64

	Hotkeys             []scale.AccountID
	Coldkeys            []scale.AccountID
	Identities          int // number of uids with an on-chain identity
	Active              []bool
	ValidatorPermit     []bool
	PruningScore        []uint16
	LastUpdate          []uint64
	Emission            []uint64
	Dividends           []uint16
	Incentives          []uint16
	Consensus           []uint16
	Trust               []uint16
	Rank                []uint16
	BlockAtRegistration []uint64
	AlphaStake          []uint64
	TaoStake            []uint64
	TotalStake          []uint64
	Validators          []uint16
	Commitments         int
}

func readCompactU8String(d *scale.Decoder) string {
	n := d.Len(1)
	b := make([]byte, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		v := d.Compact()
		if v > 255 {
			d.Failf("scale: compact byte %d > 255", v)
		}
		b = append(b, byte(v))
	}
	return string(b)
}

func skipByteVecs(d *scale.Decoder, k int) {
	for i := 0; i < k; i++ {
		d.ByteVec()
	}
}

func readMetagraphField(d *scale.Decoder, m *Metagraph, idx int) {
	if name, ok := metagraphScalarNames[idx]; ok {
		if boolFields[idx] {
			if d.Bool() {
				m.Scalars[name] = 1
			} else {
				m.Scalars[name] = 0
			}
		} else {
			m.Scalars[name] = d.Compact()
		}
		return
	}
	switch idx {
	case 1:
		m.Name = readCompactU8String(d)
	case 2:
		m.Symbol = readCompactU8String(d)
	case 3: // Option<SubnetIdentityV3>
		if d.Option() {
			skipByteVecs(d, 8)
		}
	case 5:
		m.OwnerHotkey = d.AccountID()
	case 6:
		m.OwnerColdkey = d.AccountID()
	case 20:
		m.SubnetVolume = d.CompactBig()
	case 21:
		m.MovingPrice = i96f32(d.Bytes(16))
	case 52:
		m.Hotkeys = readAccounts(d)
	case 53:
		m.Coldkeys = readAccounts(d)
	case 54: // Vec<Option<ChainIdentityV2>>
		n := d.Len(1)
		for i := 0; i < n && d.Err() == nil; i++ {
			if d.Option() {
				m.Identities++
				skipByteVecs(d, 7)
			}
		}
	case 55:
		n := d.Len(34)
		for i := 0; i < n && d.Err() == nil; i++ {
			readAxon(d)
		}
	case 56:
		m.Active = readBools(d)
	case 57:
		m.ValidatorPermit = readBools(d)
	case 58:
		m.PruningScore = readCompacts16(d)
	case 59:
		m.LastUpdate = readCompacts64(d)
	case 60:
		m.Emission = readCompacts64(d)
	case 61:
		m.Dividends = readCompacts16(d)
	case 62:
		m.Incentives = readCompacts16(d)
	case 63:
		m.Consensus = readCompacts16(d)
	case 64:
		m.Trust = readCompacts16(d)
	case 65:
		m.Rank = readCompacts16(d)
	case 66:
		m.BlockAtRegistration = readCompacts64(d)
	case 67:
		m.AlphaStake = readCompacts64(d)
	case 68:
		m.TaoStake = readCompacts64(d)
	case 69:
		m.TotalStake = readCompacts64(d)
	case 70, 71: // Vec<(AccountId32, Compact<balance>)>
		n := d.Len(33)
		for i := 0; i < n && d.Err() == nil; i++ {
			d.AccountID()
			d.Compact()
		}
	case 72:
		m.Validators = readCompacts16(d)
	case 73: // Vec<(AccountId32, Vec<Compact<u8>>)>
		n := d.Len(33)
		for i := 0; i < n && d.Err() == nil; i++ {
			d.AccountID()
			readCompactU8String(d)
			m.Commitments++
		}
	default:
		d.Failf("scale: unknown metagraph field %d", idx)
	}
}

// DecodeMetagraph decodes Option<Metagraph> (selective=false, 72 plain fields)
// or Option<SelectiveMetagraph> (selective=true: netuid, then 73 Option
// fields; identity is Option<Option<...>>). ok is false for None.
func DecodeMetagraph(b []byte, selective bool) (m Metagraph, ok bool, err error) {
	d := scale.NewDecoder(b)
	if !d.Option() {
		if err := d.Done(); err != nil {
			return Metagraph{}, false, fmt.Errorf("decode metagraph: %w", err)
		}
		return Metagraph{}, false, nil
	}
	m.Scalars = map[string]uint64{}
	m.Netuid = d.CompactU16()
	m.Present[0] = true
	last := 72
	if selective {
		last = MetagraphFields
	}
	for idx := 1; idx < last && d.Err() == nil; idx++ {
		if selective && !d.Option() {
			continue
		}
		m.Present[idx] = true
		readMetagraphField(d, &m, idx)
	}
	if err := d.Done(); err != nil {
		return Metagraph{}, false, fmt.Errorf("decode metagraph (selective=%v): %w", selective, err)
	}
	return m, true, nil
}
