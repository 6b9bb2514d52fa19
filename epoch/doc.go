// Package epoch is yuma's fast float64 Yuma Consensus engine.
//
// One Engine holds the state carried between epochs (bonds, the previous
// weights and consensus) and reusable buffers, so a Step allocates nothing
// after the first. Matrices are dense and row-major: validators x miners.
//
// An epoch runs the pipeline of chain-epoch.md section 4 in float64:
//
//	stake      s_i = S_i / Σ S
//	weights    W_ij = w_ij / Σ_j w_ij                       (rows with sum 0 stay 0)
//	consensus  C_j = max{ x : Σ_{i: W_ij ≥ x} s_i ≥ κ }     (stake-weighted κ-quantile, by selection)
//	clipping   W̄_ij = min(W_ij, C_j)
//	trust      VT_i = Σ_j W̄_ij
//	incentive  I_j = R_j / Σ R,  R_j = Σ_i s_i W̄_ij       (or winner-takes-all)
//	bond input W̃_ij = (1 − β) W_ij + β W̄_ij                 (bonds penalty β)
//
// followed by the bonds-and-dividends step of the selected Yuma version (a
// Yuma value, one file per version) with the per-entry EMA rate of the
// selected liquid-alpha rule (a LiquidAlpha value, one file per rule).
//
// Compat selects numeric conventions: CompatChain follows the chain's formulas;
// CompatYumaSimulation reproduces bactensor/yuma-simulation (1e-6 guards,
// consensus normalised to sum 1 and truncated to u16, liquid alpha from the
// second epoch); CompatNotebook reproduces the 2024 diagnostic notebooks used
// by the liquid-alpha paper (consensus normalised and u16-quantised, no guards).
package epoch
