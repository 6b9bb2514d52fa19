package scale

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"

	"golang.org/x/crypto/blake2b"
)

// SS58Prefix is the address format of Bittensor (the generic substrate prefix).
const SS58Prefix = 42

const b58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

func ss58Checksum(payload []byte) []byte {
	h, _ := blake2b.New512(nil)
	h.Write([]byte("SS58PRE"))
	h.Write(payload)
	return h.Sum(nil)[:2]
}

// SS58 returns the account's SS58 address with prefix 42 ("5...").
func (a AccountID) SS58() string { return EncodeSS58(a, SS58Prefix) }

// String returns the SS58 address.
func (a AccountID) String() string { return a.SS58() }

// EncodeSS58 encodes a 32-byte account id with a one-byte network prefix (0..63).
func EncodeSS58(a AccountID, prefix uint8) string {
	payload := append([]byte{prefix & 63}, a[:]...)
	payload = append(payload, ss58Checksum(payload)...)
	return base58(payload)
}

// DecodeSS58 parses an SS58 address with a one-byte prefix and returns the
// account id and prefix, checking the checksum.
func DecodeSS58(s string) (AccountID, uint8, error) {
	var a AccountID
	raw, err := unbase58(s)
	if err != nil {
		return a, 0, err
	}
	if len(raw) != 35 {
		return a, 0, fmt.Errorf("ss58: %q decodes to %d bytes, want 35", s, len(raw))
	}
	if raw[0] > 63 {
		return a, 0, fmt.Errorf("ss58: two-byte prefixes are not supported")
	}
	if !bytes.Equal(ss58Checksum(raw[:33]), raw[33:]) {
		return a, 0, fmt.Errorf("ss58: bad checksum in %q", s)
	}
	copy(a[:], raw[1:33])
	return a, raw[0], nil
}

func base58(b []byte) string {
	x := new(big.Int).SetBytes(b)
	base, mod := big.NewInt(58), new(big.Int)
	var out []byte
	for x.Sign() > 0 {
		x.DivMod(x, base, mod)
		out = append(out, b58Alphabet[mod.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, b58Alphabet[0])
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func unbase58(s string) ([]byte, error) {
	if s == "" || len(s) > 64 {
		return nil, errors.New("ss58: empty or too long address")
	}
	x := new(big.Int)
	base := big.NewInt(58)
	zeros := 0
	leading := true
	for _, c := range []byte(s) {
		i := bytes.IndexByte([]byte(b58Alphabet), c)
		if i < 0 {
			return nil, fmt.Errorf("ss58: invalid base58 character %q", c)
		}
		if leading && i == 0 {
			zeros++
		} else {
			leading = false
		}
		x.Mul(x, base)
		x.Add(x, big.NewInt(int64(i)))
	}
	return append(make([]byte, zeros), x.Bytes()...), nil
}
