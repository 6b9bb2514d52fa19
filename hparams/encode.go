package hparams

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/yuma-go/yuma/internal/badinput"
)

// scale returns the factor between the human value and the raw integer, or 0
// when the encoding is an integer or a bool.
func (e Encoding) scale() int64 {
	switch e {
	case U16Fraction:
		return 65535
	case PartsPerMillion:
		return 1_000_000
	case Steepness:
		return 100
	case Rao:
		return 1_000_000_000
	case Milli:
		return 1000
	}
	return 0
}

// fraction reports whether the human value must lie in [0, 1].
func (e Encoding) fraction() bool { return e == U16Fraction || e == PartsPerMillion }

// Encode converts a human value (a decimal such as "0.1", an integer, or
// true/false) to the raw chain integer. Fractions are rounded half up on the
// exact decimal, so alpha_low 0.1 gives 6554 and 0.7 gives 45875. Bad values
// return a *badinput.Error naming field.
func Encode(p Param, value, field string) (int64, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, badinput.New("", "", field, "empty value")
	}
	if p.Encoding == Bool {
		return parseBool(v, field)
	}
	s := p.Encoding.scale()
	if s == 0 {
		return ParseRaw(p, v, field)
	}
	if len(v) > 64 || hugeExponent(v) {
		return 0, badinput.New("", "", field, "%.40q is out of range", v)
	}
	r, ok := new(big.Rat).SetString(v)
	if !ok || strings.ContainsAny(v, "/") {
		return 0, badinput.New("", "", field, "%q is not a decimal number", value)
	}
	if p.Encoding.fraction() && (r.Sign() < 0 || r.Cmp(big.NewRat(1, 1)) > 0) {
		return 0, badinput.New("", "", field, "%s must be a proportion in [0, 1], got %s", p.Name, v)
	}
	r.Mul(r, big.NewRat(s, 1))
	raw, ok := roundHalfUp(r)
	if !ok {
		return 0, badinput.New("", "", field, "%s is out of range", v)
	}
	return checkBounds(p, raw, field)
}

// hugeExponent reports a decimal exponent beyond +-40, which no hyperparameter
// needs and which would make exact rational arithmetic slow.
func hugeExponent(v string) bool {
	i := strings.IndexAny(v, "eE")
	if i < 0 {
		return false
	}
	e, err := strconv.Atoi(v[i+1:])
	return err != nil || e > 40 || e < -40
}

// roundHalfUp rounds r to the nearest integer, halves away from zero (the
// guide's "0.1 x 65535 = 6553.5 -> 6554"). ok is false when it does not fit an int64.
func roundHalfUp(r *big.Rat) (int64, bool) {
	num := new(big.Int).Abs(r.Num())
	den := r.Denom()
	// floor((2|num| + den) / (2 den))
	t := new(big.Int).Mul(num, big.NewInt(2))
	t.Add(t, den)
	t.Quo(t, new(big.Int).Mul(den, big.NewInt(2)))
	if r.Sign() < 0 {
		t.Neg(t)
	}
	if !t.IsInt64() {
		return 0, false
	}
	return t.Int64(), true
}

// ParseRaw parses a raw chain integer (or true/false for bools) and checks it
// fits the parameter's chain type.
func ParseRaw(p Param, value, field string) (int64, error) {
	v := strings.TrimSpace(value)
	if p.Encoding == Bool {
		return parseBool(v, field)
	}
	raw, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, badinput.New("", "", field, "%s does not fit a %s", v, p.Type)
		}
		return 0, badinput.New("", "", field, "%q is not an integer raw value (use `yuma hparams encode` for decimals)", value)
	}
	return checkBounds(p, raw, field)
}

func checkBounds(p Param, raw int64, field string) (int64, error) {
	lo, hi := p.Bounds()
	if raw < lo || raw > hi {
		return 0, badinput.New("", "", field, "raw value %d is outside the %s range %d..%d", raw, p.Type, lo, hi)
	}
	return raw, nil
}

func parseBool(v, field string) (int64, error) {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on":
		return 1, nil
	case "false", "0", "no", "off":
		return 0, nil
	}
	return 0, badinput.New("", "", field, "%q is not a boolean (true/false/1/0)", v)
}

// Decode converts a raw chain integer to its human value: a float64 for scaled
// encodings, a bool for flags and an int64 otherwise.
func Decode(p Param, raw int64) any {
	if p.Encoding == Bool {
		return raw != 0
	}
	if s := p.Encoding.scale(); s != 0 {
		return float64(raw) / float64(s)
	}
	return raw
}

// Format renders a decoded value compactly ("0.1000076", "true", "360").
func Format(v any) string {
	switch x := v.(type) {
	case float64:
		if math.Trunc(x) == x && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return strconv.FormatFloat(x, 'g', 10, 64)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return ""
}

// ParseAssignment splits "NAME=VALUE" and looks the name up. The field of any
// error is the argument itself.
func ParseAssignment(arg string) (Param, string, error) {
	name, value, ok := strings.Cut(arg, "=")
	if !ok {
		return Param{}, "", badinput.New("", "", arg, "expected NAME=VALUE")
	}
	p, found := Lookup(name)
	if !found {
		return Param{}, "", badinput.New("", "", name, "unknown hyperparameter (see `yuma hparams list`)")
	}
	return p, value, nil
}
