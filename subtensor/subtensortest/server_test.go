package subtensortest

import (
	"encoding/json"
	"testing"
)

func TestKeyNormalisation(t *testing.T) {
	same := [][2]string{
		{`["NeuronInfoRuntimeApi_get_neurons_lite", "0100", null]`, `["NeuronInfoRuntimeApi_get_neurons_lite","0x0100"]`},
		{`["0xABCD", "0xdb13"]`, `["abcd","0XDB13"]`},
		{`[]`, `[null]`},
		{`["Api_x", ""]`, `["Api_x", "0x"]`},
	}
	for _, p := range same {
		if a, b := Key("m", json.RawMessage(p[0])), Key("m", json.RawMessage(p[1])); a != b {
			t.Errorf("%s and %s give %q and %q", p[0], p[1], a, b)
		}
	}
	if Key("state_getStorageAt", json.RawMessage(`["0x01"]`)) != Key("state_getStorage", json.RawMessage(`["01"]`)) {
		t.Error("state_getStorageAt is not an alias of state_getStorage")
	}
	if Key("m", json.RawMessage(`["0x01", 100]`)) == Key("m", json.RawMessage(`["0x01", 10]`)) {
		t.Error("different numbers matched")
	}
}

func TestReplayerCycleAndMissing(t *testing.T) {
	rec := &Recording{Entries: []Entry{
		{Seed: "s", Method: "m", Params: json.RawMessage(`[1]`), Cycle: []json.RawMessage{
			json.RawMessage(`{"error":{"code":4003,"message":"gone"}}`), json.RawMessage(`{"result":7}`)}},
		{Seed: "other", Method: "m", Params: json.RawMessage(`[2]`), Result: json.RawMessage(`8`)},
	}}
	rp := NewReplayer(rec, "s")
	if r := rp.Handle("m", json.RawMessage(`[1]`)); r.Error == nil || r.Error.Code != 4003 {
		t.Errorf("first %+v", r)
	}
	if r := rp.Handle("m", json.RawMessage(`[1]`)); r.Error != nil || string(r.Result) != "7" {
		t.Errorf("second %+v", r)
	}
	if r := rp.Handle("m", json.RawMessage(`[1]`)); r.Error == nil {
		t.Errorf("cycle does not wrap: %+v", r)
	}
	if r := rp.Handle("m", json.RawMessage(`[2]`)); r.Error == nil || r.Error.Code != -32601 {
		t.Errorf("entry of another seed served: %+v", r)
	}
	rp.Add("m", []any{2}, 9)
	if r := rp.Handle("m", json.RawMessage(`[2]`)); string(r.Result) != "9" {
		t.Errorf("added answer %+v", r)
	}
}
