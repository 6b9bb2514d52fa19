package subnet

import (
	"fmt"

	"github.com/yuma-go/yuma/internal/badinput"
)

// MaxPendingCommits is the chain's limit of non-expired commits per hotkey.
const MaxPendingCommits = 10

// MaxNeurons is the most uids the state machine registers. Epoch outputs
// include dense n x n bond matrices, so this bounds their memory (about
// 130 MB each at the limit).
const MaxNeurons = 4096

// Errors returned by the operations are *badinput.Error values with Field
// set and File/Location empty; callers (the replay runner) fill those in.

func bad(field, format string, args ...any) error {
	return badinput.New("", "", field, format, args...)
}

// advance moves the state to block, refusing to go backwards.
func (s *State) advance(block uint64) error {
	if block < s.Block {
		return bad("block", "block %d is before the previous step's block %d (blocks must not go backwards)", block, s.Block)
	}
	s.Block = block
	return nil
}

// Register registers a neuron at block. uid == N appends a new uid; uid < N
// replaces the neuron there as the chain's replace_neuron does: the new
// registrant gets a fresh registration block, LastUpdate = block, no weights,
// no bonds of its own, no permit and no pending commits. Bonds other
// validators hold on the uid are masked by the epoch's registration rule.
func (s *State) Register(block uint64, uid int, stake uint64) error {
	if err := s.advance(block); err != nil {
		return err
	}
	switch {
	case uid < 0 || uid > 65535:
		return bad("uid", "%d is out of range [0, 65535]", uid)
	case uid > len(s.Neurons):
		return bad("uid", "%d would leave a gap: the next free uid is %d", uid, len(s.Neurons))
	case uid >= MaxNeurons:
		return bad("uid", "%d is beyond the %d uids a replay supports", uid, MaxNeurons)
	}
	nr := Neuron{Stake: stake, RegisteredAt: block, LastUpdate: block}
	if uid == len(s.Neurons) {
		s.Neurons = append(s.Neurons, nr)
		return nil
	}
	s.Neurons[uid] = nr
	return nil
}

// SetStake sets uid's raw stake.
func (s *State) SetStake(block uint64, uid int, stake uint64) error {
	if err := s.advance(block); err != nil {
		return err
	}
	if err := s.checkUID("uid", uid); err != nil {
		return err
	}
	s.Neurons[uid].Stake = stake
	return nil
}

func (s *State) checkUID(field string, uid int) error {
	if uid < 0 || uid >= len(s.Neurons) {
		return bad(field, "uid %d is not registered (n = %d)", uid, len(s.Neurons))
	}
	return nil
}

// checkWeights validates a weight vector as the chain's set_weights does
// (rate limits off, min_allowed_weights 0).
func (s *State) checkWeights(uid int, uids []int, values []int) error {
	if err := s.checkUID("uid", uid); err != nil {
		return err
	}
	if len(uids) != len(values) {
		return bad("values", "has %d entries but uids has %d", len(values), len(uids))
	}
	seen := make(map[int]bool, len(uids))
	for k, u := range uids {
		if err := s.checkUID(fmt.Sprintf("uids[%d]", k), u); err != nil {
			return err
		}
		if seen[u] {
			return bad(fmt.Sprintf("uids[%d]", k), "duplicate uid %d", u)
		}
		seen[u] = true
	}
	for k, v := range values {
		if v < 0 || v > 65535 {
			return bad(fmt.Sprintf("values[%d]", k), "%d is out of range [0, 65535]", v)
		}
	}
	return nil
}

// hasPermitOrSelf reports whether uid may set these weights: a validator
// permit, the subnet owner, or a single self-weight.
func (s *State) mayWeigh(uid int, uids []int) bool {
	if s.Neurons[uid].ValidatorPermit || s.IsOwner(uid) {
		return true
	}
	return len(uids) == 1 && uids[0] == uid
}

// SetWeights stores uid's weights as the chain's set_weights does: values are
// max-upscaled to 65535 (round half away from zero), kept in the caller's
// order with explicit zeros, and LastUpdate becomes block. It is refused when
// commit-reveal is on (the chain requires commits then), when uid has no
// validator permit (except a lone self-weight or the owner), and for
// duplicate, unknown or out-of-range entries.
func (s *State) SetWeights(block uint64, uid int, uids []int, values []int) error {
	if err := s.advance(block); err != nil {
		return err
	}
	if s.Hyper.CommitReveal {
		return bad("set_weights", "commit_reveal is on: the chain refuses direct set_weights; use commit (or set hyperparameters.commit_reveal to false)")
	}
	if err := s.checkWeights(uid, uids, values); err != nil {
		return err
	}
	if !s.mayWeigh(uid, uids) {
		return bad("uid", "uid %d has no validator permit (only a self-weight is allowed without one)", uid)
	}
	s.Neurons[uid].Weights = storeWeights(uids, values)
	s.Neurons[uid].LastUpdate = block
	return nil
}

func storeWeights(uids []int, values []int) []WeightEntry {
	u16 := make([]uint16, len(values))
	for k, v := range values {
		u16[k] = uint16(v)
	}
	up := MaxUpscaleU16(u16)
	row := make([]WeightEntry, len(uids))
	for k, u := range uids {
		row[k] = WeightEntry{UID: uint16(u), Value: up[k]}
	}
	return row
}

// MaxUpscaleU16 reproduces the chain's vec_u16_max_upscale_to_u16 in I32F32:
// every value is scaled so that the maximum becomes 65535, rounding half away
// from zero. Above 32768 the scale factor 65535/max is computed first (and
// truncated); otherwise value*65535 is divided by max.
func MaxUpscaleU16(vals []uint16) []uint16 {
	out := make([]uint16, len(vals))
	var mx uint16
	for _, v := range vals {
		if v > mx {
			mx = v
		}
	}
	if mx == 0 {
		return out
	}
	if mx > 32768 {
		// factor = trunc(65535/max) as I32F32 raw; v (an integer) times it
		// is exact in raw units.
		factor := (int64(65535) << 32) / int64(mx)
		for k, v := range vals {
			out[k] = roundToU16(int64(v) * factor)
		}
		return out
	}
	for k, v := range vals {
		// (v*65535) / max as I32F32: raw = (v*65535 << 32) / max, truncated.
		// v <= 32768 here, so the numerator stays below 2^63.
		out[k] = roundToU16((int64(v) * 65535 << 32) / int64(mx))
	}
	return out
}

// roundToU16 rounds an I32F32 raw value half away from zero and saturates to u16.
func roundToU16(raw int64) uint16 {
	r := (raw + (1 << 31)) >> 32
	if r < 0 {
		return 0
	}
	if r > 65535 {
		return 65535
	}
	return uint16(r)
}

// Commit records a commit-reveal commit of uid's weights at block. The
// weights are validated now; LastUpdate becomes the commit block. The commit
// is revealed by the epoch whose (lookahead) index reaches the commit's epoch
// plus commit_reveal_period, just before that epoch runs (the chain's
// timelocked commits).
func (s *State) Commit(block uint64, uid int, uids []int, values []int) error {
	return s.commit(block, uid, uids, values, false)
}

// CommitHash records a hash commit (the chain's commit_weights, v2): like
// Commit, but the weights only apply when Reveal is called with the same
// vector while the epoch index equals the commit's epoch plus
// commit_reveal_period; unrevealed commits expire after that.
func (s *State) CommitHash(block uint64, uid int, uids []int, values []int) error {
	return s.commit(block, uid, uids, values, true)
}

// Reveal reveals a hash commit of uid: the commit with these exact uids and
// values (the chain matches the hash) must be pending and due in the current
// epoch. It and any older commits of uid are removed, and the weights are set
// with the set_weights rules (LastUpdate stays the commit block).
func (s *State) Reveal(block uint64, uid int, uids []int, values []int) error {
	if err := s.advance(block); err != nil {
		return err
	}
	if err := s.checkUID("uid", uid); err != nil {
		return err
	}
	nr := &s.Neurons[uid]
	for k, cm := range nr.Commits {
		if !cm.Hash || !sameVector(cm, uids, values) {
			continue
		}
		due := cm.Epoch + s.Hyper.CommitRevealPeriod
		if s.EpochIndex < due {
			return bad("reveal", "too early: the commit of block %d is revealable in epoch %d, the current epoch is %d", cm.Block, due, s.EpochIndex)
		}
		if err := s.checkWeights(uid, uids, values); err != nil {
			return err
		}
		if !s.mayWeigh(uid, uids) {
			return bad("uid", "uid %d has no validator permit (only a self-weight is allowed without one)", uid)
		}
		nr.Commits = append(nr.Commits[:0:0], nr.Commits[k+1:]...)
		nr.Weights = storeWeights(uids, values)
		return nil
	}
	return bad("reveal", "no pending hash commit of uid %d matches these uids and values", uid)
}

func sameVector(cm Commit, uids, values []int) bool {
	if len(cm.UIDs) != len(uids) || len(cm.Values) != len(values) {
		return false
	}
	for k := range uids {
		if int(cm.UIDs[k]) != uids[k] || int(cm.Values[k]) != values[k] {
			return false
		}
	}
	return true
}

func (s *State) commit(block uint64, uid int, uids []int, values []int, hash bool) error {
	if err := s.advance(block); err != nil {
		return err
	}
	if !s.Hyper.CommitReveal {
		return bad("commit", "commit_reveal is off: use set_weights (or set hyperparameters.commit_reveal to true)")
	}
	if err := s.checkWeights(uid, uids, values); err != nil {
		return err
	}
	nr := &s.Neurons[uid]
	if len(nr.Commits) >= MaxPendingCommits {
		return bad("commit", "uid %d already has %d pending commits (the chain's limit)", uid, MaxPendingCommits)
	}
	cm := Commit{Block: block, Epoch: s.EpochIndex, Hash: hash, UIDs: make([]uint16, len(uids)), Values: make([]uint16, len(values))}
	for k := range uids {
		cm.UIDs[k] = uint16(uids[k])
		cm.Values[k] = uint16(values[k])
	}
	nr.Commits = append(nr.Commits, cm)
	nr.LastUpdate = block
	return nil
}

// ResetBonds removes uid's column from every bond row (the chain's
// do_reset_bonds, run when uid's hotkey publishes a metadata commitment). It
// requires bonds_reset to be on, as the chain ignores it otherwise.
func (s *State) ResetBonds(block uint64, uid int) error {
	if err := s.advance(block); err != nil {
		return err
	}
	if err := s.checkUID("uid", uid); err != nil {
		return err
	}
	if !s.Hyper.BondsReset {
		return bad("reset_bonds", "bonds_reset is off, so the chain ignores bond resets; set hyperparameters.bonds_reset to true")
	}
	for i := range s.Neurons {
		row := s.Neurons[i].Bonds[:0:0]
		for _, e := range s.Neurons[i].Bonds {
			if int(e.UID) != uid {
				row = append(row, e)
			}
		}
		s.Neurons[i].Bonds = row
	}
	return nil
}

// revealDue reveals the timelocked commits whose reveal epoch is the epoch
// about to run (lookahead index EpochIndex+1) and drops expired ones (hash
// commits expire once their reveal epoch has passed). A revealed commit
// whose weights the chain would refuse (no permit any more, uid deregistered
// in between) is dropped silently, as the chain drops failed timelocked reveals.
func (s *State) revealDue() {
	if !s.Hyper.CommitReveal {
		return
	}
	look := s.EpochIndex + 1
	for i := range s.Neurons {
		nr := &s.Neurons[i]
		keep := nr.Commits[:0:0]
		for _, cm := range nr.Commits {
			due := cm.Epoch + s.Hyper.CommitRevealPeriod
			switch {
			case cm.Hash && due >= look:
				keep = append(keep, cm) // waits for an explicit Reveal
			case due == look:
				uids := make([]int, len(cm.UIDs))
				vals := make([]int, len(cm.Values))
				for k := range cm.UIDs {
					uids[k], vals[k] = int(cm.UIDs[k]), int(cm.Values[k])
				}
				if s.checkWeights(i, uids, vals) == nil && s.mayWeigh(i, uids) {
					nr.Weights = storeWeights(uids, vals)
				}
			case due < look:
				// expired
			default:
				keep = append(keep, cm)
			}
		}
		nr.Commits = keep
	}
}

// Epoch runs one epoch at block with emission rao through eng: it first
// reveals due commits, then asks the engine, then persists the new validator
// permits and the stored bond rows, and advances the epoch index.
func (s *State) Epoch(eng Engine, block uint64, emission uint64) (EpochOutput, error) {
	if err := s.advance(block); err != nil {
		return EpochOutput{}, err
	}
	s.revealDue()
	out, err := eng.Epoch(s, block, emission)
	if err != nil {
		return EpochOutput{}, err
	}
	n := len(s.Neurons)
	if len(out.ValidatorPermit) != n || (out.StoredBonds != nil && len(out.StoredBonds) != n) {
		return EpochOutput{}, fmt.Errorf("subnet: engine returned %d permits and %d bond rows for %d neurons", len(out.ValidatorPermit), len(out.StoredBonds), n)
	}
	for i := range s.Neurons {
		s.Neurons[i].ValidatorPermit = out.ValidatorPermit[i]
		if out.StoredBonds != nil {
			s.Neurons[i].Bonds = append([]BondEntry(nil), out.StoredBonds[i]...)
		}
	}
	s.EpochIndex++
	return out, nil
}
