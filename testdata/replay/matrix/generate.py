#!/usr/bin/env python3
"""Writes the matrix-replay examples of this folder and their expect files.

The Yuma3 scenarios are the chain's own tests (chain-epoch.md section 13.I,
subtensor pallets/subtensor/src/tests/epoch.rs: test_yuma3_*); their expected
dividends are the values those tests assert (4 decimals). The yuma-simulation
case is computed here by a small independent float64 transcription of
yuma-simulation's "Yuma 2 (subtensor)" formulas (bactensor/yuma-simulation
_internal/yumas.py, as summarised in the project's spec). Run from this folder:
python3 generate.py
"""
import json

Y3 = {"kappa": 32767 / 65535, "bonds_penalty": 0, "bonds_moving_average": 0.975,
      "alpha_low": 6553 / 65535, "alpha_high": 19660 / 65535, "alpha_sigmoid_steepness": 10}


def hot(*rows):
    return [[1, 0] if r == 0 else [0, 1] for r in rows]


def write(name, doc, checks):
    with open(name + ".json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    with open(name + ".expect.json", "w") as f:
        json.dump({"source": doc.get("name", name), "checks": checks}, f, indent=1)
        f.write("\n")


def divchecks(pairs, tol=1e-3):
    return [{"epoch": e, "field": "dividends", "values": v, "tol": tol} for e, v in pairs]


# kappa moves first: validators with stake 0.8/0.1/0.1 move from miner 0 to 1
# one after another, the big one first.
km = [hot(0, 0, 0), hot(1, 0, 0), hot(1, 1, 0)] + [hot(1, 1, 1)] * 3
write("yuma3_kappa_moves_first", {
    "name": "yuma3 kappa moves first (chain test_yuma3_kappa_moves_first)", "engine": "float",
    "yuma": "yuma3", "liquid_alpha": "v2", "compat": "chain", "params": Y3,
    "epochs": [{"stake": [8, 1, 1], "weights": w} for w in km]},
    divchecks([(0, [0.8, 0.1, 0.1]), (1, [1, 0, 0]), (2, [0.9382, 0.0618, 0]),
               (3, [0.8819, 0.0773, 0.0407]), (4, [0.8564, 0.0844, 0.0592]), (5, [0.8418, 0.0884, 0.0697])]))

sw = [hot(0, 0, 0), hot(0, 0, 0), hot(0, 0, 1)] + [hot(0, 0, 0)] * 3
write("yuma3_one_epoch_switch", {
    "name": "yuma3 one epoch switch (chain test_yuma3_one_epoch_switch)", "engine": "float",
    "yuma": "yuma3", "liquid_alpha": "v2", "params": Y3,
    "epochs": [{"stake": [33, 33, 34], "weights": w} for w in sw]},
    divchecks([(0, [0.33, 0.33, 0.34]), (1, [0.33, 0.33, 0.34]), (2, [0.3782, 0.3782, 0.2436]),
               (3, [0.3628, 0.3628, 0.2745]), (4, [0.3541, 0.3541, 0.2917]), (5, [0.3487, 0.3487, 0.3026])]))

write("yuma3_liquid_alpha_disabled", {
    "name": "yuma3 liquid alpha disabled (chain test_yuma3_liquid_alpha_disabled)", "engine": "float",
    "yuma": "yuma3", "liquid_alpha": "off", "params": Y3,
    "epochs": [{"stake": [33, 33, 34], "weights": w} for w in sw]},
    divchecks([(0, [0.33, 0.33, 0.34]), (1, [0.33, 0.33, 0.34]), (2, [0.3734, 0.3734, 0.2532]),
               (3, [0.3611, 0.3611, 0.2779]), (4, [0.3541, 0.3541, 0.2919]), (5, [0.3495, 0.3495, 0.3009])]))


def reset_weights(ep):
    if ep == 0:
        return hot(0, 0, 0)
    if ep == 1:
        return hot(0, 1, 1)
    if ep <= 20:
        return hot(1, 1, 1)
    if ep == 21:
        return hot(1, 0, 0)
    return hot(0, 0, 0)


reset_checks = divchecks([(0, [0.8, 0.1, 0.1]), (1, [0.8944, 0.0528, 0.0528]), (2, [0.5230, 0.2385, 0.2385]),
                          (19, [0.7919, 0.1040, 0.1040]), (20, [0.7928, 0.1036, 0.1036]),
                          (21, [0.8467, 0.0766, 0.0766]), (40, [0.7928, 0.1036, 0.1036])])
dense = []
for ep in range(41):
    e = {"stake": [8, 1, 1], "weights": reset_weights(ep)}
    if ep == 20:
        e["reset_bonds"] = [0]
    dense.append(e)
write("yuma3_bonds_reset", {
    "name": "yuma3 bonds reset (chain test_yuma3_bonds_reset)", "engine": "float",
    "yuma": "yuma3", "liquid_alpha": "v2", "params": Y3, "epochs": dense}, reset_checks)

# The same scenario in the sparse form: only changed rows, stake given once.
sparse, prev = [], None
for ep in range(41):
    w = reset_weights(ep)
    e = {}
    if ep == 0:
        e["stake"] = [8, 1, 1]
    rows = [[i, [[j, x] for j, x in enumerate(r) if x != 0]] for i, r in enumerate(w) if prev is None or r != prev[i]]
    if rows:
        e["set_rows"] = rows
    if ep == 20:
        e["reset_bonds"] = [0]
    sparse.append(e)
    prev = w
write("yuma3_bonds_reset_sparse", {
    "name": "yuma3 bonds reset, sparse set_rows form", "engine": "float", "yuma": "yuma3", "liquid_alpha": "v2",
    "params": Y3, "validators": 3, "miners": 2, "epochs": sparse}, reset_checks)


# yuma-simulation "Yuma 2 (subtensor)", float64 transcription.
def ys_yuma2(stakes, weights, kappa=0.5, beta=1.0, bma=0.975):
    out, b_old = [], None
    for S, W in zip(stakes, weights):
        V, M = len(W), len(W[0])
        W = [[x / (sum(r) + 1e-6) for x in r] for r in W]
        tot = sum(S)
        S = [s / tot for s in S]
        C = []
        for j in range(M):
            col = sorted(((W[i][j], S[i]) for i in range(V)), key=lambda t: -t[0])
            cum, c = 0.0, col[0][0]
            for w, s in col:
                cum += s
                if cum >= kappa:
                    c = w
                    break
            C.append(c)
        sc = sum(C)
        C = [int(c / sc * 65535) / 65535 for c in C]
        Wc = [[min(W[i][j], C[j]) for j in range(M)] for i in range(V)]
        R = [sum(S[i] * Wc[i][j] for i in range(V)) for j in range(M)]
        I = [r / sum(R) for r in R]
        Wb = [[(1 - beta) * W[i][j] + beta * Wc[i][j] for j in range(M)] for i in range(V)]

        def colnorm(X):
            cs = [sum(X[i][j] for i in range(V)) for j in range(M)]
            return [[X[i][j] / (cs[j] + 1e-6) for j in range(M)] for i in range(V)]
        B = colnorm([[S[i] * Wb[i][j] for j in range(M)] for i in range(V)])
        a = 1 - bma
        if b_old is None:
            E = B
        else:
            Bo = colnorm(b_old)
            E = [[a * B[i][j] + (1 - a) * Bo[i][j] for j in range(M)] for i in range(V)]
        E = colnorm(E)
        D = [sum(E[i][j] * I[j] for j in range(M)) for i in range(V)]
        sd = sum(D)
        D = [d / (sd + 1e-6) for d in D]
        out.append({"dividends": D, "incentive": I, "consensus": C, "bonds": E})
        b_old = E
    return out


# Case-2-like: validator 2 (small) is late to move from miner 0 to miner 1.
ys_w = [[[0.6, 0.4], [0.6, 0.4], [0.6, 0.4]]] * 2 + [[[0.2, 0.8], [0.6, 0.4], [0.2, 0.8]]] * 2 + [[[0.2, 0.8], [0.2, 0.8], [0.2, 0.8]]] * 2
ys_s = [[0.8, 0.1, 0.1]] * len(ys_w)
res = ys_yuma2(ys_s, ys_w)
checks = []
for e, r in enumerate(res):
    for f in ("dividends", "incentive", "consensus"):
        checks.append({"epoch": e, "field": f, "values": r[f], "tol": 1e-9})
write("yuma_simulation_yuma2", {
    "name": "yuma-simulation Yuma 2 (subtensor), a late-moving small validator", "engine": "float",
    "yuma": "yuma2", "liquid_alpha": "off", "compat": "yuma-simulation",
    "params": {"kappa": 0.5, "bonds_penalty": 1, "bonds_moving_average": 0.975},
    "epochs": [{"stake": s, "weights": w} for s, w in zip(ys_s, ys_w)]}, checks)


# The liquid-alpha paper's copier setting ("Amplifying the Weight-copying
# Penalty in Bittensor", 2024; peers-and-paper.md sections 4.2-4.3):
# validators j, k (copier), c with stake 1, 1, 98; miners A-D; rho = 0,
# delta = 0.5. c holds 98% of the stake, so the consensus of round t is c's
# weights, normalised and truncated to u16 steps (notebook convention); the
# copier reports the consensus of five rounds earlier.
def signal(t, rho=0.0, delta=0.5):
    a = rho
    if t >= 3:
        a = rho + delta
    elif t >= 1:
        a = rho + delta * t / 3
    return [a, 0.5 - a, 0, 0.5]


def notebook_consensus(v):
    s = sum(v)
    return [int(x / s * 65535) / 65535 for x in v]


paper_epochs = []
for t in range(20):
    v = signal(t)
    k = signal(0) if t < 5 else notebook_consensus(signal(t - 5))
    e = {"weights": [v, k, v]}
    if t == 0:
        e["stake"] = [1, 1, 98]
    paper_epochs.append(e)
paper_params = {"kappa": 0.5, "bonds_penalty": 1, "bonds_moving_average": 0.9, "alpha_low": 0.1, "alpha_high": 0.9}
for la, paper, repro in (("off", 0.0071, 0.00712), ("v1-paper", 0.0053, 0.00532)):
    write("paper_copier_" + ("fixed" if la == "off" else "liquid"), {
        "name": "liquid-alpha paper copier, delta 0.5, liquid alpha " + la, "engine": "float",
        "yuma": "yuma2a", "liquid_alpha": la, "compat": "notebook", "params": paper_params,
        "epochs": paper_epochs},
        [{"epoch": 5, "field": "dividends", "uids": [1], "values": [paper], "tol": 1e-4},
         {"epoch": 5, "field": "dividends", "uids": [1], "values": [repro], "tol": 1e-5}])
