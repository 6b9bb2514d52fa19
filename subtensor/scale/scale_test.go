package scale

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"
)

func TestCompactVectors(t *testing.T) {
	// Reference encodings from the SCALE specification.
	cases := []struct {
		v   uint64
		hex string
	}{
		{0, "00"}, {1, "04"}, {42, "a8"}, {63, "fc"}, {64, "0101"}, {69, "1501"},
		{16383, "fdff"}, {16384, "02000100"}, {65535, "feff0300"}, {1073741823, "feffffff"},
		{1073741824, "0300000040"}, {1<<32 - 1, "03ffffffff"}, {1 << 32, "070000000001"},
		{1<<64 - 1, "13ffffffffffffffff"},
	}
	for _, c := range cases {
		var e Encoder
		e.Compact(c.v)
		if got := hex.EncodeToString(e.Buf); got != c.hex {
			t.Errorf("encode %d = %s, want %s", c.v, got, c.hex)
		}
		b, _ := hex.DecodeString(c.hex)
		d := NewDecoder(b)
		if got := d.Compact(); got != c.v || d.Done() != nil {
			t.Errorf("decode %s = %d (%v)", c.hex, got, d.Done())
		}
	}
}

func TestDecoderErrors(t *testing.T) {
	cases := map[string]string{
		"short u64":           "0102",
		"bool 2":              "02",
		"non-canonical 2B":    "0100",
		"non-canonical 4B":    "02000000",
		"non-canonical big":   "0300000000",
		"vector too long":     "fdff",
		"compact u16 > 65535": "02000400",
	}
	reads := map[string]func(d *Decoder){
		"short u64":           func(d *Decoder) { d.U64() },
		"bool 2":              func(d *Decoder) { d.Bool() },
		"non-canonical 2B":    func(d *Decoder) { d.Compact() },
		"non-canonical 4B":    func(d *Decoder) { d.Compact() },
		"non-canonical big":   func(d *Decoder) { d.Compact() },
		"vector too long":     func(d *Decoder) { d.Len(1) },
		"compact u16 > 65535": func(d *Decoder) { d.CompactU16() },
	}
	for name, h := range cases {
		b, _ := hex.DecodeString(h)
		d := NewDecoder(b)
		reads[name](d)
		if d.Err() == nil {
			t.Errorf("%s: no error", name)
		}
		// After an error every read yields zero and no panic.
		if d.U64() != 0 || d.AccountID() != (AccountID{}) || d.Bytes(3) != nil {
			t.Errorf("%s: reads after error returned data", name)
		}
	}
	d := NewDecoder([]byte{1})
	if err := d.Done(); err == nil {
		t.Error("trailing byte not reported")
	}
	d = NewDecoder(nil)
	d.U8()
	if !errors.Is(d.Err(), ErrShort) {
		t.Errorf("err %v", d.Err())
	}
}

func TestSS58(t *testing.T) {
	// Alice's well-known dev account.
	pub, _ := hex.DecodeString("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
	var a AccountID
	copy(a[:], pub)
	if got := a.SS58(); got != "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY" {
		t.Fatalf("ss58 = %s", got)
	}
	back, prefix, err := DecodeSS58(a.SS58())
	if err != nil || back != a || prefix != 42 {
		t.Fatalf("decode: %v %v %d", back, err, prefix)
	}
	bad := []byte(a.SS58())
	bad[10] ^= 1
	if _, _, err := DecodeSS58(string(bad)); err == nil {
		t.Error("corrupted address accepted")
	}
	for _, s := range []string{"", "0OIl", "5Grw", string(bytes.Repeat([]byte("z"), 80))} {
		if _, _, err := DecodeSS58(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func FuzzCompact(f *testing.F) {
	for _, s := range []string{"00", "fdff", "02000100", "0300000040", "13ffffffffffffffff", "17ffffffffffffffffff", "ff"} {
		b, _ := hex.DecodeString(s)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d := NewDecoder(b)
		v := d.Compact()
		db := NewDecoder(b)
		bv := db.CompactBig()
		if fits := db.Err() == nil && bv.IsUint64(); fits != (d.Err() == nil) || (fits && (bv.Uint64() != v || db.Offset() != d.Offset())) {
			t.Fatalf("Compact (%d, %v) and CompactBig (%s, %v) disagree on %x", v, d.Err(), bv, db.Err(), b)
		}
		if d.Err() != nil {
			return
		}
		var e Encoder
		e.Compact(v)
		if !bytes.Equal(e.Buf, b[:d.Offset()]) {
			t.Fatalf("compact %d decoded from %x re-encodes to %x", v, b[:d.Offset()], e.Buf)
		}
	})
}

func FuzzSS58(f *testing.F) {
	f.Add("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY")
	f.Add("111111")
	f.Fuzz(func(t *testing.T, s string) {
		a, p, err := DecodeSS58(s)
		if err != nil {
			return
		}
		if EncodeSS58(a, p) != s {
			t.Fatalf("%q does not round-trip", s)
		}
	})
}
