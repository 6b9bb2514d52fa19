package chain

import (
	"github.com/yuma-go/yuma/fixed"
	"github.com/yuma-go/yuma/subnet"
)

// scratch holds the buffers an Engine reuses from one epoch to the next:
// every intermediate vector and sparse matrix of the pipeline. Only the
// returned EpochOutput is allocated fresh each epoch (callers keep it, and
// State.Epoch persists its bond rows). The buffers never carry values from
// one epoch into the next: each is cleared or fully overwritten before it
// is read, so results do not depend on what ran before.
type scratch struct {
	masks                             subnet.Masks
	stake, activeStake, vtrust, ranks []fixed.I32F32
	sums, total, dividends, combined  []fixed.I32F32
	divs, maxDivs                     []fixed.Divisor
	maxes                             []fixed.I32F32
	reg                               []uint64
	idx                               []int
	w, clipped, interp, bonds, ema    mat
	rowA, rowB                        []fixed.I32F32
	alphaBack                         []fixed.I32F32
	alphaRows                         [][]fixed.I32F32
	med                               medianScratch
	sig                               sigmoidMemo
	alphaWD, alphaBD                  []fixed.I32F32
}

// medianScratch holds weightedMedianColSparse's buffers.
type medianScratch struct {
	useStake, useScore, median []fixed.I32F32
	nonzero                    []bool
	part, spare                []scored
}

// zeroed returns s resized to n with every element zero, reusing its array
// when it is large enough.
func zeroed[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// mat is a reusable sparse matrix: row headers plus one flat backing array
// the rows are carved from.
type mat struct {
	rows sparse
	back []entry
}

// reset prepares m for n rows holding at most total entries in all and
// returns the (all empty) rows.
func (m *mat) reset(n, total int) sparse {
	if cap(m.rows) < n {
		m.rows = make(sparse, n)
	}
	m.rows = m.rows[:n]
	clear(m.rows)
	if cap(m.back) < total {
		m.back = make([]entry, 0, total)
	}
	m.back = m.back[:0]
	return m.rows
}

// open returns an empty row to append to; its capacity is everything left
// in the backing array. Close it with commit.
func (m *mat) open() []entry {
	l := len(m.back)
	return m.back[l:l:cap(m.back)]
}

// commit stores row (opened with open and appended to within the reserved
// total) as row i and advances the backing array past it.
func (m *mat) commit(i int, row []entry) {
	l := len(row)
	m.rows[i] = row[:l:l]
	m.back = m.back[:len(m.back)+l]
}
