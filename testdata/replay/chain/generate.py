#!/usr/bin/env python3
"""Writes the chain conformance replays (NAME.json) and their expectations
(NAME.expect.json) from the cases of subtensor's tests as summarised in
chain-epoch.md section 13. Run from this directory; the Go test reads the
generated files only."""
import json

M = 65535
cases = {}


def case(name, source, replay, checks, dense=False):
    replay = dict(replay)
    replay.setdefault("engine", "chain")
    cases[name] = (replay, {"source": source, "dense": dense, "checks": checks})


def chk(epoch, field, values, **kw):
    d = {"epoch": epoch, "field": field, "values": values}
    d.update(kw)
    return d


def reg(block, uid, stake):
    return {"block": block, "register": {"uid": uid, "stake": stake}}


def sw(block, uid, uids, values):
    return {"block": block, "set_weights": {"uid": uid, "uids": uids, "values": values}}


def ep(block, emission=1_000_000_000):
    return {"block": block, "epoch": {"emission": emission}}


# A. test_10_graph
steps = [reg(0, i, 1) for i in range(10)] + [sw(1, i, [i], [M]) for i in range(10)] + [ep(1)]
case("test_10_graph", "subtensor tests/epoch.rs:609 test_10_graph",
     {"name": "test_10_graph", "yuma": "yuma2",
      "hyperparameters": {"tempo": 65534, "commit_reveal": False}, "steps": steps},
     [chk(0, "consensus", [0] * 10), chk(0, "incentive", [0] * 10), chk(0, "dividends", [0] * 10),
      chk(0, "emission", [99999999] * 10)])

# B. test_1_graph
case("test_1_graph", "subtensor tests/epoch.rs:556 test_1_graph",
     {"name": "test_1_graph", "yuma": "yuma2", "hyperparameters": {"tempo": 65534, "commit_reveal": False},
      "steps": [reg(0, 0, 1_000_000_000), sw(1, 0, [0], [M]), ep(1)]},
     [chk(0, "consensus", [0]), chk(0, "incentive", [0]), chk(0, "dividends", [0])])

# D. test_bonds (and L. test_bonds_with_liquid_alpha)
W = [16383, 32767, 49149, 65535]


def bonds_steps():
    s = [reg(1, i, st) for i, st in enumerate([1, 2, 3, 4, 0, 0, 0, 0])] + [ep(1)]
    s += [sw(2, v, [4, 5, 6, 7], W) for v in range(4)] + [ep(2)]
    s += [sw(2, 0, [0], [M]), ep(3), sw(3, 1, [1], [M]), ep(4), sw(4, 2, [2], [M]), ep(5),
          sw(5, 2, [7], [M]), ep(6), ep(7), ep(8)]
    return s


hp = {"tempo": 1, "kappa": 32767, "bonds_penalty": 65535, "bonds_moving_average": 900000,
      "max_allowed_validators": 8, "commit_reveal": False}
servers = [49998779, 100000610, 149996337, 200004272]
bchecks = [
    chk(1, "bonds", [16383, 32767, 49151, 65535], column=4, uids=[0, 1, 2, 3]),
    chk(1, "emission", [49999998, 99999999, 150000000, 200000001] + servers),
    chk(2, "bonds", [14582, 32767, 49151, 65535], column=4, uids=[0, 1, 2, 3]),
    chk(2, "emission", [44998351, 101110561, 151667215, 202223870] + servers),
    chk(3, "bonds", [12603, 28321, 49151, 65535], column=4, uids=[0, 1, 2, 3]),
    chk(3, "emission", [40496805, 90999783, 157929636, 210573773] + servers),
    chk(4, "bonds", [12602, 28320, 49150, 65535], column=7, uids=[0, 1, 2, 3]),
    chk(4, "emission", [99999999, 199999999, 299999999, 399999999, 0, 0, 0, 0]),
    chk(4, "consensus", [0] * 8),
    chk(5, "bonds", [10951, 24609, 49150, 65535], column=7, uids=[0, 1, 2, 3]),
    chk(5, "emission", [36443733, 81898628, 163565493, 218092144, 0, 0, 0, 500000000]),
    chk(6, "bonds", [9559, 21482, 49150, 65535], column=7, uids=[0, 1, 2, 3]),
    chk(6, "emission", [32799427, 73706612, 168638129, 224855830, 0, 0, 0, 500000000]),
    chk(7, "bonds", [8376, 18824, 49150, 65535], column=7, uids=[0, 1, 2, 3]),
    chk(7, "emission", [29518068, 66336137, 173203134, 230942659, 0, 0, 0, 500000000]),
]
case("test_bonds", "subtensor tests/epoch.rs:1005 test_bonds (bonds asserted; emissions from the test's comments)",
     {"name": "test_bonds", "yuma": "yuma2", "liquid_alpha": "off", "hyperparameters": hp, "steps": bonds_steps()},
     bchecks, dense=True)
hpla = dict(hp, alpha_low=45875, alpha_high=58982)
case("test_bonds_with_liquid_alpha",
     "subtensor 8de0d23c tests/epoch.rs test_bonds_with_liquid_alpha (liquid alpha v1, 2024-07..2025-05)",
     {"name": "test_bonds_with_liquid_alpha", "yuma": "yuma2", "liquid_alpha": "v1", "hyperparameters": hpla,
      "steps": bonds_steps()[:20]},
     [chk(1, "bonds", [16383, 32767, 49151, 65535], column=4, uids=[0, 1, 2, 3]),
      chk(2, "bonds", [2862, 32767, 49151, 65535], column=4, uids=[0, 1, 2, 3]),
      chk(3, "bonds", [435, 4985, 49151, 65535], column=4, uids=[0, 1, 2, 3])])

# E. test_active_stake
steps = [reg(0, i, 1) for i in range(4)] + [ep(0)]
steps += [sw(1, 0, [2, 3], [32767, 32767]), sw(1, 1, [2, 3], [32767, 32767]), ep(1)]
steps += [sw(5002, 0, [2, 3], [32767, 32767]), ep(5002)]
steps += [sw(5002, 1, [2, 3], [32767, 32767]), ep(5003)]
case("test_active_stake", "subtensor tests/epoch.rs:1354 test_active_stake",
     {"name": "test_active_stake", "yuma": "yuma2",
      "hyperparameters": {"tempo": 1, "max_allowed_validators": 4, "commit_reveal": False}, "steps": steps},
     [chk(1, "dividends", [32767, 32767], uids=[0, 1]),
      chk(1, "emission", [250000000] * 4),
      chk(1, "bonds", [65535, 65535], row=0, uids=[2, 3]),
      chk(1, "bonds", [65535, 65535], row=1, uids=[2, 3]),
      chk(2, "dividends", [36044, 29490], uids=[0, 1]),
      chk(2, "emission", [274999999, 224999999], uids=[0, 1]),
      chk(2, "bonds", [65535, 65535], row=0, uids=[2, 3]),
      chk(2, "bonds", [53619, 53619], row=1, uids=[2, 3]),
      chk(3, "dividends", [35716, 29818], uids=[0, 1]),
      chk(3, "emission", [272501132, 227498866], uids=[0, 1]),
      chk(3, "bonds", [54712, 54712], row=1, uids=[2, 3])], dense=True)

# H. test_validator_permits
for n, k in [(2, 1), (4, 2), (8, 4)]:
    for assign in (0, 1):
        stake = [(i + n if i < k else i) if assign == 0 else (1 if i < k else 0) for i in range(n)]
        steps = [reg(1, i, s) for i, s in enumerate(stake)] + [ep(1)]
        first = [stake[i] >= k if i < k else False for i in range(n)]
        new = [s + 2 * n if i >= k else s for i, s in enumerate(stake)]
        steps += [{"block": 2, "set_stake": {"uid": i, "stake": new[i]}} for i in range(k, n)] + [ep(2)]
        second = [False if i < k else new[i] >= k for i in range(n)]
        name = f"test_validator_permits_n{n}_k{k}_{'ordered' if assign == 0 else 'unit'}"
        case(name, "subtensor tests/epoch.rs:2168 test_validator_permits",
             {"name": name, "yuma": "yuma2",
              "hyperparameters": {"tempo": 1, "max_allowed_validators": k, "stake_threshold": k, "commit_reveal": False},
              "steps": steps},
             [chk(0, "validator_permit", first), chk(1, "validator_permit", second)])

# I. Yuma3 scenarios
def y3(name, stakes, weights, la=True, reset_at=None, reset=False, dense=False, checks=()):
    n = len(stakes)
    hp = {"tempo": 1, "kappa": 32767, "bonds_penalty": 0, "bonds_moving_average": 975000,
          "alpha_low": 6553, "alpha_high": 19660, "alpha_sigmoid_steepness": 1000,
          "max_allowed_validators": 3, "commit_reveal": False, "bonds_reset": reset}
    steps = [reg(1, i, s) for i, s in enumerate(stakes)] + [ep(2)]
    b = 2
    for e, ws in enumerate(weights):
        for v, w in enumerate(ws):
            steps.append(sw(b, v, [3, 4], w))
        if reset_at is not None and e == reset_at:
            steps.append({"block": b, "reset_bonds": {"uid": 3}})
        b += 1
        steps.append(ep(b))
    case(name, "subtensor tests/epoch.rs:2835-3575 Yuma3 scenarios (dividends asserted within 1e-3)",
         {"name": name, "yuma": "yuma3", "liquid_alpha": "v2" if la else "off", "hyperparameters": hp, "steps": steps},
         list(checks), dense=dense)


def divs(epoch_vals):
    # scenario epoch e is output line e+1 (line 0 is the setup epoch)
    return [chk(e + 1, "dividends", v, uids=[0, 1, 2], scale=65535, tol=1e-4) for e, v in epoch_vals]


def bnd(e, uid, vals, tol=1e-4):
    return chk(e + 1, "bonds", vals, row=uid, uids=[3, 4], scale=65535, tol=tol)


A0, A1 = [M, 0], [0, M]
w = [[A0, A0, A0], [A1, A0, A0], [A1, A1, A0]] + [[A1, A1, A1]] * 3
y3("yuma3_kappa_moves_first", [8, 1, 1, 0, 0], w, dense=True, checks=divs([
    (0, [0.8, 0.1, 0.1]), (1, [1, 0, 0]), (2, [0.9382, 0.0618, 0]), (3, [0.8819, 0.0773, 0.0407]),
    (4, [0.8564, 0.0844, 0.0592]), (5, [0.8418, 0.0884, 0.0697])]) + [
    bnd(0, 0, [0.1013, 0]), bnd(0, 1, [0.1013, 0]), bnd(0, 2, [0.1013, 0]),
    bnd(1, 0, [0.0908, 0.1013]), bnd(1, 1, [0.3697, 0]), bnd(1, 2, [0.3697, 0]),
    bnd(2, 0, [0.0815, 0.1924]), bnd(2, 1, [0.3170, 0.1013]), bnd(2, 2, [0.5580, 0]),
    bnd(5, 0, [0.0588, 0.4139]), bnd(5, 1, [0.2157, 0.3478]), bnd(5, 2, [0.3089, 0.2742])])
w = [[A0, A0, A0], [A0, A0, A0], [A0, A0, A1]] + [[A0, A0, A0]] * 3
y3("yuma3_one_epoch_switch", [33, 33, 34, 0, 0], w, dense=True, checks=divs([
    (0, [0.33, 0.33, 0.34]), (1, [0.33, 0.33, 0.34]), (2, [0.3782, 0.3782, 0.2436]),
    (3, [0.3628, 0.3628, 0.2745]), (4, [0.3541, 0.3541, 0.2917]), (5, [0.3487, 0.3487, 0.3026])]) + [
    bnd(2, 2, [0.1715, 0.2987])])
y3("yuma3_liquid_alpha_disabled", [33, 33, 34, 0, 0], w, la=False, dense=True, checks=divs([
    (0, [0.33, 0.33, 0.34]), (1, [0.33, 0.33, 0.34]), (2, [0.3734, 0.3734, 0.2532]),
    (3, [0.3611, 0.3611, 0.2779]), (4, [0.3541, 0.3541, 0.2919]), (5, [0.3495, 0.3495, 0.3009])]) + [
    chk(1, "bonds", [0.025, 0.025], column=3, uids=[0, 1], scale=65535, tol=1e-4),
    chk(2, "bonds", [0.0494, 0.0494], column=3, uids=[0, 1], scale=65535, tol=1e-4),
    chk(3, "bonds", [0.0731, 0.0731], column=3, uids=[0, 1], scale=65535, tol=1e-4)])
w = [[A0, A0, A0], [A0, A1, A1]] + [[A1, A1, A1]] * 19 + [[A1, A0, A0]] + [[A0, A0, A0]] * 19
y3("yuma3_bonds_reset", [8, 1, 1, 0, 0], w, reset=True, reset_at=20, checks=divs([
    (0, [0.8, 0.1, 0.1]), (1, [0.8944, 0.0528, 0.0528]), (2, [0.5230, 0.2385, 0.2385]),
    (19, [0.7919, 0.1040, 0.1040]), (20, [0.7928, 0.1036, 0.1036]), (21, [0.8467, 0.0766, 0.0766]),
    (40, [0.7928, 0.1036, 0.1036])]) + [
    bnd(20, 0, [0, 0.8687], 1e-3), bnd(20, 1, [0, 0.9079], 1e-3), bnd(20, 2, [0, 0.9079], 1e-3)])

# J. epoch_logs scenarios (direct storage setup: tempo 10, cutoff 138)
def logs(name, neurons, block, checks, hp=None):
    h = {"tempo": 10, "commit_reveal": False}
    if hp:
        h.update(hp)
    case(name, "subtensor tests/epoch_logs.rs " + name.removeprefix("epoch_logs_"),
         {"name": name, "yuma": "yuma2", "hyperparameters": h, "neurons": neurons, "steps": [ep(block)]}, checks)


def nrn(uid, stake, upd=1, permit=True, weights=None):
    d = {"uid": uid, "stake": stake, "registered_at": 0, "last_update": upd, "validator_permit": permit}
    if weights:
        d["weights"] = {"uids": [3, 4], "values": weights}
    return d


G = 1_000_000_000
nce = lambda v: chk(0, "emission", v, scale=G, tol=1e-6)
logs("epoch_logs_test_simple", [nrn(0, G), nrn(1, G)], 1,
     [chk(0, "consensus", [0, 0]), nce([0.5, 0.5])])
srv = [nrn(3, 0, permit=False), nrn(4, 0, permit=False)]
logs("epoch_logs_validators_weight_two_distinct_servers",
     [nrn(0, G, weights=[M, 0]), nrn(1, G, weights=[0, M]), nrn(2, G, weights=[M, 0])] + srv, 1,
     [chk(0, "consensus", [0, 0, 0, M, 0]), chk(0, "validator_trust", [M, 0, M, 0, 0]),
      chk(0, "dividends", [0.5, 0, 0.5, 0, 0], scale=M, tol=1e-4), nce([0.25, 0, 0.25, 0.5, 0])])
logs("epoch_logs_validator_splits_weight_across_two_servers",
     [nrn(0, G, weights=[M, 0]), nrn(1, G, weights=[0, M]), nrn(2, G, weights=[M, M])] + srv, 1,
     [chk(0, "dividends", [0.25, 0.25, 0.5, 0, 0], scale=M, tol=1e-4), nce([0.125, 0.125, 0.25, 0.25, 0.25])])
logs("epoch_logs_uses_active_stake_when_nonzero_active", [nrn(0, G, upd=999), nrn(1, G, upd=1)], 1000,
     [chk(0, "active", [True, False]), nce([1, 0])])
logs("epoch_logs_topk_validator_permits", [nrn(0, 2 * G), nrn(1, G)], 1,
     [chk(0, "validator_permit", [True, False])], hp={"max_allowed_validators": 1})
logs("epoch_logs_emergency_mode", [nrn(0, G), nrn(1, G)], 1000,
     [chk(0, "active", [False, False]), nce([0.5, 0.5])])
logs("epoch_logs_bad_permit_vector", [nrn(0, G), nrn(1, G, permit=False)], 1,
     [chk(0, "emission", [G, 0])])

# Commit-reveal (section 9 rules, not a subtensor test): reveal after the
# period, LastUpdate = commit block, and the column mask for a uid
# re-registered after a still-pending commit.
cr_steps = [
    {"block": 10, "commit": {"uid": 0, "uids": [1, 2], "values": [M, M]}},
    ep(11),                                   # line 0: nothing revealed yet (period 2)
    ep(12),                                   # line 1: commit of epoch 0 revealed (0 + 2)
    {"block": 13, "commit": {"uid": 0, "uids": [1, 2], "values": [M, M]}},
    reg(14, 2, 0),                            # uid 2 gets a new owner
    {"block": 15, "commit": {"uid": 0, "uids": [2, 1], "values": [M, 0]}},
    ep(16),                                   # line 2: pending commit from 13 < reg 14 masks column 2
    ep(17),                                   # line 3: both commits revealed; the last one wins
]
case("commit_reveal_column_mask", "chain-epoch.md section 9 rules (reveal period, LastUpdate = commit block, column mask)",
     {"name": "commit_reveal_column_mask", "yuma": "yuma2",
      "hyperparameters": {"tempo": 360, "commit_reveal": True, "commit_reveal_period": 2},
      "neurons": [{"uid": 0, "stake": 100, "registered_at": 0, "validator_permit": True},
                  {"uid": 1, "stake": 0, "registered_at": 0}, {"uid": 2, "stake": 0, "registered_at": 0}],
      "steps": cr_steps},
     [chk(0, "consensus", [0, 0, 0]), chk(1, "consensus", [0, 32767, 32767]),
      chk(2, "consensus", [0, 65535, 0]), chk(3, "consensus", [0, 0, 65535]),
      chk(3, "validator_trust", [65535, 0, 0])])

# Hash commits (commit_weights v2): manual reveal in epoch commit + period,
# weights consumed by the following epoch.
hc = {"uid": 0, "uids": [1, 2], "values": [M, 0]}
case("commit_reveal_hash", "chain-epoch.md section 9 rules (hash commits: reveal window, LastUpdate = commit block)",
     {"name": "commit_reveal_hash", "yuma": "yuma2",
      "hyperparameters": {"tempo": 360, "commit_reveal": True, "commit_reveal_period": 1},
      "neurons": [{"uid": 0, "stake": 100, "registered_at": 0, "validator_permit": True},
                  {"uid": 1, "stake": 0, "registered_at": 0}, {"uid": 2, "stake": 0, "registered_at": 0}],
      "steps": [{"block": 10, "commit": dict(hc, hash=True)}, ep(11), {"block": 12, "reveal": hc}, ep(13),
                {"block": 14, "commit": {"uid": 0, "uids": [1, 2], "values": [0, M], "hash": True}}, ep(15), ep(16)]},
     [chk(0, "consensus", [0, 0, 0]), chk(1, "consensus", [0, 65535, 0]),
      chk(2, "consensus", [0, 65535, 0]), chk(3, "consensus", [0, 65535, 0])])

for name, (replay, expect) in cases.items():
    with open(name + ".json", "w") as f:
        json.dump(replay, f, indent=1)
        f.write("\n")
    with open(name + ".expect.json", "w") as f:
        json.dump(expect, f, indent=1)
        f.write("\n")
print(len(cases), "cases")
