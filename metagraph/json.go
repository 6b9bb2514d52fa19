package metagraph

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/internal/atomicfile"
	"github.com/yuma-go/yuma/internal/badinput"
)

// MaxUIDs is the largest subnet size a snapshot may declare (u16 uid space).
const MaxUIDs = 65536

// MaxFileSize bounds how many (decompressed) bytes a snapshot reader accepts,
// so a hostile gzip bomb cannot exhaust memory.
const MaxFileSize = 512 << 20

// MarshalJSON encodes a row as [uid, [[dest, u16], ...]].
func (r Row) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 16+len(r.Entries)*12)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(r.UID), 10)
	b = append(b, ",["...)
	for i, e := range r.Entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(e[0]), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(e[1]), 10)
		b = append(b, ']')
	}
	return append(b, "]]"...), nil
}

// UnmarshalJSON decodes a row from [uid, [[dest, u16], ...]] (a hand-written
// scanner: rows are most of a snapshot and encoding/json's generic path is
// several times slower).
func (r *Row) UnmarshalJSON(data []byte) error {
	p := rowParser{b: data}
	if !p.lit('[') {
		return p.fail("row must be [uid, [[dest, value], ...]]")
	}
	uid, ok := p.int()
	if !ok || !p.lit(',') || !p.lit('[') {
		return p.fail("row must be [uid, [[dest, value], ...]]")
	}
	var entries []Entry
	if !p.lit(']') {
		for {
			if !p.lit('[') {
				return p.fail(fmt.Sprintf("row %d entries must be [dest, value] pairs", uid))
			}
			d, ok1 := p.int()
			c := p.lit(',')
			v, ok2 := p.int()
			if !ok1 || !c || !ok2 || !p.lit(']') {
				return p.fail(fmt.Sprintf("row %d entries must be [dest, value] pairs of integers", uid))
			}
			entries = append(entries, Entry{d, v})
			if p.lit(']') {
				break
			}
			if !p.lit(',') {
				return p.fail(fmt.Sprintf("row %d: expected , or ] between entries", uid))
			}
		}
	}
	if !p.lit(']') {
		return p.fail("row must have 2 elements [uid, entries]")
	}
	p.ws()
	if p.i != len(p.b) {
		return p.fail("trailing data in row")
	}
	r.UID, r.Entries = uid, entries
	return nil
}

type rowParser struct {
	b []byte
	i int
}

func (p *rowParser) ws() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\n' || p.b[p.i] == '\t' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *rowParser) lit(c byte) bool {
	p.ws()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// int reads a JSON integer within +-2^53 (no fraction or exponent).
func (p *rowParser) int() (int, bool) {
	p.ws()
	neg := false
	if p.i < len(p.b) && p.b[p.i] == '-' {
		neg = true
		p.i++
	}
	start := p.i
	v := 0
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		if p.i-start >= 16 {
			return 0, false
		}
		v = v*10 + int(p.b[p.i]-'0')
		p.i++
	}
	if p.i == start || (p.b[start] == '0' && p.i-start > 1) {
		return 0, false
	}
	if p.i < len(p.b) && (p.b[p.i] == '.' || p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func (p *rowParser) fail(msg string) error {
	return fmt.Errorf("%s (at byte %d of the row)", msg, p.i)
}

// Validate checks the snapshot's internal consistency and returns a
// *badinput.Error naming file (which may be empty), the field and the reason.
func (s *Snapshot) Validate(file string) error {
	loc := fmt.Sprintf("netuid %d block %d", s.Netuid, s.Block)
	bad := func(field, format string, args ...any) error {
		return badinput.New(file, loc, field, format, args...)
	}
	if s.Netuid < 0 || s.Netuid > math.MaxUint16 {
		return bad("netuid", "%d is outside 0..65535", s.Netuid)
	}
	if s.N < 0 || s.N > MaxUIDs {
		return bad("n", "%d is outside 0..%d", s.N, MaxUIDs)
	}
	lens := []struct {
		name string
		l    int
		nil_ bool
	}{
		{"hotkeys", len(s.Hotkeys), s.Hotkeys == nil},
		{"stake", len(s.Stake), s.Stake == nil},
		{"validator_permit", len(s.ValidatorPermit), s.ValidatorPermit == nil},
		{"last_update", len(s.LastUpdate), s.LastUpdate == nil},
		{"block_at_registration", len(s.BlockAtRegistration), s.BlockAtRegistration == nil},
		{"active", len(s.Active), s.Active == nil},
		{"consensus", len(s.Consensus), s.Consensus == nil},
		{"incentive", len(s.Incentive), s.Incentive == nil},
		{"dividends", len(s.Dividends), s.Dividends == nil},
		{"validator_trust", len(s.ValidatorTrust), s.ValidatorTrust == nil},
		{"emission", len(s.Emission), s.Emission == nil},
	}
	for _, f := range lens {
		if !f.nil_ && f.l != s.N {
			return bad(f.name, "has %d values, want n = %d (one per uid)", f.l, s.N)
		}
	}
	for i, v := range s.Stake {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return bad(fmt.Sprintf("stake[%d]", i), "%v is not a finite non-negative number", v)
		}
	}
	if err := validateRows(s.Weights, s.N, "weights", bad); err != nil {
		return err
	}
	if err := validateRows(s.Bonds, s.N, "bonds", bad); err != nil {
		return err
	}
	switch s.YumaVersion {
	case "", "yuma2", "yuma3":
	default:
		return bad("yuma_version", "%q is not yuma2 or yuma3", s.YumaVersion)
	}
	return nil
}

func validateRows(rows []Row, n int, name string, bad func(field, format string, args ...any) error) error {
	seenRow := make([]bool, n)
	var seenDest []int32 // seenDest[j] == row index + 1 when row ri already has dest j
	if n > 0 {
		seenDest = make([]int32, n)
	}
	for ri, r := range rows {
		if r.UID < 0 || r.UID >= n {
			return bad(fmt.Sprintf("%s[%d]", name, ri), "uid %d is not registered (n = %d)", r.UID, n)
		}
		if seenRow[r.UID] {
			return bad(fmt.Sprintf("%s[%d]", name, ri), "uid %d has a second row", r.UID)
		}
		seenRow[r.UID] = true
		for ei, e := range r.Entries {
			if e[0] < 0 || e[0] >= n {
				return bad(entryField(name, ri, r.UID, ei), "destination uid %d is not registered (n = %d)", e[0], n)
			}
			if e[1] < 0 || e[1] > math.MaxUint16 {
				return bad(entryField(name, ri, r.UID, ei), "value %d is outside u16 0..65535", e[1])
			}
			if seenDest[e[0]] == int32(ri+1) {
				return bad(entryField(name, ri, r.UID, ei), "destination uid %d appears twice", e[0])
			}
			seenDest[e[0]] = int32(ri + 1)
		}
	}
	return nil
}

func entryField(name string, ri, uid, ei int) string {
	return fmt.Sprintf("%s[%d] (uid %d) entry %d", name, ri, uid, ei)
}

// DecodeSnapshot reads one snapshot from r, which may be plain JSON or gzip
// compressed JSON (detected by its magic bytes), and validates it. name is used
// in error messages. Every problem with the content is a *badinput.Error.
func DecodeSnapshot(r io.Reader, name string) (*Snapshot, error) {
	data, err := readMaybeGzip(r, name)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		return nil, jsonError(name, data, err)
	}
	if dec.More() {
		return nil, badinput.New(name, "", "", "trailing data after the snapshot object")
	}
	if err := s.Validate(name); err != nil {
		return nil, err
	}
	return &s, nil
}

// readMaybeGzip returns the whole (decompressed) content of r, capped at MaxFileSize.
func readMaybeGzip(r io.Reader, name string) ([]byte, error) {
	br := bufio.NewReader(r)
	magic, _ := br.Peek(2)
	var src io.Reader = br
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, badinput.New(name, "", "gzip", "corrupt gzip header: %v", err)
		}
		defer zr.Close()
		src = zr
	}
	data, err := io.ReadAll(io.LimitReader(src, MaxFileSize+1))
	if err != nil {
		if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "flate") {
			return nil, badinput.New(name, "", "gzip", "corrupt or truncated gzip stream: %v", err)
		}
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxFileSize {
		return nil, badinput.New(name, "", "", "file is larger than %d bytes", MaxFileSize)
	}
	return data, nil
}

// jsonError turns a decoding error into a *badinput.Error with a line number.
func jsonError(name string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return badinput.New(name, lineOf(data, se.Offset), "", "invalid JSON: %v", err)
	case errors.As(err, &te):
		return badinput.New(name, lineOf(data, te.Offset), te.Field, "wrong type: %v", err)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return badinput.New(name, "", "", "truncated JSON (unexpected end of file)")
	default:
		return badinput.New(name, "", "", "invalid snapshot: %v", err)
	}
}

func lineOf(data []byte, off int64) string {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	return fmt.Sprintf("line %d", bytes.Count(data[:off], []byte{'\n'})+1)
}

// EncodeSnapshot writes s as JSON (one object, newline terminated).
func EncodeSnapshot(w io.Writer, s *Snapshot) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode snapshot netuid %d block %d: %w", s.Netuid, s.Block, err)
	}
	data = append(data, '\n')
	_, err = w.Write(data)
	return err
}

// ReadSnapshotFile reads and validates a snapshot file (.json, or gzip
// compressed, whatever its extension).
func ReadSnapshotFile(path string) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, badinput.New(path, "", "", "file does not exist")
		}
		return nil, fmt.Errorf("open snapshot: %w", err)
	}
	defer f.Close()
	return DecodeSnapshot(f, path)
}

// WriteSnapshotFile validates s and writes it atomically to path; a path
// ending in ".gz" is gzip compressed.
func WriteSnapshotFile(path string, s *Snapshot) error {
	if err := s.Validate(path); err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		if strings.HasSuffix(path, ".gz") {
			zw := gzip.NewWriter(w)
			if err := EncodeSnapshot(zw, s); err != nil {
				return err
			}
			return zw.Close()
		}
		return EncodeSnapshot(w, s)
	})
}
