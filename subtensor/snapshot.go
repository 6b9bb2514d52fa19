package subtensor

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/yuma-go/yuma/metagraph"
	"github.com/yuma-go/yuma/subtensor/scale"
)

// optional turns a node error (a runtime API or storage item the runtime
// does not have) into "absent"; transport, pruned-state and decoding errors
// stay errors.
func optional(err error) error {
	var pe *PrunedError
	if errors.As(err, &pe) {
		return err
	}
	var re *RPCError
	if errors.As(err, &re) {
		return nil
	}
	return err
}

// Snapshot reads subnet netuid (mechanism 0) at block number block and
// returns it as a metagraph.Snapshot:
//
//   - chain_getBlockHash, chain_getHeader, and state_getRuntimeVersion at the
//     parent hash (the runtime that executed the block, as the Python SDK asks);
//   - NeuronInfoRuntimeApi_get_neurons_lite: n, hotkeys, last_update,
//     validator_permit, active, consensus, incentive, dividends,
//     validator_trust, emission;
//   - SubnetInfoRuntimeApi_get_subnet_state (when the runtime has it): stake =
//     total_stake (the stake weights the epoch uses) in TAO, and
//     block_at_registration; without it, stake is the sum of the neuron's
//     stake entries;
//   - get_selective_mechagraph (all fields; get_metagraph on older runtimes)
//     and get_subnet_hyperparams(_v2), each when the runtime has it:
//     hyperparameters, yuma version, owner uid;
//   - storage BondsPenalty[netuid] and, without hyperparams v2, Yuma3On[netuid];
//   - storage Weights and Bonds (state_getKeysPaged + state_queryStorageAt).
//
// Entries whose destination is not a registered uid (stale keys) and
// repeated destinations are dropped, as the chain's epoch ignores them.
func (c *Client) Snapshot(ctx context.Context, netuid uint16, block uint64) (*metagraph.Snapshot, error) {
	hash, err := c.BlockHash(ctx, block)
	if err != nil {
		return nil, err
	}
	hdr, err := c.Header(ctx, hash)
	if err != nil {
		return nil, err
	}
	if num, err := hdr.Number(); err != nil || num != block {
		return nil, fmt.Errorf("block %d: header of %s has number %q", block, hash, hdr.NumberHex)
	}
	at := hdr.ParentHash
	if block == 0 {
		at = hash
	}
	rv, err := c.RuntimeVersion(ctx, at)
	if err != nil {
		return nil, err
	}
	neurons, err := c.NeuronsLite(ctx, netuid, hash)
	if err != nil {
		return nil, fmt.Errorf("block %d: %w", block, err)
	}
	n := len(neurons)
	if n == 0 {
		return nil, fmt.Errorf("block %d: subnet %d has no neurons (not registered at this block?)", block, netuid)
	}
	s := &metagraph.Snapshot{
		Netuid:          int(netuid),
		Block:           block,
		N:               n,
		RuntimeSpec:     rv.SpecVersion,
		Hotkeys:         make([]string, n),
		Stake:           make([]float64, n),
		ValidatorPermit: make([]bool, n),
		LastUpdate:      make([]uint64, n),
		Active:          make([]bool, n),
		Consensus:       make([]uint16, n),
		Incentive:       make([]uint16, n),
		Dividends:       make([]uint16, n),
		ValidatorTrust:  make([]uint16, n),
		Emission:        make([]uint64, n),
	}
	for i, nr := range neurons {
		if int(nr.UID) != i {
			return nil, fmt.Errorf("block %d: neuron %d reports uid %d", block, i, nr.UID)
		}
		s.Hotkeys[i] = nr.Hotkey.SS58()
		var rao uint64
		for _, st := range nr.Stake {
			rao += st.Amount
		}
		s.Stake[i] = float64(rao) / 1e9
		s.ValidatorPermit[i] = nr.ValidatorPermit
		s.LastUpdate[i] = nr.LastUpdate
		s.Active[i] = nr.Active
		s.Consensus[i] = nr.Consensus
		s.Incentive[i] = nr.Incentive
		s.Dividends[i] = nr.Dividends
		s.ValidatorTrust[i] = nr.ValidatorTrust
		s.Emission[i] = nr.Emission
	}

	st, ok, err := c.SubnetState(ctx, netuid, hash)
	if err = optional(err); err != nil {
		return nil, fmt.Errorf("block %d: %w", block, err)
	}
	if ok && len(st.TotalStake) == n && len(st.BlockAtRegistration) == n {
		for i := range st.TotalStake {
			s.Stake[i] = float64(st.TotalStake[i]) / 1e9
		}
		s.BlockAtRegistration = st.BlockAtRegistration
	}

	hp := map[string]any{}
	var owner scale.AccountID
	haveOwner := false
	mg, ok, err := c.SelectiveMechagraph(ctx, netuid, 0, nil, hash)
	if err != nil && optional(err) == nil {
		// Runtimes before sub-mechanisms have get_metagraph only.
		mg, ok, err = c.Metagraph(ctx, netuid, hash)
	}
	if err = optional(err); err != nil {
		return nil, fmt.Errorf("block %d: %w", block, err)
	}
	if ok {
		metagraphHyperparams(mg, hp)
		if mg.Present[5] {
			owner, haveOwner = mg.OwnerHotkey, true
		}
		if s.BlockAtRegistration == nil && len(mg.BlockAtRegistration) == n {
			s.BlockAtRegistration = mg.BlockAtRegistration
		}
	}
	h, ok, err := c.Hyperparams(ctx, netuid, hash)
	if err = optional(err); err != nil {
		return nil, fmt.Errorf("block %d: %w", block, err)
	}
	if ok {
		structHyperparams(h, hp)
		if h.V2 {
			switch h.YumaVersion {
			case 2:
				s.YumaVersion = "yuma2"
			case 3:
				s.YumaVersion = "yuma3"
			}
		}
	}
	// bonds_penalty is in no hyperparameter API; Yuma3On gives the Yuma
	// version on runtimes without get_subnet_hyperparams_v2. Absent values
	// stay absent (the item may not exist in that runtime).
	if v, ok, err := c.Storage(ctx, StorageKey(Pallet, ItemBondsPenalty, U16LE(netuid)), hash); optional(err) != nil {
		return nil, fmt.Errorf("block %d: %w", block, err)
	} else if err == nil && ok {
		if bp, err := DecodeU16(v); err == nil {
			hp["bonds_penalty"] = uint64(bp)
		}
	}
	if s.YumaVersion == "" {
		v, ok, err := c.Storage(ctx, StorageKey(Pallet, ItemYuma3On, Blake2_128Concat(U16LE(netuid))), hash)
		if optional(err) != nil {
			return nil, fmt.Errorf("block %d: %w", block, err)
		}
		if err == nil && ok && len(v) == 1 && v[0] <= 1 {
			s.YumaVersion = map[bool]string{false: "yuma2", true: "yuma3"}[v[0] == 1]
			hp["yuma3_enabled"] = v[0] == 1
		}
	}
	if haveOwner {
		for i, nr := range neurons {
			if nr.Hotkey == owner {
				hp["owner_uid"] = i
				break
			}
		}
	}
	if len(hp) > 0 {
		s.Hyperparameters = hp
	}

	idx := NetUidIndex(netuid, 0)
	if s.Weights, err = c.Weights(ctx, idx, hash); err != nil {
		return nil, fmt.Errorf("block %d: %w", block, err)
	}
	if s.Bonds, err = c.Bonds(ctx, idx, hash); err != nil {
		return nil, fmt.Errorf("block %d: %w", block, err)
	}
	s.Weights = cleanRows(s.Weights, n)
	s.Bonds = cleanRows(s.Bonds, n)
	return s, nil
}

// cleanRows keeps rows of registered uids, sorted by uid, and drops entries
// to unregistered uids and repeated destinations.
func cleanRows(rows []metagraph.Row, n int) []metagraph.Row {
	out := make([]metagraph.Row, 0, len(rows))
	for _, r := range rows {
		if r.UID < 0 || r.UID >= n {
			continue
		}
		seen := map[int]bool{}
		entries := make([]metagraph.Entry, 0, len(r.Entries))
		for _, e := range r.Entries {
			if e[0] >= n || seen[e[0]] {
				continue
			}
			seen[e[0]] = true
			entries = append(entries, e)
		}
		out = append(out, metagraph.Row{UID: r.UID, Entries: entries})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UID < out[j].UID })
	return out
}

// metagraphHyperparams copies the metagraph's hyperparameter scalars under
// the replay file's names (raw chain values).
func metagraphHyperparams(m Metagraph, hp map[string]any) {
	names := map[string]string{
		"tempo": "tempo", "kappa": "kappa", "rho": "rho", "bonds_moving_avg": "bonds_moving_average",
		"alpha_low": "alpha_low", "alpha_high": "alpha_high", "max_validators": "max_allowed_validators",
		"activity_cutoff": "activity_cutoff", "commit_reveal_period": "commit_reveal_period",
		"immunity_period": "immunity_period", "min_allowed_weights": "min_allowed_weights",
		"max_weights_limit": "max_weights_limit", "weights_rate_limit": "weights_rate_limit",
		"weights_version": "weights_version",
	}
	bools := map[string]string{"commit_reveal_weights_enabled": "commit_reveal", "liquid_alpha_enabled": "liquid_alpha_enabled"}
	for k, v := range m.Scalars {
		if name, ok := names[k]; ok {
			hp[name] = v
		}
		if name, ok := bools[k]; ok {
			hp[name] = v != 0
		}
	}
}

// structHyperparams copies get_subnet_hyperparams(_v2) values.
func structHyperparams(h SubnetHyperparams, hp map[string]any) {
	hp["tempo"] = uint64(h.Tempo)
	hp["kappa"] = uint64(h.Kappa)
	hp["rho"] = uint64(h.Rho)
	hp["bonds_moving_average"] = h.BondsMovingAvg
	hp["alpha_low"] = uint64(h.AlphaLow)
	hp["alpha_high"] = uint64(h.AlphaHigh)
	hp["max_allowed_validators"] = uint64(h.MaxValidators)
	hp["activity_cutoff"] = uint64(h.ActivityCutoff)
	hp["commit_reveal_period"] = h.CommitRevealPeriod
	hp["commit_reveal"] = h.CommitRevealWeightsEnabled
	hp["liquid_alpha_enabled"] = h.LiquidAlphaEnabled
	hp["immunity_period"] = uint64(h.ImmunityPeriod)
	hp["min_allowed_weights"] = uint64(h.MinAllowedWeights)
	hp["max_weights_limit"] = uint64(h.MaxWeightsLimit)
	hp["weights_rate_limit"] = h.WeightsRateLimit
	hp["weights_version"] = h.WeightsVersion
	if h.V2 {
		hp["alpha_sigmoid_steepness"] = int64(h.AlphaSigmoidSteepness)
		hp["bonds_reset"] = h.BondsResetEnabled
		hp["yuma3_enabled"] = h.YumaVersion == 3
	}
}
