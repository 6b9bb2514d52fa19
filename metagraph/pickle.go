package metagraph

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/pytorch"
	"github.com/nlpodyssey/gopickle/types"

	"github.com/yuma-go/yuma/internal/badinput"
)

// ReadPT reads a Python-saved metagraph: a torch.save zip (".pt") or a plain
// pickle, holding a dict in one of two layouts:
//
//   - the yuma-simulation layout {netuid, block, S, W, hotkeys} (float stake,
//     row-normalised float weights);
//   - the bittensor SDK's Metagraph.state_dict() {netuid, block, n, stake,
//     weights, bonds, last_update, validator_permit, active, consensus,
//     incentive, dividends, validator_trust, emission, ...}.
//
// Values may be numpy arrays or torch tensors. Float weights are converted to
// u16 rows with FloatRowToU16; SDK bonds (raw u16 stored as floats) are
// rounded; u16-fraction outputs (consensus, incentive, dividends,
// validator_trust) are scaled back by 65535; emission (TAO) becomes rao.
// Pickled dataclasses (axons, neurons) are ignored. Every problem with the
// file is a *badinput.Error.
func ReadPT(path string) (s *Snapshot, err error) {
	defer func() {
		if r := recover(); r != nil { // gopickle panics on some malformed input
			s, err = nil, badinput.New(path, "", "pickle", "corrupt pickle: %v", r)
		}
	}()
	raw, err := loadPickle(path)
	if err != nil {
		return nil, err
	}
	d, ok := raw.(*types.Dict)
	if !ok {
		return nil, badinput.New(path, "", "", "top-level object is %T, want a dict", raw)
	}
	return fromPickleDict(path, d)
}

func loadPickle(path string) (any, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, badinput.New(path, "", "", "file does not exist")
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	head := make([]byte, 4)
	nh, _ := io.ReadFull(f, head)
	f.Close()
	if nh == 4 && bytes.Equal(head, []byte("PK\x03\x04")) {
		if _, err := zip.OpenReader(path); err != nil {
			return nil, badinput.New(path, "", "zip", "corrupt or truncated torch zip: %v", err)
		}
		v, err := pytorch.LoadWithUnpickler(path, func(r io.Reader) pickle.Unpickler {
			u := pickle.NewUnpickler(r)
			u.FindClass = findNumpyClass
			return u
		})
		if err != nil {
			return nil, badinput.New(path, "", "pickle", "cannot read torch file: %v", err)
		}
		return v, nil
	}
	f, err = os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	u := pickle.NewUnpickler(io.LimitReader(f, MaxFileSize))
	u.FindClass = findNumpyClass
	v, err := u.Load()
	if err != nil {
		return nil, badinput.New(path, "", "pickle", "cannot read pickle: %v", err)
	}
	return v, nil
}

// findNumpyClass resolves the numpy and codecs globals a pickled metagraph uses.
func findNumpyClass(module, name string) (any, error) {
	switch module + "." + name {
	case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
		return callable(func(args ...any) (any, error) { return &ndarray{}, nil }), nil
	case "numpy.dtype":
		return callable(func(args ...any) (any, error) {
			if len(args) < 1 {
				return nil, errors.New("numpy.dtype: missing type code")
			}
			code, ok := args[0].(string)
			if !ok {
				return nil, fmt.Errorf("numpy.dtype: type code is %T", args[0])
			}
			return &dtype{code: code, order: "<"}, nil
		}), nil
	case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar":
		return callable(func(args ...any) (any, error) {
			if len(args) < 2 {
				return nil, errors.New("numpy scalar: want (dtype, data)")
			}
			dt, ok := args[0].(*dtype)
			if !ok {
				return nil, fmt.Errorf("numpy scalar: dtype is %T", args[0])
			}
			b, err := asBytes(args[1])
			if err != nil {
				return nil, err
			}
			v, err := dt.decode(b)
			if err != nil || len(v) != 1 {
				return nil, fmt.Errorf("numpy scalar: %v", err)
			}
			return v[0], nil
		}), nil
	case "_codecs.encode":
		return callable(func(args ...any) (any, error) {
			if len(args) < 1 {
				return nil, errors.New("_codecs.encode: missing argument")
			}
			return asBytes(args[0])
		}), nil
	}
	return opaqueClass{}, nil
}

// opaqueClass stands for any other pickled class (the SDK's AxonInfo and
// NeuronInfo dataclasses, ...): its instances accept and drop whatever state
// the pickle gives them, so such fields are skipped instead of failing.
type opaqueClass struct{}

// Call implements types.Callable.
func (opaqueClass) Call(...any) (any, error) { return &opaque{}, nil }

// PyNew implements types.PyNewable.
func (opaqueClass) PyNew(...any) (any, error) { return &opaque{}, nil }

type opaque struct{}

// PySetState implements types.PyStateSettable.
func (*opaque) PySetState(any) error { return nil }

// PyDictSet implements types.PyDictSettable.
func (*opaque) PyDictSet(any, any) error { return nil }

// PySetAttr implements types.PyAttrSettable.
func (*opaque) PySetAttr(string, any) error { return nil }

type callable func(args ...any) (any, error)

// Call implements types.Callable.
func (c callable) Call(args ...any) (any, error) { return c(args...) }

// asBytes accepts a bytes value or a latin-1 decoded string (how numpy's
// pickles carry raw data under protocol 2).
func asBytes(v any) ([]byte, error) {
	switch x := v.(type) {
	case []byte:
		return x, nil
	case string:
		b := make([]byte, 0, len(x))
		for _, r := range x {
			if r > 255 {
				return nil, fmt.Errorf("latin-1 data holds rune %U", r)
			}
			b = append(b, byte(r))
		}
		return b, nil
	default:
		return nil, fmt.Errorf("raw data is %T, want bytes", v)
	}
}

type dtype struct {
	code  string // "f4", "i8", "b1", ...
	order string // "<" or ">" or "|"
}

// PySetState reads numpy.dtype's pickled state (its byte order).
func (d *dtype) PySetState(state any) error {
	t, ok := state.(*types.Tuple)
	if !ok || t.Len() < 2 {
		return fmt.Errorf("numpy.dtype state is %T", state)
	}
	if o, ok := t.Get(1).(string); ok {
		d.order = o
	}
	return nil
}

func (d *dtype) decode(b []byte) ([]float64, error) {
	var bo binary.ByteOrder = binary.LittleEndian
	if d.order == ">" {
		bo = binary.BigEndian
	}
	size := map[string]int{"f4": 4, "f8": 8, "f2": 2, "i8": 8, "i4": 4, "i2": 2, "i1": 1, "u8": 8, "u4": 4, "u2": 2, "u1": 1, "b1": 1}[d.code]
	if size == 0 {
		return nil, fmt.Errorf("unsupported numpy dtype %q", d.code)
	}
	if len(b)%size != 0 {
		return nil, fmt.Errorf("numpy data of %d bytes is not a multiple of %s's %d", len(b), d.code, size)
	}
	out := make([]float64, len(b)/size)
	for i := range out {
		p := b[i*size : (i+1)*size]
		switch d.code {
		case "f4":
			out[i] = float64(math.Float32frombits(bo.Uint32(p)))
		case "f8":
			out[i] = math.Float64frombits(bo.Uint64(p))
		case "f2":
			out[i] = halfToFloat(bo.Uint16(p))
		case "i8":
			out[i] = float64(int64(bo.Uint64(p)))
		case "i4":
			out[i] = float64(int32(bo.Uint32(p)))
		case "i2":
			out[i] = float64(int16(bo.Uint16(p)))
		case "i1":
			out[i] = float64(int8(p[0]))
		case "u8":
			out[i] = float64(bo.Uint64(p))
		case "u4":
			out[i] = float64(bo.Uint32(p))
		case "u2":
			out[i] = float64(bo.Uint16(p))
		case "u1", "b1":
			out[i] = float64(p[0])
		}
	}
	return out, nil
}

func halfToFloat(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * frac * math.Pow(2, -24)
	case 31:
		if frac == 0 {
			return sign * math.Inf(1)
		}
		return math.NaN()
	}
	return sign * (1 + frac/1024) * math.Pow(2, float64(exp-15))
}

// ndarray is a decoded numpy array: its shape and values as float64.
type ndarray struct {
	shape []int
	data  []float64
}

// PySetState reads numpy.ndarray's pickled state: (version, shape, dtype,
// fortran order, raw data).
func (a *ndarray) PySetState(state any) error {
	t, ok := state.(*types.Tuple)
	if !ok || t.Len() < 5 {
		return fmt.Errorf("numpy.ndarray state is %T, want a 5-tuple", state)
	}
	st, ok := t.Get(1).(*types.Tuple)
	if !ok {
		return fmt.Errorf("numpy.ndarray shape is %T", t.Get(1))
	}
	count := 1
	for i := 0; i < st.Len(); i++ {
		d, ok := st.Get(i).(int)
		if !ok || d < 0 || d > MaxUIDs {
			return fmt.Errorf("numpy.ndarray shape[%d] = %v is invalid", i, st.Get(i))
		}
		a.shape = append(a.shape, d)
		count *= d
	}
	dt, ok := t.Get(2).(*dtype)
	if !ok {
		return fmt.Errorf("numpy.ndarray dtype is %T", t.Get(2))
	}
	if fortran, _ := t.Get(3).(bool); fortran && len(a.shape) > 1 {
		return errors.New("numpy.ndarray in Fortran order is not supported")
	}
	b, err := asBytes(t.Get(4))
	if err != nil {
		return fmt.Errorf("numpy.ndarray: %w", err)
	}
	a.data, err = dt.decode(b)
	if err != nil {
		return err
	}
	if len(a.data) != count {
		return fmt.Errorf("numpy.ndarray has %d values for shape %v", len(a.data), a.shape)
	}
	return nil
}

// toFloats flattens a numpy array, torch tensor, list or scalar.
func toFloats(v any) (vals []float64, shape []int, err error) {
	switch x := v.(type) {
	case *ndarray:
		return x.data, x.shape, nil
	case *pytorch.Tensor:
		return tensorFloats(x)
	case *types.List:
		out := make([]float64, 0, x.Len())
		for i := 0; i < x.Len(); i++ {
			f, ok := scalar(x.Get(i))
			if !ok {
				return nil, nil, fmt.Errorf("list element %d is %T", i, x.Get(i))
			}
			out = append(out, f)
		}
		return out, []int{len(out)}, nil
	}
	if f, ok := scalar(v); ok {
		return []float64{f}, nil, nil
	}
	return nil, nil, fmt.Errorf("value is %T, want an array", v)
}

func scalar(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func tensorFloats(t *pytorch.Tensor) ([]float64, []int, error) {
	count := 1
	for _, d := range t.Size {
		count *= d
	}
	get := func(i int) (float64, error) { return 0, fmt.Errorf("unsupported tensor storage %T", t.Source) }
	switch s := t.Source.(type) {
	case *pytorch.FloatStorage:
		get = func(i int) (float64, error) { return float64(s.Data[i]), nil }
	case *pytorch.DoubleStorage:
		get = func(i int) (float64, error) { return s.Data[i], nil }
	case *pytorch.LongStorage:
		get = func(i int) (float64, error) { return float64(s.Data[i]), nil }
	case *pytorch.IntStorage:
		get = func(i int) (float64, error) { return float64(s.Data[i]), nil }
	case *pytorch.BoolStorage:
		get = func(i int) (float64, error) {
			if s.Data[i] {
				return 1, nil
			}
			return 0, nil
		}
	case *pytorch.HalfStorage:
		get = func(i int) (float64, error) { return float64(s.Data[i]), nil }
	}
	out := make([]float64, count)
	// Walk the (possibly strided) tensor in row-major order.
	idx := make([]int, len(t.Size))
	for k := 0; k < count; k++ {
		off := t.StorageOffset
		for d := range idx {
			off += idx[d] * t.Stride[d]
		}
		v, err := get(off)
		if err != nil {
			return nil, nil, err
		}
		out[k] = v
		for d := len(idx) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < t.Size[d] {
				break
			}
			idx[d] = 0
		}
	}
	return out, t.Size, nil
}

func fromPickleDict(path string, d *types.Dict) (*Snapshot, error) {
	get := func(key string) (any, bool) { return d.Get(key) }
	bad := func(field, format string, args ...any) error { return badinput.New(path, "", field, format, args...) }
	intOf := func(key string) (int64, error) {
		v, ok := get(key)
		if !ok {
			return 0, bad(key, "missing")
		}
		f, _, err := toFloats(v)
		if err != nil || len(f) != 1 || f[0] < 0 || f[0] != math.Trunc(f[0]) {
			return 0, bad(key, "want one non-negative integer (%v)", err)
		}
		return int64(f[0]), nil
	}
	netuid, err := intOf("netuid")
	if err != nil {
		return nil, err
	}
	block, err := intOf("block")
	if err != nil {
		return nil, err
	}
	var hotkeys []string
	if hv, ok := get("hotkeys"); ok {
		l, ok := hv.(*types.List)
		if !ok {
			return nil, bad("hotkeys", "is %T, want a list of strings", hv)
		}
		for i := 0; i < l.Len(); i++ {
			s, ok := l.Get(i).(string)
			if !ok {
				return nil, bad(fmt.Sprintf("hotkeys[%d]", i), "is %T, want a string", l.Get(i))
			}
			hotkeys = append(hotkeys, s)
		}
	}
	vector := func(keys ...string) ([]float64, string, error) {
		for _, k := range keys {
			if v, ok := get(k); ok {
				f, shape, err := toFloats(v)
				if err != nil {
					return nil, k, bad(k, "%v", err)
				}
				if len(shape) != 1 {
					return nil, k, bad(k, "has shape %v, want a vector", shape)
				}
				return f, k, nil
			}
		}
		return nil, "", nil
	}
	matrix := func(key string, n int) ([][]float64, error) {
		v, ok := get(key)
		if !ok {
			return nil, nil
		}
		f, shape, err := toFloats(v)
		if err != nil {
			return nil, bad(key, "%v", err)
		}
		if len(shape) != 2 || shape[0] != n || shape[1] != n {
			return nil, bad(key, "has shape %v, want [%d %d]", shape, n, n)
		}
		m := make([][]float64, n)
		for i := range m {
			m[i] = f[i*n : (i+1)*n]
		}
		return m, nil
	}
	stake, _, err := vector("S", "stake", "total_stake")
	if err != nil {
		return nil, err
	}
	if stake == nil {
		return nil, bad("S", "missing stake (keys S or stake)")
	}
	n := len(stake)
	wKey := "W"
	if _, ok := get("W"); !ok {
		wKey = "weights"
	}
	w, err := matrix(wKey, n)
	if err != nil {
		return nil, err
	}
	if w == nil {
		w = make([][]float64, n)
		for i := range w {
			w[i] = make([]float64, n)
		}
	}
	if hotkeys != nil && len(hotkeys) != n {
		return nil, bad("hotkeys", "has %d values, want n = %d", len(hotkeys), n)
	}
	s, err := FromDense(path, int(netuid), uint64(block), stake, w, hotkeys)
	if err != nil {
		return nil, badinput.WithFile(err, path)
	}
	b, err := matrix("bonds", n)
	if err != nil {
		return nil, err
	}
	{
		for i, row := range b {
			var e []Entry
			for j, v := range row {
				if math.IsNaN(v) || v < 0 || v > 65535.5 {
					return nil, bad(fmt.Sprintf("bonds[%d][%d]", i, j), "%v is not a u16 value", v)
				}
				if q := int(math.Round(v)); q > 0 {
					e = append(e, Entry{j, q})
				}
			}
			if len(e) > 0 {
				s.Bonds = append(s.Bonds, Row{UID: i, Entries: e})
			}
		}
	}
	u16 := func(key string) ([]uint16, error) {
		f, _, err := vector(key)
		if err != nil || f == nil {
			return nil, err
		}
		if len(f) != n {
			return nil, bad(key, "has %d values, want n = %d", len(f), n)
		}
		out := make([]uint16, n)
		for i, v := range f {
			if math.IsNaN(v) || v < 0 || v > 1.0000001 {
				return nil, bad(fmt.Sprintf("%s[%d]", key, i), "%v is not a fraction in [0, 1]", v)
			}
			out[i] = uint16(math.Min(65535, math.Round(v*65535)))
		}
		return out, nil
	}
	uints := func(key string) ([]uint64, error) {
		f, _, err := vector(key)
		if err != nil || f == nil {
			return nil, err
		}
		if len(f) != n {
			return nil, bad(key, "has %d values, want n = %d", len(f), n)
		}
		out := make([]uint64, n)
		for i, v := range f {
			if math.IsNaN(v) || v < 0 || v > 1<<62 {
				return nil, bad(fmt.Sprintf("%s[%d]", key, i), "%v is not a non-negative integer", v)
			}
			out[i] = uint64(v)
		}
		return out, nil
	}
	bools := func(key string) ([]bool, error) {
		f, _, err := vector(key)
		if err != nil || f == nil {
			return nil, err
		}
		if len(f) != n {
			return nil, bad(key, "has %d values, want n = %d", len(f), n)
		}
		out := make([]bool, n)
		for i, v := range f {
			out[i] = v != 0
		}
		return out, nil
	}
	if s.Consensus, err = u16("consensus"); err != nil {
		return nil, err
	}
	if s.Incentive, err = u16("incentive"); err != nil {
		return nil, err
	}
	if s.Dividends, err = u16("dividends"); err != nil {
		return nil, err
	}
	if s.ValidatorTrust, err = u16("validator_trust"); err != nil {
		return nil, err
	}
	if s.LastUpdate, err = uints("last_update"); err != nil {
		return nil, err
	}
	if s.ValidatorPermit, err = bools("validator_permit"); err != nil {
		return nil, err
	}
	if s.Active, err = bools("active"); err != nil {
		return nil, err
	}
	if em, _, err := vector("emission"); err != nil {
		return nil, err
	} else if em != nil {
		if len(em) != n {
			return nil, bad("emission", "has %d values, want n = %d", len(em), n)
		}
		s.Emission = make([]uint64, n)
		for i, v := range em {
			if math.IsNaN(v) || v < 0 || v > 1e9 {
				return nil, bad(fmt.Sprintf("emission[%d]", i), "%v is not a TAO amount", v)
			}
			s.Emission[i] = uint64(math.Round(v * 1e9))
		}
	}
	if err := s.Validate(path); err != nil {
		return nil, err
	}
	return s, nil
}
