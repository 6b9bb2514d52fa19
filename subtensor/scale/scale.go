// Package scale reads and writes the subset of the SCALE codec (Parity's
// Simple Concatenated Aggregate Little-Endian encoding) that subtensor's
// runtime APIs and storage values use: fixed-width little-endian integers,
// compact integers, booleans, options, vectors and 32-byte account ids, plus
// SS58 addresses for account ids.
//
// A Decoder never panics on bad input: the first problem is kept and every
// later read returns zero values, so decoders can be written as straight-line
// code and check Err once at the end.
package scale

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
)

// ErrShort is wrapped by errors about input that ends too early.
var ErrShort = errors.New("scale: unexpected end of input")

// MaxLen bounds vector lengths so hostile input cannot make a decoder
// allocate gigabytes. No subtensor vector comes near it.
const MaxLen = 1 << 22

// Decoder reads SCALE values from a byte slice.
type Decoder struct {
	buf []byte
	off int
	err error
}

// NewDecoder returns a decoder over b.
func NewDecoder(b []byte) *Decoder { return &Decoder{buf: b} }

// Err returns the first error met, or nil.
func (d *Decoder) Err() error { return d.err }

// Offset returns the number of bytes consumed.
func (d *Decoder) Offset() int { return d.off }

// Remaining returns the number of bytes not yet consumed.
func (d *Decoder) Remaining() int { return len(d.buf) - d.off }

// Fail records err (wrapped with the offset) unless an error is already kept.
func (d *Decoder) Fail(err error) {
	if d.err == nil {
		d.err = fmt.Errorf("at byte %d: %w", d.off, err)
	}
}

// Failf records a formatted error.
func (d *Decoder) Failf(format string, args ...any) { d.Fail(fmt.Errorf(format, args...)) }

// Done returns Err, or an error when bytes are left over.
func (d *Decoder) Done() error {
	if d.err != nil {
		return d.err
	}
	if d.off != len(d.buf) {
		return fmt.Errorf("scale: %d trailing bytes after %d consumed", len(d.buf)-d.off, d.off)
	}
	return nil
}

// Bytes reads n raw bytes (a sub-slice of the input, not a copy).
func (d *Decoder) Bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.buf)-d.off {
		d.Fail(fmt.Errorf("%w: need %d bytes, have %d", ErrShort, n, len(d.buf)-d.off))
		return nil
	}
	b := d.buf[d.off : d.off+n]
	d.off += n
	return b
}

// U8 reads one byte.
func (d *Decoder) U8() uint8 {
	b := d.Bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

// U16 reads a little-endian u16.
func (d *Decoder) U16() uint16 {
	b := d.Bytes(2)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(b)
}

// U32 reads a little-endian u32.
func (d *Decoder) U32() uint32 {
	b := d.Bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

// U64 reads a little-endian u64.
func (d *Decoder) U64() uint64 {
	b := d.Bytes(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// I64 reads a little-endian i64.
func (d *Decoder) I64() int64 { return int64(d.U64()) }

// U128 reads a little-endian u128 as (low, high) 64-bit halves.
func (d *Decoder) U128() (lo, hi uint64) {
	lo = d.U64()
	hi = d.U64()
	return lo, hi
}

// Bool reads a bool; any byte other than 0 or 1 is an error.
func (d *Decoder) Bool() bool {
	b := d.U8()
	if b > 1 {
		d.Failf("scale: invalid bool byte 0x%02x", b)
		return false
	}
	return b == 1
}

// Option reads an Option tag: false for None, true for Some.
func (d *Decoder) Option() bool {
	b := d.U8()
	if b > 1 {
		d.Failf("scale: invalid option tag 0x%02x", b)
		return false
	}
	return b == 1
}

// CompactBig reads a compact integer of any size.
func (d *Decoder) CompactBig() *big.Int {
	if d.err != nil {
		return new(big.Int)
	}
	first := d.U8()
	switch first & 3 {
	case 0:
		return big.NewInt(int64(first >> 2))
	case 1:
		second := d.U8()
		v := uint64(first)>>2 | uint64(second)<<6
		if d.err == nil && v < 1<<6 {
			d.Failf("scale: non-canonical compact %d", v)
		}
		return new(big.Int).SetUint64(v)
	case 2:
		rest := d.Bytes(3)
		if rest == nil {
			return new(big.Int)
		}
		v := uint64(first)>>2 | uint64(rest[0])<<6 | uint64(rest[1])<<14 | uint64(rest[2])<<22
		if v < 1<<14 {
			d.Failf("scale: non-canonical compact %d", v)
		}
		return new(big.Int).SetUint64(v)
	default:
		n := int(first>>2) + 4
		b := d.Bytes(n)
		if b == nil {
			return new(big.Int)
		}
		if b[n-1] == 0 {
			d.Failf("scale: non-canonical big compact (top byte zero)")
		}
		be := make([]byte, n)
		for i := range b {
			be[n-1-i] = b[i]
		}
		v := new(big.Int).SetBytes(be)
		if v.BitLen() <= 30 {
			d.Failf("scale: non-canonical compact %s", v)
		}
		return v
	}
}

// Compact reads a compact integer that must fit a u64. It does not allocate.
func (d *Decoder) Compact() uint64 {
	if d.err != nil || d.off >= len(d.buf) {
		d.U8() // records the short-input error
		return 0
	}
	first := d.buf[d.off]
	switch first & 3 {
	case 0:
		d.off++
		return uint64(first >> 2)
	case 1:
		if d.off+2 > len(d.buf) {
			break
		}
		v := uint64(first)>>2 | uint64(d.buf[d.off+1])<<6
		if v < 1<<6 {
			d.Failf("scale: non-canonical compact %d", v)
			return 0
		}
		d.off += 2
		return v
	case 2:
		if d.off+4 > len(d.buf) {
			break
		}
		v := uint64(binary.LittleEndian.Uint32(d.buf[d.off:])) >> 2
		if v < 1<<14 {
			d.Failf("scale: non-canonical compact %d", v)
			return 0
		}
		d.off += 4
		return v
	}
	if first&3 != 3 || first>>2 > 4 {
		v := d.CompactBig() // modes 0..2 are cheap; >8-byte big ints overflow below
		if d.err != nil {
			return 0
		}
		if !v.IsUint64() {
			d.Failf("scale: compact %s overflows u64", v)
			return 0
		}
		return v.Uint64()
	}
	d.off++
	n := int(first>>2) + 4
	b := d.Bytes(n)
	if b == nil {
		return 0
	}
	if b[n-1] == 0 {
		d.Failf("scale: non-canonical big compact (top byte zero)")
		return 0
	}
	var v uint64
	for i := n - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	if v < 1<<30 {
		d.Failf("scale: non-canonical compact %d", v)
		return 0
	}
	return v
}

// CompactU16 reads a compact integer that must fit a u16.
func (d *Decoder) CompactU16() uint16 {
	v := d.Compact()
	if v > math.MaxUint16 {
		d.Failf("scale: compact %d overflows u16", v)
		return 0
	}
	return uint16(v)
}

// Len reads a vector length (a compact) and checks it against the bytes
// left, assuming each element takes at least minElem bytes.
func (d *Decoder) Len(minElem int) int {
	v := d.Compact()
	if d.err != nil {
		return 0
	}
	if minElem < 1 {
		minElem = 1
	}
	if v > MaxLen || v*uint64(minElem) > uint64(d.Remaining()) {
		d.Failf("scale: vector length %d does not fit the %d bytes left", v, d.Remaining())
		return 0
	}
	return int(v)
}

// ByteVec reads a Vec<u8>.
func (d *Decoder) ByteVec() []byte {
	n := d.Len(1)
	return d.Bytes(n)
}

// AccountID is a 32-byte substrate account id (a public key).
type AccountID [32]byte

// AccountID reads 32 raw bytes.
func (d *Decoder) AccountID() AccountID {
	var a AccountID
	copy(a[:], d.Bytes(32))
	return a
}

// Encoder appends SCALE values to a byte slice.
type Encoder struct{ Buf []byte }

// U8 appends a byte.
func (e *Encoder) U8(v uint8) { e.Buf = append(e.Buf, v) }

// U16 appends a little-endian u16.
func (e *Encoder) U16(v uint16) { e.Buf = binary.LittleEndian.AppendUint16(e.Buf, v) }

// U32 appends a little-endian u32.
func (e *Encoder) U32(v uint32) { e.Buf = binary.LittleEndian.AppendUint32(e.Buf, v) }

// U64 appends a little-endian u64.
func (e *Encoder) U64(v uint64) { e.Buf = binary.LittleEndian.AppendUint64(e.Buf, v) }

// Bool appends a bool.
func (e *Encoder) Bool(v bool) {
	if v {
		e.U8(1)
	} else {
		e.U8(0)
	}
}

// Compact appends v in compact form.
func (e *Encoder) Compact(v uint64) {
	switch {
	case v < 1<<6:
		e.U8(uint8(v << 2))
	case v < 1<<14:
		e.U16(uint16(v<<2 | 1))
	case v < 1<<30:
		e.U32(uint32(v<<2 | 2))
	default:
		n := 0
		for x := v; x > 0; x >>= 8 {
			n++
		}
		e.U8(uint8((n-4)<<2 | 3))
		for i := 0; i < n; i++ {
			e.U8(uint8(v >> (8 * i)))
		}
	}
}
