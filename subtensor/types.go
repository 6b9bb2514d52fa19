package subtensor

import (
	"fmt"
	"math"
	"math/big"

	"github.com/yuma-go/yuma/subtensor/scale"
)

// AxonInfo is a neuron's served endpoint (34 bytes, all fixed width).
type AxonInfo struct {
	Block        uint64
	Version      uint32
	IP           [16]byte // u128 little-endian as on the chain
	Port         uint16
	IPType       uint8
	Protocol     uint8
	Placeholder1 uint8
	Placeholder2 uint8
}

// IPv4 returns the dotted form of an IPv4 address (ip_type 4), or "".
func (a AxonInfo) IPv4() string {
	if a.IPType != 4 {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d.%d", a.IP[3], a.IP[2], a.IP[1], a.IP[0])
}

// PrometheusInfo is a neuron's metrics endpoint (31 bytes).
type PrometheusInfo struct {
	Block   uint64
	Version uint32
	IP      [16]byte
	Port    uint16
	IPType  uint8
}

// StakeEntry is one (coldkey, amount in rao) stake pair.
type StakeEntry struct {
	Coldkey scale.AccountID
	Amount  uint64
}

// NeuronInfoLite is NeuronInfoRuntimeApi's per-uid record without weights and bonds.
type NeuronInfoLite struct {
	Hotkey          scale.AccountID
	Coldkey         scale.AccountID
	UID             uint16
	Netuid          uint16
	Active          bool
	Axon            AxonInfo
	Prometheus      PrometheusInfo
	Stake           []StakeEntry
	Rank            uint16
	Emission        uint64 // rao
	Incentive       uint16
	Consensus       uint16
	Trust           uint16
	ValidatorTrust  uint16
	Dividends       uint16
	LastUpdate      uint64
	ValidatorPermit bool
	PruningScore    uint16
}

// NeuronInfo is the full record: NeuronInfoLite plus the neuron's sparse
// non-zero weights and bonds as (uid, u16) pairs.
type NeuronInfo struct {
	NeuronInfoLite
	Weights [][2]uint16
	Bonds   [][2]uint16
}

func readAxon(d *scale.Decoder) AxonInfo {
	var a AxonInfo
	a.Block = d.U64()
	a.Version = d.U32()
	copy(a.IP[:], d.Bytes(16))
	a.Port = d.U16()
	a.IPType = d.U8()
	a.Protocol = d.U8()
	a.Placeholder1 = d.U8()
	a.Placeholder2 = d.U8()
	return a
}

func readPrometheus(d *scale.Decoder) PrometheusInfo {
	var p PrometheusInfo
	p.Block = d.U64()
	p.Version = d.U32()
	copy(p.IP[:], d.Bytes(16))
	p.Port = d.U16()
	p.IPType = d.U8()
	return p
}

func readPairs(d *scale.Decoder) [][2]uint16 {
	n := d.Len(2)
	out := make([][2]uint16, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, [2]uint16{d.CompactU16(), d.CompactU16()})
	}
	return out
}

func readNeuron(d *scale.Decoder, full bool) NeuronInfo {
	var n NeuronInfo
	n.Hotkey = d.AccountID()
	n.Coldkey = d.AccountID()
	n.UID = d.CompactU16()
	n.Netuid = d.CompactU16()
	n.Active = d.Bool()
	n.Axon = readAxon(d)
	n.Prometheus = readPrometheus(d)
	ns := d.Len(33)
	n.Stake = make([]StakeEntry, 0, ns)
	for i := 0; i < ns && d.Err() == nil; i++ {
		n.Stake = append(n.Stake, StakeEntry{Coldkey: d.AccountID(), Amount: d.Compact()})
	}
	n.Rank = d.CompactU16()
	n.Emission = d.Compact()
	n.Incentive = d.CompactU16()
	n.Consensus = d.CompactU16()
	n.Trust = d.CompactU16()
	n.ValidatorTrust = d.CompactU16()
	n.Dividends = d.CompactU16()
	n.LastUpdate = d.Compact()
	n.ValidatorPermit = d.Bool()
	if full {
		n.Weights = readPairs(d)
		n.Bonds = readPairs(d)
	}
	n.PruningScore = d.CompactU16()
	return n
}

// decodeEither decodes b with f, and when that fails or leaves bytes over,
// retries on the bytes inside a Vec<u8> wrapper (the spec-208 era returned
// every runtime-API value as Vec<u8>). Each attempt must consume every byte.
func decodeEither(b []byte, what string, f func(d *scale.Decoder)) error {
	d := scale.NewDecoder(b)
	f(d)
	errDirect := d.Done()
	if errDirect == nil {
		return nil
	}
	w := scale.NewDecoder(b)
	inner := w.ByteVec()
	if w.Done() == nil {
		d2 := scale.NewDecoder(inner)
		f(d2)
		if d2.Done() == nil {
			return nil
		}
	}
	return fmt.Errorf("decode %s: %w", what, errDirect)
}

// DecodeNeuronsLite decodes Vec<NeuronInfoLite> (direct or Vec<u8>-wrapped).
func DecodeNeuronsLite(b []byte) ([]NeuronInfoLite, error) {
	var out []NeuronInfoLite
	err := decodeEither(b, "Vec<NeuronInfoLite>", func(d *scale.Decoder) {
		n := d.Len(100)
		out = make([]NeuronInfoLite, 0, n)
		for i := 0; i < n && d.Err() == nil; i++ {
			out = append(out, readNeuron(d, false).NeuronInfoLite)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DecodeNeurons decodes Vec<NeuronInfo> (direct or Vec<u8>-wrapped).
func DecodeNeurons(b []byte) ([]NeuronInfo, error) {
	var out []NeuronInfo
	err := decodeEither(b, "Vec<NeuronInfo>", func(d *scale.Decoder) {
		n := d.Len(100)
		out = make([]NeuronInfo, 0, n)
		for i := 0; i < n && d.Err() == nil; i++ {
			out = append(out, readNeuron(d, true))
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DecodeNeuron decodes Option<NeuronInfo>, or the bare NeuronInfo that the
// legacy neuronInfo_getNeuron RPC returned. ok is false for None.
func DecodeNeuron(b []byte) (n NeuronInfo, ok bool, err error) {
	d := scale.NewDecoder(b)
	if d.Option() {
		n = readNeuron(d, true)
		if d.Done() == nil {
			return n, true, nil
		}
	} else if d.Done() == nil {
		return NeuronInfo{}, false, nil
	}
	d = scale.NewDecoder(b)
	n = readNeuron(d, true)
	if err := d.Done(); err != nil {
		return NeuronInfo{}, false, fmt.Errorf("decode NeuronInfo: %w", err)
	}
	return n, true, nil
}

// SubnetHyperparams is get_subnet_hyperparams(_v2). V2 reports whether the
// six trailing v2 fields were present.
type SubnetHyperparams struct {
	Rho                        uint16
	Kappa                      uint16
	ImmunityPeriod             uint16
	MinAllowedWeights          uint16
	MaxWeightsLimit            uint16
	Tempo                      uint16
	MinDifficulty              uint64
	MaxDifficulty              uint64
	WeightsVersion             uint64
	WeightsRateLimit           uint64
	AdjustmentInterval         uint16
	ActivityCutoff             uint16
	RegistrationAllowed        bool
	TargetRegsPerInterval      uint16
	MinBurn                    uint64
	MaxBurn                    uint64
	BondsMovingAvg             uint64
	MaxRegsPerBlock            uint16
	ServingRateLimit           uint64
	MaxValidators              uint16
	AdjustmentAlpha            uint64
	Difficulty                 uint64
	CommitRevealPeriod         uint64
	CommitRevealWeightsEnabled bool
	AlphaHigh                  uint16
	AlphaLow                   uint16
	LiquidAlphaEnabled         bool

	V2                    bool
	AlphaSigmoidSteepness float64 // I32F32 as a float (the chain's i16 storage value)
	YumaVersion           uint16
	SubnetIsActive        bool
	TransfersEnabled      bool
	BondsResetEnabled     bool
	UserLiquidityEnabled  bool
}

func readHyperparams(d *scale.Decoder, v2 bool) SubnetHyperparams {
	var h SubnetHyperparams
	h.Rho = d.CompactU16()
	h.Kappa = d.CompactU16()
	h.ImmunityPeriod = d.CompactU16()
	h.MinAllowedWeights = d.CompactU16()
	h.MaxWeightsLimit = d.CompactU16()
	h.Tempo = d.CompactU16()
	h.MinDifficulty = d.Compact()
	h.MaxDifficulty = d.Compact()
	h.WeightsVersion = d.Compact()
	h.WeightsRateLimit = d.Compact()
	h.AdjustmentInterval = d.CompactU16()
	h.ActivityCutoff = d.CompactU16()
	h.RegistrationAllowed = d.Bool()
	h.TargetRegsPerInterval = d.CompactU16()
	h.MinBurn = d.Compact()
	h.MaxBurn = d.Compact()
	h.BondsMovingAvg = d.Compact()
	h.MaxRegsPerBlock = d.CompactU16()
	h.ServingRateLimit = d.Compact()
	h.MaxValidators = d.CompactU16()
	h.AdjustmentAlpha = d.Compact()
	h.Difficulty = d.Compact()
	h.CommitRevealPeriod = d.Compact()
	h.CommitRevealWeightsEnabled = d.Bool()
	h.AlphaHigh = d.CompactU16()
	h.AlphaLow = d.CompactU16()
	h.LiquidAlphaEnabled = d.Bool()
	if v2 {
		h.V2 = true
		h.AlphaSigmoidSteepness = float64(d.I64()) / (1 << 32)
		h.YumaVersion = d.CompactU16()
		h.SubnetIsActive = d.Bool()
		h.TransfersEnabled = d.Bool()
		h.BondsResetEnabled = d.Bool()
		h.UserLiquidityEnabled = d.Bool()
	}
	return h
}

// DecodeHyperparams decodes Option<SubnetHyperparams> or Option<SubnetHyperparamsV2>
// (v2 selects the layout), or the spec-208 Vec<u8>-wrapped bare struct.
// ok is false when the subnet does not exist (None or an empty vector).
func DecodeHyperparams(b []byte, v2 bool) (h SubnetHyperparams, ok bool, err error) {
	d := scale.NewDecoder(b)
	if d.Option() {
		h = readHyperparams(d, v2)
		if d.Done() == nil {
			return h, true, nil
		}
	} else if d.Done() == nil {
		return h, false, nil
	}
	// Legacy: Vec<u8> holding the bare struct, empty for no subnet.
	w := scale.NewDecoder(b)
	inner := w.ByteVec()
	if w.Done() == nil {
		if len(inner) == 0 {
			return h, false, nil
		}
		d2 := scale.NewDecoder(inner)
		h = readHyperparams(d2, v2)
		if d2.Done() == nil {
			return h, true, nil
		}
	}
	d = scale.NewDecoder(b)
	d.Option()
	readHyperparams(d, v2)
	return SubnetHyperparams{}, false, fmt.Errorf("decode SubnetHyperparams (v2=%v): %w", v2, d.Done())
}

// SubnetState is get_subnet_state: per-uid vectors of one subnet.
type SubnetState struct {
	Netuid              uint16
	Hotkeys             []scale.AccountID
	Coldkeys            []scale.AccountID
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
	EmissionHistory     [][]uint64
}

func readAccounts(d *scale.Decoder) []scale.AccountID {
	n := d.Len(32)
	out := make([]scale.AccountID, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, d.AccountID())
	}
	return out
}

func readBools(d *scale.Decoder) []bool {
	n := d.Len(1)
	out := make([]bool, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, d.Bool())
	}
	return out
}

func readCompacts16(d *scale.Decoder) []uint16 {
	n := d.Len(1)
	out := make([]uint16, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, d.CompactU16())
	}
	return out
}

func readCompacts64(d *scale.Decoder) []uint64 {
	n := d.Len(1)
	out := make([]uint64, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, d.Compact())
	}
	return out
}

// DecodeSubnetState decodes Option<SubnetState>. ok is false for None.
func DecodeSubnetState(b []byte) (s SubnetState, ok bool, err error) {
	err = decodeEither(b, "Option<SubnetState>", func(d *scale.Decoder) {
		s = SubnetState{}
		ok = d.Option()
		if !ok {
			return
		}
		s.Netuid = d.CompactU16()
		s.Hotkeys = readAccounts(d)
		s.Coldkeys = readAccounts(d)
		s.Active = readBools(d)
		s.ValidatorPermit = readBools(d)
		s.PruningScore = readCompacts16(d)
		s.LastUpdate = readCompacts64(d)
		s.Emission = readCompacts64(d)
		s.Dividends = readCompacts16(d)
		s.Incentives = readCompacts16(d)
		s.Consensus = readCompacts16(d)
		s.Trust = readCompacts16(d)
		s.Rank = readCompacts16(d)
		s.BlockAtRegistration = readCompacts64(d)
		s.AlphaStake = readCompacts64(d)
		s.TaoStake = readCompacts64(d)
		s.TotalStake = readCompacts64(d)
		nh := d.Len(1)
		s.EmissionHistory = make([][]uint64, 0, nh)
		for i := 0; i < nh && d.Err() == nil; i++ {
			s.EmissionHistory = append(s.EmissionHistory, readCompacts64(d))
		}
	})
	if err != nil {
		return SubnetState{}, false, err
	}
	return s, ok, nil
}

// i96f32 converts an I96F32 (i128 little-endian, 32 fractional bits) to a float.
func i96f32(b []byte) float64 {
	if len(b) != 16 {
		return 0
	}
	be := make([]byte, 16)
	for i := range b {
		be[15-i] = b[i]
	}
	v := new(big.Int).SetBytes(be)
	if b[15]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), 128))
	}
	f, _ := new(big.Float).SetInt(v).Float64()
	return f / math.Exp2(32)
}
