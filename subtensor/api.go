package subtensor

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/subtensor/scale"
)

// HexBytes decodes a "0x..." hex string (the prefix is optional).
func HexBytes(s string) ([]byte, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("bad hex: %w", err)
	}
	return b, nil
}

// Hex encodes b as "0x...".
func Hex(b []byte) string { return "0x" + hex.EncodeToString(b) }

func atParam(hash string) any {
	if hash == "" {
		return nil
	}
	return hash
}

// BlockHash returns the hash of block number n.
func (c *Client) BlockHash(ctx context.Context, n uint64) (string, error) {
	var h *string
	if err := c.Call(ctx, "chain_getBlockHash", []any{n}, &h); err != nil {
		return "", err
	}
	if h == nil || *h == "" {
		return "", fmt.Errorf("chain_getBlockHash: block %d is not known to the node (beyond the chain head?)", n)
	}
	return *h, nil
}

// Header is the part of a block header the client uses.
type Header struct {
	ParentHash string `json:"parentHash"`
	NumberHex  string `json:"number"`
}

// Number parses the hex block number.
func (h Header) Number() (uint64, error) {
	v, err := strconv.ParseUint(strings.TrimPrefix(h.NumberHex, "0x"), 16, 64)
	if err != nil {
		return 0, fmt.Errorf("header number %q: %w", h.NumberHex, err)
	}
	return v, nil
}

// Header returns the header of block hash ("" for the best block).
func (c *Client) Header(ctx context.Context, hash string) (Header, error) {
	var h *Header
	if err := c.Call(ctx, "chain_getHeader", []any{atParam(hash)}, &h); err != nil {
		return Header{}, err
	}
	if h == nil {
		return Header{}, fmt.Errorf("chain_getHeader: unknown block %s", hash)
	}
	return *h, nil
}

// RuntimeVersion is state_getRuntimeVersion's answer (the fields used here).
type RuntimeVersion struct {
	SpecName    string `json:"specName"`
	SpecVersion int    `json:"specVersion"`
	ImplVersion int    `json:"implVersion"`
}

// RuntimeVersion returns the runtime version at block hash ("" for best).
func (c *Client) RuntimeVersion(ctx context.Context, hash string) (RuntimeVersion, error) {
	var v RuntimeVersion
	err := c.Call(ctx, "state_getRuntimeVersion", []any{atParam(hash)}, &v)
	return v, err
}

// StateCall runs a runtime API method ("Api_method") with SCALE-encoded args
// at block hash and returns the SCALE-encoded answer.
func (c *Client) StateCall(ctx context.Context, method string, args []byte, hash string) ([]byte, error) {
	var res string
	if err := c.Call(ctx, "state_call", []any{method, Hex(args), atParam(hash)}, &res); err != nil {
		return nil, err
	}
	b, err := HexBytes(res)
	if err != nil {
		return nil, fmt.Errorf("state_call %s: %w", method, err)
	}
	return b, nil
}

func netuidArg(netuid uint16) []byte { return U16LE(netuid) }

// NeuronsLite calls NeuronInfoRuntimeApi_get_neurons_lite(netuid).
func (c *Client) NeuronsLite(ctx context.Context, netuid uint16, hash string) ([]NeuronInfoLite, error) {
	b, err := c.StateCall(ctx, "NeuronInfoRuntimeApi_get_neurons_lite", netuidArg(netuid), hash)
	if err != nil {
		return nil, err
	}
	return DecodeNeuronsLite(b)
}

// Neurons calls NeuronInfoRuntimeApi_get_neurons(netuid) (with weights and bonds).
func (c *Client) Neurons(ctx context.Context, netuid uint16, hash string) ([]NeuronInfo, error) {
	b, err := c.StateCall(ctx, "NeuronInfoRuntimeApi_get_neurons", netuidArg(netuid), hash)
	if err != nil {
		return nil, err
	}
	return DecodeNeurons(b)
}

// Neuron calls NeuronInfoRuntimeApi_get_neuron(netuid, uid).
func (c *Client) Neuron(ctx context.Context, netuid, uid uint16, hash string) (NeuronInfo, bool, error) {
	b, err := c.StateCall(ctx, "NeuronInfoRuntimeApi_get_neuron", append(netuidArg(netuid), U16LE(uid)...), hash)
	if err != nil {
		return NeuronInfo{}, false, err
	}
	return DecodeNeuron(b)
}

// SubnetState calls SubnetInfoRuntimeApi_get_subnet_state(netuid).
func (c *Client) SubnetState(ctx context.Context, netuid uint16, hash string) (SubnetState, bool, error) {
	b, err := c.StateCall(ctx, "SubnetInfoRuntimeApi_get_subnet_state", netuidArg(netuid), hash)
	if err != nil {
		return SubnetState{}, false, err
	}
	return DecodeSubnetState(b)
}

// Hyperparams calls SubnetInfoRuntimeApi_get_subnet_hyperparams_v2 and falls
// back to get_subnet_hyperparams when the runtime does not have v2.
func (c *Client) Hyperparams(ctx context.Context, netuid uint16, hash string) (SubnetHyperparams, bool, error) {
	b, err := c.StateCall(ctx, "SubnetInfoRuntimeApi_get_subnet_hyperparams_v2", netuidArg(netuid), hash)
	if err == nil {
		return DecodeHyperparams(b, true)
	}
	var re *RPCError
	if !errors.As(err, &re) {
		return SubnetHyperparams{}, false, err
	}
	b, err = c.StateCall(ctx, "SubnetInfoRuntimeApi_get_subnet_hyperparams", netuidArg(netuid), hash)
	if err != nil {
		return SubnetHyperparams{}, false, err
	}
	return DecodeHyperparams(b, false)
}

// Metagraph calls SubnetInfoRuntimeApi_get_metagraph(netuid).
func (c *Client) Metagraph(ctx context.Context, netuid uint16, hash string) (Metagraph, bool, error) {
	b, err := c.StateCall(ctx, "SubnetInfoRuntimeApi_get_metagraph", netuidArg(netuid), hash)
	if err != nil {
		return Metagraph{}, false, err
	}
	return DecodeMetagraph(b, false)
}

// SelectiveMechagraph calls SubnetInfoRuntimeApi_get_selective_mechagraph
// (netuid, mech, fields); nil fields asks for all 74.
func (c *Client) SelectiveMechagraph(ctx context.Context, netuid uint16, mech uint8, fields []uint16, hash string) (Metagraph, bool, error) {
	if fields == nil {
		for i := 0; i < MetagraphFields; i++ {
			fields = append(fields, uint16(i))
		}
	}
	e := scale.Encoder{Buf: netuidArg(netuid)}
	e.U8(mech)
	e.Compact(uint64(len(fields)))
	for _, f := range fields {
		e.U16(f)
	}
	b, err := c.StateCall(ctx, "SubnetInfoRuntimeApi_get_selective_mechagraph", e.Buf, hash)
	if err != nil {
		return Metagraph{}, false, err
	}
	return DecodeMetagraph(b, true)
}

// Storage reads one storage value; ok is false when the key has no value.
func (c *Client) Storage(ctx context.Context, key []byte, hash string) (val []byte, ok bool, err error) {
	var res *string
	if err := c.Call(ctx, "state_getStorage", []any{Hex(key), atParam(hash)}, &res); err != nil {
		return nil, false, err
	}
	if res == nil {
		return nil, false, nil
	}
	b, err := HexBytes(*res)
	if err != nil {
		return nil, false, fmt.Errorf("state_getStorage: %w", err)
	}
	return b, true, nil
}

// KeysPaged returns up to count keys under prefix after startKey (the
// prefix itself for the first page).
func (c *Client) KeysPaged(ctx context.Context, prefix []byte, count int, startKey []byte, hash string) ([][]byte, error) {
	if startKey == nil {
		startKey = prefix
	}
	var res []string
	if err := c.Call(ctx, "state_getKeysPaged", []any{Hex(prefix), count, Hex(startKey), atParam(hash)}, &res); err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(res))
	for _, k := range res {
		b, err := HexBytes(k)
		if err != nil {
			return nil, fmt.Errorf("state_getKeysPaged: %w", err)
		}
		out = append(out, b)
	}
	return out, nil
}

// QueryStorageAt reads many keys at once; keys without a value are absent
// from the map (keyed by hex).
func (c *Client) QueryStorageAt(ctx context.Context, keys [][]byte, hash string) (map[string][]byte, error) {
	hk := make([]string, len(keys))
	for i, k := range keys {
		hk[i] = Hex(k)
	}
	var res []struct {
		Block   string       `json:"block"`
		Changes [][2]*string `json:"changes"`
	}
	if err := c.Call(ctx, "state_queryStorageAt", []any{hk, atParam(hash)}, &res); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, set := range res {
		for _, ch := range set.Changes {
			if ch[0] == nil || ch[1] == nil {
				continue
			}
			b, err := HexBytes(*ch[1])
			if err != nil {
				return nil, fmt.Errorf("state_queryStorageAt: %w", err)
			}
			out[strings.ToLower(*ch[0])] = b
		}
	}
	return out, nil
}

// ScanMap reads every entry under prefix (paging with Options.PageSize) and
// returns keys and values in key order.
func (c *Client) ScanMap(ctx context.Context, prefix []byte, hash string) (keys [][]byte, vals [][]byte, err error) {
	var start []byte
	for {
		page, err := c.KeysPaged(ctx, prefix, c.opt.PageSize, start, hash)
		if err != nil {
			return nil, nil, err
		}
		if len(page) == 0 {
			break
		}
		m, err := c.QueryStorageAt(ctx, page, hash)
		if err != nil {
			return nil, nil, err
		}
		for _, k := range page {
			if v, ok := m[strings.ToLower(Hex(k))]; ok {
				keys = append(keys, k)
				vals = append(vals, v)
			}
		}
		if len(page) < c.opt.PageSize {
			break
		}
		start = page[len(page)-1]
	}
	return keys, vals, nil
}

// sparseRows scans a Weights or Bonds double map of netuid index idx.
func (c *Client) sparseRows(ctx context.Context, item string, idx uint16, hash string) ([]metagraph.Row, error) {
	prefix := StorageKey(Pallet, item, U16LE(idx))
	keys, vals, err := c.ScanMap(ctx, prefix, hash)
	if err != nil {
		return nil, fmt.Errorf("%s[%d]: %w", item, idx, err)
	}
	rows := make([]metagraph.Row, 0, len(keys))
	for i, k := range keys {
		if len(k) != len(prefix)+2 {
			return nil, fmt.Errorf("%s[%d]: unexpected key length %d", item, idx, len(k))
		}
		uid := int(k[len(prefix)]) | int(k[len(prefix)+1])<<8
		entries, err := DecodeWeightRow(vals[i])
		if err != nil {
			return nil, fmt.Errorf("%s[%d][%d]: %w", item, idx, uid, err)
		}
		rows = append(rows, metagraph.Row{UID: uid, Entries: entries})
	}
	return rows, nil
}

// Weights reads every Weights row of the netuid storage index (see NetUidIndex).
func (c *Client) Weights(ctx context.Context, idx uint16, hash string) ([]metagraph.Row, error) {
	return c.sparseRows(ctx, ItemWeights, idx, hash)
}

// Bonds reads every Bonds row of the netuid storage index.
func (c *Client) Bonds(ctx context.Context, idx uint16, hash string) ([]metagraph.Row, error) {
	return c.sparseRows(ctx, ItemBonds, idx, hash)
}

// LastUpdate reads LastUpdate[idx]; nil when absent.
func (c *Client) LastUpdate(ctx context.Context, idx uint16, hash string) ([]uint64, error) {
	v, ok, err := c.Storage(ctx, StorageKey(Pallet, ItemLastUpdate, U16LE(idx)), hash)
	if err != nil || !ok {
		return nil, err
	}
	return DecodeU64Vec(v)
}

// ValidatorPermit reads ValidatorPermit[netuid]; nil when absent.
func (c *Client) ValidatorPermit(ctx context.Context, netuid uint16, hash string) ([]bool, error) {
	v, ok, err := c.Storage(ctx, StorageKey(Pallet, ItemValidatorPermit, U16LE(netuid)), hash)
	if err != nil || !ok {
		return nil, err
	}
	return DecodeBoolVec(v)
}

// BlockAtRegistration reads BlockAtRegistration[netuid][uid] for every uid
// under the netuid prefix, as a vector of length n (0 for absent keys).
func (c *Client) BlockAtRegistration(ctx context.Context, netuid uint16, n int, hash string) ([]uint64, error) {
	prefix := StorageKey(Pallet, ItemBlockAtRegistration, U16LE(netuid))
	keys, vals, err := c.ScanMap(ctx, prefix, hash)
	if err != nil {
		return nil, fmt.Errorf("BlockAtRegistration[%d]: %w", netuid, err)
	}
	out := make([]uint64, n)
	for i, k := range keys {
		if len(k) != len(prefix)+2 {
			continue
		}
		uid := int(k[len(prefix)]) | int(k[len(prefix)+1])<<8
		v, err := DecodeU64(vals[i])
		if err != nil {
			return nil, fmt.Errorf("BlockAtRegistration[%d][%d]: %w", netuid, uid, err)
		}
		if uid < n {
			out[uid] = v
		}
	}
	return out, nil
}

// TotalHotkeyAlpha reads the alpha stake of a hotkey on a subnet (rao).
func (c *Client) TotalHotkeyAlpha(ctx context.Context, hotkey scale.AccountID, netuid uint16, hash string) (uint64, error) {
	key := StorageKey(Pallet, ItemTotalHotkeyAlpha, Blake2_128Concat(hotkey[:]), U16LE(netuid))
	v, ok, err := c.Storage(ctx, key, hash)
	if err != nil || !ok {
		return 0, err
	}
	return DecodeU64(v)
}

// RawCall is Call returning the raw JSON result, for methods without a helper.
func (c *Client) RawCall(ctx context.Context, method string, params ...any) (json.RawMessage, error) {
	var r json.RawMessage
	err := c.Call(ctx, method, params, &r)
	return r, err
}

// Tempo reads Tempo[netuid] (blocks per epoch); ok is false when the subnet
// has no stored tempo.
func (c *Client) Tempo(ctx context.Context, netuid uint16, hash string) (uint16, bool, error) {
	v, ok, err := c.Storage(ctx, StorageKey(Pallet, ItemTempo, U16LE(netuid)), hash)
	if err != nil || !ok {
		return 0, false, err
	}
	t, err := DecodeU16(v)
	if err != nil {
		return 0, false, fmt.Errorf("storage Tempo[%d]: %w", netuid, err)
	}
	return t, true, nil
}
