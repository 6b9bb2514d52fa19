package subtensor

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/yuma-go/yuma/subtensor/subtensortest"
)

func recordedResult(b *testing.B, method string) []byte {
	b.Helper()
	for _, e := range recording(b).Entries {
		var p []any
		_ = json.Unmarshal(e.Params, &p)
		if e.Seed != "metagraph" || len(p) == 0 || p[0] != method {
			continue
		}
		var res string
		_ = json.Unmarshal(e.Result, &res)
		out, err := HexBytes(res)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	b.Fatalf("%s not recorded", method)
	return nil
}

func BenchmarkDecodeNeuronsLite1024(b *testing.B) {
	blob := recordedResult(b, "NeuronInfoRuntimeApi_get_neurons_lite")
	b.ReportAllocs()
	b.SetBytes(int64(len(blob)))
	for b.Loop() {
		if _, err := DecodeNeuronsLite(blob); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeSelectiveMechagraph1024(b *testing.B) {
	blob := recordedResult(b, "SubnetInfoRuntimeApi_get_selective_mechagraph")
	b.ReportAllocs()
	b.SetBytes(int64(len(blob)))
	for b.Loop() {
		if _, _, err := DecodeMetagraph(blob, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStorageKey(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		StorageKey(Pallet, ItemWeights, U16LE(1), U16LE(7))
	}
}

func BenchmarkSnapshotFromRecording(b *testing.B) {
	rp := subtensortest.NewReplayer(recording(b), "metagraph")
	addEmptyWeightScans(rp.Add, 1000)
	srv := subtensortest.NewServer(rp.Handle)
	defer srv.Close()
	c, err := Dial(context.Background(), srv.URL(), Options{RatePerSec: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Snapshot(context.Background(), 1, 6852690); err != nil {
			b.Fatal(err)
		}
	}
}
