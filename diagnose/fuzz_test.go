package diagnose

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"testing"

	"github.com/yuma-go/yuma/internal/badinput"
	"github.com/yuma-go/yuma/metagraph"
)

// FuzzRun builds a small history from arbitrary bytes (stakes, weights,
// last_update and registration blocks, permits) and runs a tiny grid: the
// diagnostic must either succeed or return a *badinput.Error, never panic or
// fail internally.
func FuzzRun(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0})
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, data []byte) {
		next := func() uint64 {
			if len(data) < 2 {
				return 0
			}
			v := uint64(binary.LittleEndian.Uint16(data))
			data = data[2:]
			return v
		}
		const n, epochs = 4, 4
		var snaps []*metagraph.Snapshot
		for e := 0; e < epochs; e++ {
			block := uint64(1000 + 100*e)
			s := &metagraph.Snapshot{Netuid: 1, Block: block, N: n,
				Stake: make([]float64, n), ValidatorPermit: make([]bool, n),
				LastUpdate: make([]uint64, n), BlockAtRegistration: make([]uint64, n)}
			for u := 0; u < n; u++ {
				st := next()
				if st == 65535 {
					s.Stake[u] = math.MaxFloat64 / 2
				} else {
					s.Stake[u] = float64(st % 1000)
				}
				s.ValidatorPermit[u] = next()%4 != 0
				lu := next()
				if lu == 65535 {
					s.LastUpdate[u] = math.MaxUint64
				} else {
					s.LastUpdate[u] = block - lu%400
				}
				s.BlockAtRegistration[u] = next() % 1400
				var row []metagraph.Entry
				for j := 0; j < n; j++ {
					if v := next(); v%3 != 0 {
						row = append(row, metagraph.Entry{j, int(v)})
					}
				}
				if len(row) > 0 {
					s.Weights = append(s.Weights, metagraph.Row{UID: u, Entries: row})
				}
			}
			snaps = append(snaps, s)
		}
		o := DefaultOptions()
		o.Sources = []Source{{Name: "fuzz", Snapshots: snaps}}
		o.AlphaLow, o.AlphaHigh, o.RevealPeriods, o.Tempos = []float64{0.3}, []float64{0.9}, []int{0, 1}, 3
		o.Workers = 1
		res, err := Run(context.Background(), o, nil)
		if err != nil {
			if !badinput.Is(err) {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		// Everything but the (slow) chart rendering: JSON, CSVs, chart data.
		if _, err := json.Marshal(res); err != nil {
			t.Fatalf("result JSON: %v", err)
		}
		res.resultsCSV()
		res.summaryCSV()
		if _, err := res.charts(); err != nil {
			t.Fatalf("charts: %v", err)
		}
	})
}
