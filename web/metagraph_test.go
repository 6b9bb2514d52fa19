package web

import (
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yuma-go/yuma/chain"
	"github.com/yuma-go/yuma/metagraph"
)

var dataValue = func(id string) *regexp.Regexp {
	return regexp.MustCompile(`id="` + id + `" data-value="([^"]+)"`)
}

func valueOf(t *testing.T, body, id string) float64 {
	t.Helper()
	m := dataValue(id).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no %s in page", id)
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The validator view explains the chain's validator trust exactly: the sum
// of min(weight, consensus) over miners equals the chain-exact epoch's value.
func TestMetagraphValidatorTrustExplained(t *testing.T) {
	srv, h := newTestServer(t, Options{})
	snaps, err := srv.dataset("sn31")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, k := range []int{0, 50, 99} {
		snap := snaps[k]
		uid := topValidator(snap)
		rec := get(t, h, "/metagraph?source=dataset:sn31&block="+strconv.FormatUint(snap.Block, 10)+"&uid="+strconv.Itoa(uid))
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		body := rec.Body.String()
		if !strings.Contains(body, `data-role="validator"`) {
			t.Fatalf("block %d uid %d not shown as a validator", snap.Block, uid)
		}
		chainVT, explained := valueOf(t, body, "vtrust"), valueOf(t, body, "vtrust-explained")
		if chainVT <= 0 || math.Abs(chainVT-explained) > 1e-6 {
			t.Errorf("block %d uid %d: chain vtrust %v, explained %v", snap.Block, uid, chainVT, explained)
		}
		// and the chain value is the engine's own output for the snapshot
		var notes []string
		st, err := stateOf(snap, &notes)
		if err != nil {
			t.Fatal(err)
		}
		out, err := chain.New().Epoch(st, snap.Block, 1e9)
		if err != nil {
			t.Fatal(err)
		}
		if out.Exact.ValidatorTrust[uid] != chainVT {
			t.Errorf("page %v, chain engine %v", chainVT, out.Exact.ValidatorTrust[uid])
		}
		// the stored u16 is floor(vtrust * 65535) (or within one unit)
		if d := math.Abs(out.ValidatorTrust[uid] - chainVT*65535); d > 1 {
			t.Errorf("stored vtrust %v vs exact %v", out.ValidatorTrust[uid], chainVT)
		}
		if !strings.Contains(body, "<svg") {
			t.Error("no chart")
		}
		checked++
	}
	if checked != 3 {
		t.Fatal("not all blocks checked")
	}
}

func TestMetagraphMinerView(t *testing.T) {
	srv, h := newTestServer(t, Options{})
	snaps, _ := srv.dataset("sn31")
	snap := snaps[len(snaps)-1]
	// the miner with the largest consensus in the chain-exact epoch
	var notes []string
	st, err := stateOf(snap, &notes)
	if err != nil {
		t.Fatal(err)
	}
	out, err := chain.New().Epoch(st, snap.Block, 1e9)
	if err != nil {
		t.Fatal(err)
	}
	miner := 0
	for j, c := range out.Exact.Consensus {
		if c > out.Exact.Consensus[miner] {
			miner = j
		}
	}
	rec := get(t, h, "/metagraph?source=dataset:sn31&uid="+strconv.Itoa(miner)+"&role=miner")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	if !strings.Contains(body, `data-role="miner"`) {
		t.Fatal("not a miner view")
	}
	if c := valueOf(t, body, "consensus"); c != out.Exact.Consensus[miner] || c <= 0 {
		t.Errorf("consensus %v, chain %v", c, out.Exact.Consensus[miner])
	}
	if n := strings.Count(body, "<tr><td>"); n < 5 {
		t.Errorf("%d validator rows", n)
	}
	// htmx gets the fragment only
	req, _ := http.NewRequest(http.MethodGet, "/metagraph?source=dataset:sn31&uid="+strconv.Itoa(miner), nil)
	req.Header.Set("HX-Request", "true")
	rr := serve(h, req)
	if strings.Contains(rr.Body.String(), "<html") || !strings.Contains(rr.Body.String(), "data-uid=") {
		t.Error("htmx request did not get the fragment")
	}
}

func TestMetagraphUpload(t *testing.T) {
	_, h := newTestServer(t, Options{})
	snap := tinySnapshot(2000, [2]int{65535, 0}, [2]int{0, 65535})
	rec := postMultipart(t, h, "/metagraph", url.Values{"uid": {"0"}}, map[string][][2]string{"snapshot": {{"tiny.json", snapshotJSON(t, snap)}}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	// Validator 0 (60% stake) puts all weight on miner 2, validator 1 on miner 3.
	// Kappa 0.5: consensus of miner 2 is 1 (60% >= half), of miner 3 is 0;
	// validator 0 keeps all its weight: trust 1.
	if vt := valueOf(t, body, "vtrust"); math.Abs(vt-1) > 1e-9 {
		t.Errorf("vtrust %v, want 1", vt)
	}
	if strings.Contains(body, `id="stored"`) {
		t.Error("a stored value shown for a snapshot without one")
	}
	// with the chain's stored outputs, the page shows them beside the replay
	snap.ValidatorTrust = []uint16{65535, 0, 0, 0}
	snap.Consensus = []uint16{0, 0, 65535, 0}
	rec = postMultipart(t, h, "/metagraph", url.Values{"uid": {"0"}}, map[string][][2]string{"snapshot": {{"tiny.json", snapshotJSON(t, snap)}}})
	if got := valueOf(t, rec.Body.String(), "stored"); got != 1 {
		t.Errorf("stored vtrust %v", got)
	}
	rec = postMultipart(t, h, "/metagraph", url.Values{"uid": {"2"}}, map[string][][2]string{"snapshot": {{"tiny.json", snapshotJSON(t, snap)}}})
	if got, c := valueOf(t, rec.Body.String(), "stored"), valueOf(t, rec.Body.String(), "consensus"); got != 1 || c != 1 {
		t.Errorf("miner 2: stored consensus %v, replayed %v; want 1 and 1", got, c)
	}
	rec = postMultipart(t, h, "/metagraph", url.Values{"uid": {"1"}}, map[string][][2]string{"snapshot": {{"tiny.json", snapshotJSON(t, snap)}}})
	if vt := valueOf(t, rec.Body.String(), "vtrust"); math.Abs(vt) > 1e-9 {
		t.Errorf("validator 1 vtrust %v, want 0 (its miner has no consensus)", vt)
	}
	if ex := valueOf(t, rec.Body.String(), "vtrust-explained"); math.Abs(ex) > 1e-9 {
		t.Errorf("explained %v", ex)
	}
}

func TestMetagraphBadInput(t *testing.T) {
	srv, h := newTestServer(t, Options{})
	for _, target := range []string{
		"/metagraph?source=dataset:nope",
		"/metagraph?source=store:31",
		"/metagraph?source=../../etc/passwd",
		"/metagraph?source=dataset:sn31&block=12",
		"/metagraph?source=dataset:sn31&block=abc",
		"/metagraph?source=dataset:sn31&uid=-1",
		"/metagraph?source=dataset:sn31&uid=70000",
		"/metagraph?source=dataset:sn31&uid=256",
		"/metagraph?source=dataset:sn31&uid=3&role=king",
		"/metagraph?source=dataset:sn31&uid=" + strconv.Itoa(nonValidator(t, srv)) + "&role=validator",
	} {
		rec := get(t, h, target)
		if rec.Code != http.StatusBadRequest || !strings.HasPrefix(rec.Body.String(), "bad input: ") {
			t.Errorf("%s: status %d %.200q, want 400", target, rec.Code, rec.Body)
		}
	}
	for name, data := range map[string]string{
		"junk.json":  "]]]",
		"nan.json":   `{"netuid":1,"block":5,"n":2,"stake":[NaN,1]}`,
		"short.json": `{"netuid":1,"block":5,"n":3,"stake":[1,1]}`,
		"empty.json": ``,
		"gz.json.gz": "\x1f\x8b\x08\x00garbage",
	} {
		rec := postMultipart(t, h, "/metagraph", url.Values{"uid": {"0"}}, map[string][][2]string{"snapshot": {{name, data}}})
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), name) {
			t.Errorf("%s: status %d %.200q, want 400 naming the file", name, rec.Code, rec.Body)
		}
	}
	rec := postMultipart(t, h, "/metagraph", url.Values{"uid": {"0"}}, nil)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("no file: status %d", rec.Code)
	}
}

// nonValidator returns a uid of the last sn31 snapshot without a weight row.
func nonValidator(t *testing.T, srv *Server) int {
	t.Helper()
	snaps, err := srv.dataset("sn31")
	if err != nil {
		t.Fatal(err)
	}
	snap := snaps[len(snaps)-1]
	has := map[int]bool{}
	for _, r := range snap.Weights {
		if len(r.Entries) > 0 {
			has[r.UID] = true
		}
	}
	for u := 0; u < snap.N; u++ {
		if !has[u] {
			return u
		}
	}
	t.Fatal("every uid sets weights")
	return 0
}

// Property: on random subnets (random stakes, weights, registrations, update
// blocks, permits), every validator's explanation adds up to the chain-exact
// validator trust, and every miner's consensus is the chain's.
func TestMetagraphExplanationMatchesChainOnRandomSubnets(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 31))
	partial := 0 // validators whose trust is strictly between 0 and 1
	for trial := 0; trial < 100; trial++ {
		n := 2 + rng.IntN(12)
		snap := &metagraph.Snapshot{Netuid: 3, Block: 10_000, N: n}
		for i := 0; i < n; i++ {
			stake := 0.0
			if rng.IntN(3) > 0 {
				stake = float64(rng.IntN(10_000)) / 7
			}
			snap.Stake = append(snap.Stake, stake)
			snap.ValidatorPermit = append(snap.ValidatorPermit, rng.IntN(4) > 0)
			snap.LastUpdate = append(snap.LastUpdate, uint64(rng.IntN(10_000)))
			snap.BlockAtRegistration = append(snap.BlockAtRegistration, uint64(rng.IntN(9_000)))
			if rng.IntN(2) == 0 {
				continue
			}
			var es []metagraph.Entry
			for j := 0; j < n; j++ {
				if rng.IntN(3) == 0 {
					es = append(es, metagraph.Entry{j, rng.IntN(65536)})
				}
			}
			snap.Weights = append(snap.Weights, metagraph.Row{UID: i, Entries: es})
		}
		if err := snap.Validate("random"); err != nil {
			t.Fatalf("trial %d: generator made an invalid snapshot: %v", trial, err)
		}
		var notes []string
		st, err := stateOf(snap, &notes)
		if err != nil {
			t.Fatal(err)
		}
		out, err := chain.New().Epoch(st, snap.Block, 1e9)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		for uid := 0; uid < n; uid++ {
			v, err := explain(snap, uid, "auto", "random")
			if err != nil {
				t.Fatalf("trial %d uid %d: %v", trial, uid, err)
			}
			switch v.Role {
			case "validator":
				if v.VTrustChain > 0 && v.VTrustChain < 0.999 {
					partial++
				}
				if math.Abs(v.VTrustExplained-v.VTrustChain) > 1e-6 {
					t.Errorf("trial %d uid %d: explained %v, chain %v", trial, uid, v.VTrustExplained, v.VTrustChain)
				}
			case "miner":
				if v.Consensus != out.Exact.Consensus[uid] {
					t.Errorf("trial %d uid %d: consensus %v, chain %v", trial, uid, v.Consensus, out.Exact.Consensus[uid])
				}
			}
		}
	}
	if partial < 25 {
		t.Errorf("only %d validators with partial trust: the generator does not exercise clipping", partial)
	}
}
