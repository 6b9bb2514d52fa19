package subtensor

import (
	"encoding/binary"
	"fmt"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/crypto/blake2b"

	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/subtensor/scale"
)

// Twox128 is substrate's 128-bit xxHash: xxh64 with seeds 0 and 1, little-endian.
func Twox128(b []byte) []byte {
	out := make([]byte, 0, 16)
	for seed := uint64(0); seed < 2; seed++ {
		h := xxhash.NewWithSeed(seed)
		h.Write(b)
		out = binary.LittleEndian.AppendUint64(out, h.Sum64())
	}
	return out
}

// Twox64Concat is the Twox64Concat map hasher: xxh64(b) little-endian, then b.
func Twox64Concat(b []byte) []byte {
	out := binary.LittleEndian.AppendUint64(nil, xxhash.Sum64(b))
	return append(out, b...)
}

// Blake2_128Concat is the Blake2_128Concat map hasher: blake2b-128(b), then b.
func Blake2_128Concat(b []byte) []byte {
	h, _ := blake2b.New(16, nil)
	h.Write(b)
	return append(h.Sum(nil), b...)
}

// Identity is the Identity map hasher: the key bytes themselves.
func Identity(b []byte) []byte { return append([]byte(nil), b...) }

// StoragePrefix returns twox128(pallet) ++ twox128(item).
func StoragePrefix(pallet, item string) []byte {
	return append(Twox128([]byte(pallet)), Twox128([]byte(item))...)
}

// StorageKey returns the full key of a map entry: the prefix followed by the
// already-hashed key parts.
func StorageKey(pallet, item string, hashedParts ...[]byte) []byte {
	k := StoragePrefix(pallet, item)
	for _, p := range hashedParts {
		k = append(k, p...)
	}
	return k
}

// U16LE encodes a u16 key part (NetUid, uid) as SCALE.
func U16LE(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }

// Pallet is the subtensor pallet name.
const Pallet = "SubtensorModule"

// Storage items read by the fetcher. Hashers (subtensor v3.2.x):
//
//	Weights, Bonds:        Identity(NetUidStorageIndex u16), Identity(uid u16) -> Vec<(u16,u16)>
//	LastUpdate:            Identity(NetUidStorageIndex u16) -> Vec<u64>
//	ValidatorPermit:       Identity(NetUid u16) -> Vec<bool>
//	BlockAtRegistration:   Identity(NetUid u16), Identity(uid u16) -> u64
//	TotalHotkeyAlpha:      Blake2_128Concat(AccountId), Identity(NetUid u16) -> u64
//	Tempo, SubnetworkN, BondsPenalty: Identity(NetUid u16) -> u16
//	Yuma3On:               Blake2_128Concat(NetUid u16) -> bool
const (
	ItemWeights             = "Weights"
	ItemBonds               = "Bonds"
	ItemLastUpdate          = "LastUpdate"
	ItemValidatorPermit     = "ValidatorPermit"
	ItemBlockAtRegistration = "BlockAtRegistration"
	ItemTotalHotkeyAlpha    = "TotalHotkeyAlpha"
	ItemSubnetworkN         = "SubnetworkN"
	ItemTempo               = "Tempo"
	ItemBondsPenalty        = "BondsPenalty"
	ItemYuma3On             = "Yuma3On"
)

// NetUidIndex is the storage index of mechanism mech of subnet netuid
// (mech x 4096 + netuid).
func NetUidIndex(netuid uint16, mech uint8) uint16 { return uint16(mech)*4096 + netuid }

// DecodeWeightRow decodes a Weights or Bonds value, Vec<(u16, u16)> with
// fixed-width (not compact) items, keeping order and explicit zeros.
func DecodeWeightRow(b []byte) ([]metagraph.Entry, error) {
	d := scale.NewDecoder(b)
	n := d.Len(4)
	out := make([]metagraph.Entry, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, metagraph.Entry{int(d.U16()), int(d.U16())})
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("decode Vec<(u16,u16)>: %w", err)
	}
	return out, nil
}

// DecodeU64Vec decodes Vec<u64> (fixed-width items), e.g. LastUpdate.
func DecodeU64Vec(b []byte) ([]uint64, error) {
	d := scale.NewDecoder(b)
	n := d.Len(8)
	out := make([]uint64, 0, n)
	for i := 0; i < n && d.Err() == nil; i++ {
		out = append(out, d.U64())
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("decode Vec<u64>: %w", err)
	}
	return out, nil
}

// DecodeBoolVec decodes Vec<bool>, e.g. ValidatorPermit.
func DecodeBoolVec(b []byte) ([]bool, error) {
	d := scale.NewDecoder(b)
	out := readBools(d)
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("decode Vec<bool>: %w", err)
	}
	return out, nil
}

// DecodeU64 decodes a fixed-width u64 value.
func DecodeU64(b []byte) (uint64, error) {
	d := scale.NewDecoder(b)
	v := d.U64()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("decode u64: %w", err)
	}
	return v, nil
}

// DecodeU16 decodes a fixed-width u16 value.
func DecodeU16(b []byte) (uint16, error) {
	d := scale.NewDecoder(b)
	v := d.U16()
	if err := d.Done(); err != nil {
		return 0, fmt.Errorf("decode u16: %w", err)
	}
	return v, nil
}
