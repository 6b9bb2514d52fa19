package hparams

import (
	"math"
	"math/big"
	"strings"

	"github.com/yuma-go/yuma/internal/badinput"
)

// btcliScale is the divisor btcli v9 applies in the "normalised" column of
// `btcli subnets hyperparameters`, per chain name; 0 means btcli shows the raw
// value. Two of them are display bugs: bonds_moving_avg is divided by
// 2^64 - 1 (the chain divides by 1e6) and alpha_sigmoid_steepness by 65535
// (the chain divides by 100).
func btcliScale(name string) *big.Float {
	switch name {
	case "bonds_moving_average":
		return new(big.Float).SetFloat64(math.MaxUint64) // 2^64 - 1, within float precision
	case "kappa", "alpha_low", "alpha_high", "max_weights_limit", "alpha_sigmoid_steepness", "bonds_penalty":
		return big.NewFloat(65535)
	case "min_burn", "max_burn":
		return big.NewFloat(1e9)
	}
	return nil
}

// FromBtcli converts the value btcli prints in its normalised column back to
// the raw chain integer, so that btcli's display pitfalls can be undone:
// bonds_moving_avg 4.878909776e-14 is raw 900000 (an EMA retention of 0.9).
// Values btcli shows raw are parsed as raw values.
func FromBtcli(p Param, shown, field string) (int64, error) {
	sc := btcliScale(p.Name)
	if sc == nil {
		return ParseRaw(p, shown, field)
	}
	v := strings.TrimSpace(shown)
	f, ok := new(big.Float).SetPrec(200).SetString(v)
	if !ok || f.IsInf() {
		return 0, badinput.New("", "", field, "%q is not a number", shown)
	}
	f.Mul(f, sc)
	r, _ := f.Rat(nil)
	raw, ok := roundHalfUp(r)
	if !ok {
		return 0, badinput.New("", "", field, "%s is out of range", v)
	}
	return checkBounds(p, raw, field)
}
