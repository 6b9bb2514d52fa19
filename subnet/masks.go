package subnet

import (
	"math"
	"math/bits"

	"github.com/yuma-go/yuma/internal/badinput"
)

// Masks are the integer parts of an epoch that every engine computes the
// same way (chain-epoch.md section 4 steps 1-5 and section 5): who is active,
// the stake after the threshold, the permits that mask this epoch, and the
// anchor of the bond column mask. Engines differ only in the arithmetic that
// follows.
type Masks struct {
	// Owner is the subnet owner's uid, or -1 (none, or the dense test path,
	// which has no owner exceptions).
	Owner int
	// Active[i]: last_update + activity cutoff ≥ block.
	Active []bool
	// Filtered is the stake with the stake threshold applied (the owner is
	// exempt); Total is its sum, at most 2^63 − 1 (the chain's I64F64 range).
	Filtered []uint64
	Total    uint64
	// PrevPermit is the stored validator permit, forced true for the owner:
	// the permits that mask this epoch (new permits only affect the next).
	PrevPermit []bool
	// LastTempo anchors the bond column mask: bonds to a uid registered at or
	// after it are dropped.
	LastTempo uint64
}

// EpochMasks computes the masks of an epoch at block. With ownerRules false
// (the chain's test-only dense path) the owner gets no exceptions.
func (s *State) EpochMasks(block uint64, ownerRules bool) (Masks, error) {
	var m Masks
	err := s.EpochMasksInto(&m, block, ownerRules)
	return m, err
}

// EpochMasksInto is EpochMasks writing into m, reusing its slices' storage
// (for engines that keep buffers between epochs).
func (s *State) EpochMasksInto(m *Masks, block uint64, ownerRules bool) error {
	h := s.Hyper
	nr := s.Neurons
	n := len(nr)
	if n == 0 {
		return badinput.New("", "", "epoch", "the subnet has no neurons (register some first)")
	}
	m.Owner, m.Total, m.LastTempo = -1, 0, 0
	m.Active = resize(m.Active, n)
	m.Filtered = resize(m.Filtered, n)
	m.PrevPermit = resize(m.PrevPermit, n)
	if ownerRules && h.OwnerUID != nil && *h.OwnerUID < n {
		m.Owner = *h.OwnerUID
	}
	cutoff := h.ActivityCutoffBlocks()
	for i := range nr {
		up, carry := bits.Add64(nr[i].LastUpdate, cutoff, 0)
		if carry != 0 {
			up = math.MaxUint64
		}
		m.Active[i] = up >= block
	}
	for i := range nr {
		st := nr[i].Stake
		if i != m.Owner && st < h.StakeThreshold {
			st = 0
		}
		m.Filtered[i] = st
		var carry uint64
		m.Total, carry = bits.Add64(m.Total, st, 0)
		if carry != 0 || m.Total > math.MaxInt64 {
			return badinput.New("", "", "stake", "total stake exceeds the chain's I64F64 range (2^63 - 1)")
		}
		m.PrevPermit[i] = nr[i].ValidatorPermit || i == m.Owner
	}
	switch {
	case s.LastStepBlock != 0:
		m.LastTempo = s.LastStepBlock + 1
	case block > uint64(h.Tempo):
		m.LastTempo = block - uint64(h.Tempo)
	}
	return nil
}

// resize returns x with length n, reusing its storage when it is large
// enough; every element is overwritten by the caller.
func resize[T any](x []T, n int) []T {
	if cap(x) < n {
		return make([]T, n)
	}
	return x[:n]
}

// CommitBlock is the earliest block of validator i's pending commits when
// commit-reveal is on (the column mask of chain-epoch.md section 9), else
// MaxUint64.
func (s *State) CommitBlock(i int) uint64 {
	cb := uint64(math.MaxUint64)
	if s.Hyper.CommitReveal {
		for _, c := range s.Neurons[i].Commits {
			cb = min(cb, c.Block)
		}
	}
	return cb
}

// KeepWeight reports whether validator i's stored weight on uid j survives
// the weight masks: j is a uid, not i's own (except the owner's self-weight),
// not registered since i last set weights ("outdated"), and not registered
// after i's earliest pending commit (cb, from CommitBlock).
func (s *State) KeepWeight(m *Masks, i, j int, cb uint64) bool {
	nr := s.Neurons
	switch {
	case j >= len(nr):
		return false
	case j == i && i != m.Owner:
		return false
	case nr[i].LastUpdate <= nr[j].RegisteredAt:
		return false
	case cb < nr[j].RegisteredAt:
		return false
	}
	return true
}

// KeepBond reports whether a stored bond on uid j survives the bond column
// mask (j registered before the last epoch's anchor).
func (s *State) KeepBond(m *Masks, j int) bool {
	return j < len(s.Neurons) && m.LastTempo > s.Neurons[j].RegisteredAt
}
