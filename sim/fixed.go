package sim

import "fmt"

// Fixed reports scheduled weights: entry k applies from epoch From[k] (row Rows[k]) until
// the next entry. It expresses every hand-written case of the yuma-simulation
// catalogue (peers-and-paper.md section 2.4).
type Fixed struct {
	From []int       // increasing, From[0] == 0
	Rows [][]float64 // one row per entry, one value per miner
}

// Weights implements Strategy.
func (f Fixed) Weights(_ *History, t int, dst []float64) {
	k := len(f.From) - 1
	for k > 0 && f.From[k] > t {
		k--
	}
	copy(dst, f.Rows[k])
}

func compileFixed(c checker, field string, sched []WeightsAt, miners int) (Fixed, error) {
	if len(sched) == 0 {
		return Fixed{}, c.errf(field, "at least one {from, weights} entry is required for strategy type fixed")
	}
	var f Fixed
	for k, e := range sched {
		ef := fmt.Sprintf("%s[%d]", field, k)
		if k == 0 && e.From != 0 {
			return Fixed{}, c.errf(ef+".from", "the first entry must start at epoch 0, got %d", e.From)
		}
		if k > 0 && e.From <= sched[k-1].From {
			return Fixed{}, c.errf(ef+".from", "epochs must increase, got %d after %d", e.From, sched[k-1].From)
		}
		w, err := compileWeights(c, ef+".weights", e.Weights, miners)
		if err != nil {
			return Fixed{}, err
		}
		f.From = append(f.From, e.From)
		f.Rows = append(f.Rows, w)
	}
	return f, nil
}
