package metagraph

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
)

func TestRowJSON(t *testing.T) {
	r := Row{UID: 4, Entries: []Entry{{1, 65535}, {3, 0}}}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "[4,[[1,65535],[3,0]]]" {
		t.Fatalf("Marshal = %s", b)
	}
	var back Row
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, r) {
		t.Fatalf("Unmarshal = %+v, %v", back, err)
	}
	var spaced Row
	if err := json.Unmarshal([]byte(" [ 4 ,\n [ [1, 65535] , [ 3,0 ] ] ] "), &spaced); err != nil || !reflect.DeepEqual(spaced, r) {
		t.Fatalf("spaced row = %+v, %v", spaced, err)
	}
	for _, bad := range []string{`[1]`, `[1,[[2]]]`, `[1,[[2,3.5]]]`, `[1,[[2,1e3]]]`, `[1,[[2,3]],4]`, `[1,[[2,3]`, `["a",[]]`, `[1,[[2,3][4,5]]]`, `[01,[]]`, `[1,[[2,99999999999999999999]]]`} {
		var x Row
		if err := json.Unmarshal([]byte(bad), &x); err == nil {
			t.Errorf("%s accepted as %+v", bad, x)
		}
	}
	empty, _ := json.Marshal(Row{UID: 2})
	if string(empty) != "[2,[]]" {
		t.Fatalf("empty row = %s", empty)
	}
}

func TestSnapshotFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := sample(31, 1000)
	s.Hotkeys = []string{"a", "b", "c"}
	s.Hyperparameters = map[string]any{"kappa": 32767.0}
	for _, name := range []string{"s.json", "s.json.gz"} {
		p := filepath.Join(dir, name)
		if err := WriteSnapshotFile(p, s); err != nil {
			t.Fatal(err)
		}
		got, err := ReadSnapshotFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("%s: got %+v want %+v", name, got, s)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "s.json"))
	if !bytes.Contains(raw, []byte(`"weights":[[0,[[1,65535],[2,0]]],[2,[[1,100]]]]`)) {
		t.Fatalf("weights not in row format: %s", raw)
	}
	if bytes.Contains(raw, []byte("bonds")) {
		t.Fatalf("absent field written: %s", raw)
	}
}

func TestSnapshotBadInput(t *testing.T) {
	cases := map[string]string{
		"ragged stake":     `{"netuid":1,"block":5,"n":3,"stake":[1,2]}`,
		"negative stake":   `{"netuid":1,"block":5,"n":2,"stake":[1,-2]}`,
		"unknown row uid":  `{"netuid":1,"block":5,"n":2,"weights":[[7,[[0,1]]]]}`,
		"unknown dest":     `{"netuid":1,"block":5,"n":2,"weights":[[0,[[9,1]]]]}`,
		"u16 overflow":     `{"netuid":1,"block":5,"n":2,"weights":[[0,[[1,65536]]]]}`,
		"negative value":   `{"netuid":1,"block":5,"n":2,"weights":[[0,[[1,-1]]]]}`,
		"duplicate row":    `{"netuid":1,"block":5,"n":2,"weights":[[0,[[1,1]]],[0,[[1,2]]]]}`,
		"duplicate dest":   `{"netuid":1,"block":5,"n":2,"weights":[[0,[[1,1],[1,2]]]]}`,
		"bad row shape":    `{"netuid":1,"block":5,"n":2,"weights":[[0]]}`,
		"bad n":            `{"netuid":1,"block":5,"n":-1}`,
		"huge n":           `{"netuid":1,"block":5,"n":70000}`,
		"bad netuid":       `{"netuid":70000,"block":5,"n":1}`,
		"bad yuma":         `{"netuid":1,"block":5,"n":1,"yuma_version":"yuma9"}`,
		"truncated":        `{"netuid":1,"block":5,"n":2,"stake":[1,`,
		"not json":         `hello`,
		"wrong type":       `{"netuid":"x"}`,
		"negative block":   `{"netuid":1,"block":-5,"n":1}`,
		"unknown field":    `{"netuid":1,"block":5,"n":1,"stakes":[1]}`,
		"trailing":         `{"netuid":1,"block":5,"n":1} {}`,
		"ragged permits":   `{"netuid":1,"block":5,"n":2,"validator_permit":[true]}`,
		"ragged last upd.": `{"netuid":1,"block":5,"n":2,"last_update":[1,2,3]}`,
	}
	for name, in := range cases {
		_, err := DecodeSnapshot(strings.NewReader(in), "f.json")
		var be *badinput.Error
		if !errors.As(err, &be) {
			t.Errorf("%s: want *badinput.Error, got %v", name, err)
			continue
		}
		if be.File != "f.json" {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
	}
}

func TestSnapshotCorruptGzip(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(`{"netuid":1,"block":5,"n":1,"stake":[1]}`))
	zw.Close()
	full := b.Bytes()
	if _, err := DecodeSnapshot(bytes.NewReader(full), "ok.gz"); err != nil {
		t.Fatalf("valid gzip: %v", err)
	}
	for _, cut := range []int{3, 12, len(full) / 2, len(full) - 4} {
		_, err := DecodeSnapshot(bytes.NewReader(full[:cut]), "t.gz")
		if !badinput.Is(err) {
			t.Errorf("truncated at %d: want bad input, got %v", cut, err)
		}
	}
	flipped := append([]byte(nil), full...)
	flipped[len(flipped)-6] ^= 0xff // CRC
	if _, err := DecodeSnapshot(bytes.NewReader(flipped), "c.gz"); !badinput.Is(err) {
		t.Errorf("corrupt crc: want bad input, got %v", err)
	}
	if _, err := ReadSnapshotFile(filepath.Join(t.TempDir(), "missing.json")); !badinput.Is(err) {
		t.Errorf("missing file: want bad input, got %v", err)
	}
}

func FuzzDecodeSnapshot(f *testing.F) {
	f.Add([]byte(`{"netuid":1,"block":5,"n":2,"stake":[1,2],"weights":[[0,[[1,65535]]]]}`))
	f.Add([]byte(`{"netuid":1,"block":5,"n":2,"weights":[[0,[[1,1],[1,2]]]]}`))
	f.Add([]byte(`{"n":1e9}`))
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0})
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeSnapshot(bytes.NewReader(data), "fuzz")
		if err != nil {
			if !badinput.Is(err) {
				t.Fatalf("non-badinput error: %v", err)
			}
			return
		}
		// A snapshot that decodes must survive a write/read round trip.
		var b bytes.Buffer
		if err := EncodeSnapshot(&b, s); err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeSnapshot(&b, "again"); err != nil {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}
