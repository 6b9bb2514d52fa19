package subtensor

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/subtensor/scale"
	"github.com/yuma-go/yuma/subtensor/subtensortest"
)

// storageNode is a fake node holding a storage map. It implements
// state_getStorage, state_getKeysPaged (keys after startKey under prefix, in
// order, at most count) and state_queryStorageAt like substrate does.
type storageNode struct{ kv map[string][]byte }

func (s storageNode) handle(method string, params json.RawMessage) subtensortest.Reply {
	var p []json.RawMessage
	_ = json.Unmarshal(params, &p)
	str := func(i int) string {
		var v string
		_ = json.Unmarshal(p[i], &v)
		return v
	}
	ok := func(v any) subtensortest.Reply {
		b, _ := json.Marshal(v)
		return subtensortest.Reply{Result: b}
	}
	switch method {
	case "state_getStorage":
		k, _ := HexBytes(str(0))
		if v, found := s.kv[string(k)]; found {
			return ok(Hex(v))
		}
		return ok(nil)
	case "state_getKeysPaged":
		prefix, _ := HexBytes(str(0))
		var count int
		_ = json.Unmarshal(p[1], &count)
		start, _ := HexBytes(str(2))
		var keys []string
		for k := range s.kv {
			if strings.HasPrefix(k, string(prefix)) && bytes.Compare([]byte(k), start) > 0 {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		if len(keys) > count {
			keys = keys[:count]
		}
		out := []string{}
		for _, k := range keys {
			out = append(out, Hex([]byte(k)))
		}
		return ok(out)
	case "state_queryStorageAt":
		var keys []string
		_ = json.Unmarshal(p[0], &keys)
		changes := [][2]any{}
		for _, hk := range keys {
			k, _ := HexBytes(hk)
			if v, found := s.kv[string(k)]; found {
				changes = append(changes, [2]any{hk, Hex(v)})
			} else {
				changes = append(changes, [2]any{hk, nil})
			}
		}
		return ok([]any{map[string]any{"block": "0x00", "changes": changes}})
	}
	return subtensortest.Reply{Error: &subtensortest.ErrorObject{Code: -32601, Message: "Method not found"}}
}

func TestStorageMapsPaged(t *testing.T) {
	kv := map[string][]byte{}
	put := func(k []byte, v []byte) { kv[string(k)] = v }
	var e scale.Encoder
	// Weights of netuid 5 for uids 0..9, each row [(uid, 100*uid)], plus a row of netuid 6 that must not leak in.
	for uid := uint16(0); uid < 10; uid++ {
		e = scale.Encoder{}
		e.Compact(1)
		e.U16(uid)
		e.U16(100 * uid)
		put(StorageKey(Pallet, ItemWeights, U16LE(5), U16LE(uid)), e.Buf)
		e = scale.Encoder{}
		e.U64(1000 + uint64(uid))
		put(StorageKey(Pallet, ItemBlockAtRegistration, U16LE(5), U16LE(uid)), e.Buf)
	}
	put(StorageKey(Pallet, ItemWeights, U16LE(6), U16LE(0)), []byte{0})
	put(StorageKey(Pallet, ItemValidatorPermit, U16LE(5)), []byte{12, 1, 0, 1})
	var hot scale.AccountID
	hot[0] = 7
	e = scale.Encoder{}
	e.U64(123456789)
	put(StorageKey(Pallet, ItemTotalHotkeyAlpha, Blake2_128Concat(hot[:]), U16LE(5)), e.Buf)

	c, srv := fakeNode(t, storageNode{kv}.handle, Options{PageSize: 3})
	ctx := context.Background()
	rows, err := c.Weights(ctx, 5, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, r := range rows {
		if r.UID != i || len(r.Entries) != 1 || r.Entries[0][0] != i || r.Entries[0][1] != 100*i {
			t.Fatalf("row %d = %+v", i, r)
		}
	}
	// 10 keys in pages of 3: 4 key pages (3,3,3,1) and 4 value queries.
	if got := srv.Requests.Load(); got != 8 {
		t.Errorf("%d requests, want 8", got)
	}
	bar, err := c.BlockAtRegistration(ctx, 5, 12, "")
	if err != nil || len(bar) != 12 || bar[9] != 1009 || bar[11] != 0 {
		t.Fatalf("BlockAtRegistration %v %v", bar, err)
	}
	vp, err := c.ValidatorPermit(ctx, 5, "")
	if err != nil || len(vp) != 3 || !vp[0] || vp[1] || !vp[2] {
		t.Fatalf("ValidatorPermit %v %v", vp, err)
	}
	if vp, err := c.ValidatorPermit(ctx, 9, ""); err != nil || vp != nil {
		t.Fatalf("absent ValidatorPermit %v %v", vp, err)
	}
	a, err := c.TotalHotkeyAlpha(ctx, hot, 5, "")
	if err != nil || a != 123456789 {
		t.Fatalf("TotalHotkeyAlpha %d %v", a, err)
	}
	if lu, err := c.LastUpdate(ctx, 5, ""); err != nil || lu != nil {
		t.Fatalf("absent LastUpdate %v %v", lu, err)
	}
	// A corrupt value is an error naming the item and uid.
	put(StorageKey(Pallet, ItemBonds, U16LE(5), U16LE(4)), []byte{8, 1})
	if _, err := c.Bonds(ctx, 5, ""); err == nil || !strings.Contains(err.Error(), "Bonds[5][4]") {
		t.Fatalf("corrupt bonds: %v", err)
	}
}
