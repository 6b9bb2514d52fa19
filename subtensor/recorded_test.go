package subtensor

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/yuma-go/yuma/subtensor/scale"
	"github.com/yuma-go/yuma/subtensor/subtensortest"
)

var (
	recOnce sync.Once
	rec     *subtensortest.Recording
	recErr  error
)

func recording(t testing.TB) *subtensortest.Recording {
	t.Helper()
	recOnce.Do(func() {
		rec, recErr = subtensortest.Load(filepath.Join("..", "testdata", "rpc", "finney-recorded.json"))
	})
	if recErr != nil {
		t.Fatal(recErr)
	}
	return rec
}

// replay starts a fake node answering from the named seeds and dials it.
func replay(t *testing.T, opt Options, seeds ...string) (*Client, *subtensortest.Replayer, *subtensortest.Server) {
	t.Helper()
	rp := subtensortest.NewReplayer(recording(t), seeds...)
	srv := subtensortest.NewServer(rp.Handle)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if opt.RatePerSec == 0 {
		opt.RatePerSec = -1
	}
	c, err := Dial(ctx, srv.URL(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, rp, srv
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

const (
	mgHash   = "0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0"
	mgParent = "0x7348409fe36728fa2ac7f0886346fd35b79804d294046d152ba1baccd9d0be3a"
)

func TestRecordedMetagraphSeed(t *testing.T) {
	c, _, _ := replay(t, Options{}, "metagraph")
	ctx := ctxT(t)

	h, err := c.BlockHash(ctx, 6852690)
	if err != nil || h != mgHash {
		t.Fatalf("BlockHash = %q, %v", h, err)
	}
	hdr, err := c.Header(ctx, h)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := hdr.Number(); n != 6852690 || hdr.ParentHash != mgParent {
		t.Fatalf("header %+v", hdr)
	}
	rv, err := c.RuntimeVersion(ctx, hdr.ParentHash)
	if err != nil || rv.SpecVersion != 343 || rv.SpecName != "node-subtensor" {
		t.Fatalf("runtime %+v %v", rv, err)
	}

	neurons, err := c.NeuronsLite(ctx, 1, h)
	if err != nil {
		t.Fatal(err)
	}
	if len(neurons) != 1024 {
		t.Fatalf("n = %d, want 1024", len(neurons))
	}
	u0 := neurons[0]
	if u0.Hotkey.SS58() != "5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ" ||
		u0.Coldkey.SS58() != "5EhQWxcFdYAk7B9tNdQnJQFzww5N3964rbsMk55SujcX3PwM" {
		t.Errorf("uid0 keys %s %s", u0.Hotkey, u0.Coldkey)
	}
	if u0.UID != 0 || u0.Netuid != 1 || u0.Active {
		t.Errorf("uid0 %+v", u0)
	}
	if u0.Axon.Block != 6575906 || u0.Axon.Version != 9011001 || u0.Axon.IPv4() != "192.222.59.109" ||
		u0.Axon.Port != 6028 || u0.Axon.IPType != 4 || u0.Axon.Protocol != 4 {
		t.Errorf("uid0 axon %+v", u0.Axon)
	}
	if len(u0.Stake) != 1 || u0.Stake[0].Amount != 2557172316 || u0.Stake[0].Coldkey != u0.Coldkey {
		t.Errorf("uid0 stake %+v", u0.Stake)
	}
	if u0.Rank|u0.Incentive|u0.Consensus|u0.Trust|u0.ValidatorTrust|u0.Dividends != 0 || u0.Emission != 0 {
		t.Errorf("uid0 scores %+v", u0)
	}
	for i, n := range neurons {
		if int(n.UID) != i || n.Netuid != 1 {
			t.Fatalf("neuron %d has uid %d netuid %d", i, n.UID, n.Netuid)
		}
	}

	st, ok, err := c.SubnetState(ctx, 1, h)
	if err != nil || !ok {
		t.Fatalf("subnet state ok=%v err=%v", ok, err)
	}
	if st.Netuid != 1 || len(st.Hotkeys) != 1024 || len(st.TotalStake) != 1024 {
		t.Fatalf("state sizes netuid=%d hotkeys=%d", st.Netuid, len(st.Hotkeys))
	}
	var differ []int
	for i := range neurons {
		if st.Hotkeys[i] != neurons[i].Hotkey || st.LastUpdate[i] != neurons[i].LastUpdate {
			t.Fatalf("uid %d: subnet_state and neurons_lite disagree", i)
		}
		if st.AlphaStake[i] != neurons[i].Stake[0].Amount {
			differ = append(differ, i)
		}
	}
	want := []int{24, 245, 276, 447, 502, 518, 630, 633, 697, 966, 993}
	if len(differ) != len(want) {
		t.Fatalf("alpha_stake differs from neuron stake at %v, want %v", differ, want)
	}
	for i := range want {
		if differ[i] != want[i] {
			t.Fatalf("alpha_stake differs at %v, want %v", differ, want)
		}
	}

	mg, ok, err := c.SelectiveMechagraph(ctx, 1, 0, nil, h)
	if err != nil || !ok {
		t.Fatalf("mechagraph ok=%v err=%v", ok, err)
	}
	for i, p := range mg.Present {
		if !p {
			t.Errorf("field %d not present", i)
		}
	}
	scalars := map[string]uint64{
		"network_registered_at": 1497824, "block": 6852690, "tempo": 99, "last_step": 6852597,
		"blocks_since_last_step": 93, "subnet_emission": 0, "alpha_in": 2316467425363654,
		"alpha_out": 924521643526855, "tao_in": 22079400556774, "alpha_out_emission": 1000000000,
		"alpha_in_emission": 1000000000, "tao_in_emission": 9531940, "pending_alpha_emission": 67360456641,
		"pending_root_emission": 0, "rho": 10, "kappa": 32767, "min_allowed_weights": 1,
		"max_weights_limit": 65535, "weights_version": 21706, "weights_rate_limit": 100,
		"activity_cutoff": 5000, "max_validators": 128, "num_uids": 1024, "max_uids": 1024, "burn": 500000,
		"difficulty": 10000000, "registration_allowed": 1, "pow_registration_allowed": 1, "immunity_period": 7200,
		"min_difficulty": 10000000, "max_difficulty": 1000000000000000000, "min_burn": 500000,
		"max_burn": 100000000000, "adjustment_alpha": 17893341751498265066, "adjustment_interval": 112,
		"target_regs_per_interval": 2, "max_regs_per_block": 1, "serving_rate_limit": 10,
		"commit_reveal_weights_enabled": 1, "commit_reveal_period": 1, "liquid_alpha_enabled": 0,
		"alpha_high": 58982, "alpha_low": 45875, "bonds_moving_avg": 900000,
	}
	for k, v := range scalars {
		if got, ok := mg.Scalars[k]; !ok || got != v {
			t.Errorf("scalar %s = %d (present %v), want %d", k, got, ok, v)
		}
	}
	if mg.Netuid != 1 || mg.Name != "Apex" || mg.Symbol != "α" {
		t.Errorf("name %q symbol %q netuid %d", mg.Name, mg.Symbol, mg.Netuid)
	}
	owner := "5HCFWvRqzSHWRPecN7q8J6c7aKQnrCZTMHstPv39xL1wgDHh"
	if mg.OwnerHotkey.SS58() != owner || mg.OwnerColdkey.SS58() != owner {
		t.Errorf("owner %s %s", mg.OwnerHotkey, mg.OwnerColdkey)
	}
	if mg.SubnetVolume.Uint64() != 609202105066978 {
		t.Errorf("subnet_volume %s", mg.SubnetVolume)
	}
	if math.Abs(mg.MovingPrice-40869489.0/4294967296.0) > 1e-15 || math.Abs(mg.MovingPrice-0.0095156694) > 1e-9 {
		t.Errorf("moving_price %v", mg.MovingPrice)
	}
	wantVal := []uint16{496, 395, 245, 966, 24, 993, 447, 697, 518, 276, 502, 630}
	if len(mg.Validators) != len(wantVal) {
		t.Fatalf("validators %v", mg.Validators)
	}
	for i := range wantVal {
		if mg.Validators[i] != wantVal[i] {
			t.Fatalf("validators %v", mg.Validators)
		}
	}
	if mg.Identities != 11 || mg.Commitments != 2 || len(mg.Hotkeys) != 1024 {
		t.Errorf("identities %d commitments %d hotkeys %d", mg.Identities, mg.Commitments, len(mg.Hotkeys))
	}
	for i := range neurons {
		if mg.Hotkeys[i] != neurons[i].Hotkey || mg.LastUpdate[i] != neurons[i].LastUpdate || mg.AlphaStake[i] != st.AlphaStake[i] {
			t.Fatalf("uid %d: mechagraph disagrees with neurons/state", i)
		}
	}

	// MechanismCountCurrent[1] (Twox64Concat key) is absent: default 1.
	key := StorageKey(Pallet, "MechanismCountCurrent", Twox64Concat(U16LE(1)))
	if Hex(key) != "0x658faa385070e074c85bf6b568cf0555604fb97037feb8522bf37d42d54fa6e9f1577fbf1d628fdd0100" {
		t.Fatalf("key %s", Hex(key))
	}
	if _, ok, err := c.Storage(ctx, key, h); err != nil || ok {
		t.Errorf("MechanismCountCurrent ok=%v err=%v", ok, err)
	}
}

func TestRecordedLegacySpec208(t *testing.T) {
	c, _, _ := replay(t, Options{PageSize: 100}, "get_subnet_hyperparameters", "neurons_lite", "weights", "bonds")
	ctx := ctxT(t)
	// v2 is not recorded: the fake answers "method not found" and the client falls back to v1.
	h, ok, err := c.Hyperparams(ctx, 23, "")
	if err != nil || !ok {
		t.Fatalf("hyperparams ok=%v err=%v", ok, err)
	}
	want := SubnetHyperparams{Rho: 10, Kappa: 32767, ImmunityPeriod: 5000, MinAllowedWeights: 1, MaxWeightsLimit: 65535,
		Tempo: 1000, MinDifficulty: 10000000, MaxDifficulty: 4611686018427387903, WeightsVersion: 0, WeightsRateLimit: 100,
		AdjustmentInterval: 500, ActivityCutoff: 5000, RegistrationAllowed: true, TargetRegsPerInterval: 1, MinBurn: 1,
		MaxBurn: 100000000000, BondsMovingAvg: 900000, MaxRegsPerBlock: 1, ServingRateLimit: 50, MaxValidators: 64,
		AdjustmentAlpha: 58000, Difficulty: 10000000, CommitRevealPeriod: 1, CommitRevealWeightsEnabled: false,
		AlphaHigh: 58982, AlphaLow: 45875, LiquidAlphaEnabled: false}
	if h != want {
		t.Errorf("hyperparams\n got %+v\nwant %+v", h, want)
	}

	ns, err := c.NeuronsLite(ctx, 23, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 19 {
		t.Fatalf("n = %d", len(ns))
	}
	u5 := ns[5]
	if u5.Hotkey.SS58() != "5DkzsviNQr4ZePXMmEfNPDcE7cQ9cVyepmQbgUw6YT3odcwh" ||
		u5.Coldkey.SS58() != "5CUkpcUWSSMKMdNUW23sfUke6WCkoYXixR4CPBDCLpvxLmSi" ||
		len(u5.Stake) != 1 || u5.Stake[0].Amount != 3009998000 || u5.LastUpdate != 1970459 || !u5.ValidatorPermit || u5.UID != 5 {
		t.Errorf("uid5 %+v", u5)
	}

	w, err := c.Weights(ctx, 23, "0x1b3f85dc8c83cada6d1782c955973a509a37c62af3d6ba29f5fd816aee37eb3b")
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 1 || w[0].UID != 10 || len(w[0].Entries) != 1 || w[0].Entries[0] != [2]int{10, 65535} {
		t.Errorf("weights %+v", w)
	}
	b, err := c.Bonds(ctx, 23, "0xba206b08f55118c21e6e243702052edcecd48e89d951fa05213adde358473da0")
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 19 {
		t.Fatalf("bonds rows %d", len(b))
	}
	for i, r := range b {
		if r.UID != i || len(r.Entries) != 0 {
			t.Errorf("bond row %d = %+v", i, r)
		}
	}
}

func TestRecordedSpec315And320(t *testing.T) {
	c, _, _ := replay(t, Options{}, "get_neuron_for_pubkey_and_subnet", "blocks_since_last_update", "get_block_hash", "subnetwork_n")
	ctx := ctxT(t)

	hot, prefix, err := scale.DecodeSS58("5Cf4LPRv6tiyuFsfLRQaFYEEn3zJRGi4bAE9DwbbKmbCSHpV")
	if err != nil || prefix != 42 {
		t.Fatal(err)
	}
	key := StorageKey(Pallet, "Uids", U16LE(14), Blake2_128Concat(hot[:]))
	v, ok, err := c.Storage(ctx, key, "")
	if err != nil || !ok {
		t.Fatalf("Uids: ok=%v err=%v", ok, err)
	}
	uid, err := DecodeU16(v)
	if err != nil || uid != 29 {
		t.Fatalf("uid %d %v", uid, err)
	}
	n, ok, err := c.Neuron(ctx, 14, uid, "")
	if err != nil || !ok {
		t.Fatalf("neuron ok=%v err=%v", ok, err)
	}
	if n.Hotkey != hot || n.Coldkey.SS58() != "5CKhH8nKAhXLmqxwaXzFtVFgxqwwnyckXG8qLpmGtzVJH9Ri" || !n.Active || !n.ValidatorPermit {
		t.Errorf("neuron keys/flags %+v", n.NeuronInfoLite)
	}
	if len(n.Stake) != 1 || n.Stake[0].Amount != 293397769457395 || n.Emission != 184855361378 {
		t.Errorf("stake %+v emission %d", n.Stake, n.Emission)
	}
	if n.Rank != 65521 || n.Incentive != 65521 || n.Consensus != 65520 || n.Trust != 65533 ||
		n.ValidatorTrust != 65493 || n.Dividends != 16327 || n.LastUpdate != 6522124 || n.PruningScore != 65535 {
		t.Errorf("scores %+v", n.NeuronInfoLite)
	}
	wantW := [][2]uint16{{2, 170}, {21, 16}, {29, 65535}, {38, 1}, {92, 7}}
	if len(n.Weights) != len(wantW) {
		t.Fatalf("weights %v", n.Weights)
	}
	for i := range wantW {
		if n.Weights[i] != wantW[i] {
			t.Fatalf("weights %v", n.Weights)
		}
	}
	if len(n.Bonds) != 32 || n.Bonds[0] != [2]uint16{1, 65535} || n.Bonds[31] != [2]uint16{247, 65535} {
		t.Errorf("bonds %v", n.Bonds)
	}

	lu, err := c.LastUpdate(ctx, 1, "0x2830271e820b419253b79cbafea83f726354bbef26eb318835ffa774288de9ff")
	if err != nil || len(lu) != 1024 || lu[0] != 2543521 {
		t.Fatalf("LastUpdate len %d [0]=%v err %v", len(lu), lu, err)
	}
	if 6553223-lu[0] != 4009702 {
		t.Errorf("blocks since last update %d", 6553223-lu[0])
	}
	h, err := c.BlockHash(ctx, 6522038)
	if err != nil || h != "0x4f0bbe5e96a78ca4cc1df9a7e757d335165d6d71c545cf6eb4794986424bcd29" {
		t.Errorf("block hash %s %v", h, err)
	}
	sn, ok, err := c.Storage(ctx, StorageKey(Pallet, ItemSubnetworkN, U16LE(1)), "")
	if err != nil || !ok {
		t.Fatalf("SubnetworkN ok=%v err=%v", ok, err)
	}
	if v, err := DecodeU16(sn); err != nil || v != 1024 {
		t.Errorf("SubnetworkN %d %v", v, err)
	}
}

func TestRecordedPrunedNode(t *testing.T) {
	c, _, srv := replay(t, Options{}, "retry_archive")
	ctx := ctxT(t)
	const parent = "0x6c0da8a9dd5994d374d43210dc401f000b2fe02541bc2e7cd54719655d751a18"
	_, err := c.RuntimeVersion(ctx, parent)
	var pe *PrunedError
	if !errors.As(err, &pe) {
		t.Fatalf("want *PrunedError, got %T %v", err, err)
	}
	var re *RPCError
	if !errors.As(err, &re) || re.Code != 4003 {
		t.Errorf("wrapped RPC error %v", re)
	}
	if srv.Requests.Load() != 1 {
		t.Errorf("a pruned-state error must not be retried; %d requests", srv.Requests.Load())
	}
	// The recording answers the second identical request (as an archive node would).
	rv, err := c.RuntimeVersion(ctx, parent)
	if err != nil || rv.SpecVersion != 273 {
		t.Errorf("second answer %+v %v", rv, err)
	}
}

func TestStorageHashes(t *testing.T) {
	if got := Hex(Twox128([]byte("SubtensorModule"))); got != "0x658faa385070e074c85bf6b568cf0555" {
		t.Errorf("twox128 pallet %s", got)
	}
	items := map[string]string{
		"LastUpdate": "696e262a16e52255a69d8acd79354146", "Weights": "a1e7036061f484bc3048a64b64e35ec4",
		"Bonds": "5641285262b8f970e4cbaafbff8d6ab0", "NetworksAdded": "0e30450fc4d507a846032a7fa65d9a43",
		"SubnetworkN": "a1048e9d244171852dfe8db314dc68ca", "Uids": "aab1b4e78e1ea8305462ee53b3686dc8",
		"IsNetworkMember": "ea6aa4e81a33d2c120ef55203e0eb560", "MechanismCountCurrent": "604fb97037feb8522bf37d42d54fa6e9",
		"MechanismEmissionSplit": "beab2628b84716c818c24a8234e9684c",
	}
	names := make([]string, 0, len(items))
	for k := range items {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if got := Hex(Twox128([]byte(k))); got != "0x"+items[k] {
			t.Errorf("twox128(%s) = %s, want %s", k, got, items[k])
		}
	}
	if got := Hex(Twox64Concat([]byte{1, 0})); got != "0xf1577fbf1d628fdd0100" {
		t.Errorf("twox64concat %s", got)
	}
	if NetUidIndex(1, 0) != 1 || NetUidIndex(3, 2) != 8195 {
		t.Error("NetUidIndex")
	}
}
