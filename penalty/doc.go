// Package penalty measures the cost of weight copying and runs parameter
// sweeps.
//
// The metrics follow the liquid-alpha working paper ("Amplifying the
// Weight-copying Penalty in Bittensor", Opentensor, 2024) and the 2024
// diagnostic notebooks:
//
//   - Immediate: the immediate weight-copying penalty G_t(j,k) of eq. 25,
//     D_t^j - mu*a_t^j - D_t^k + mu*a_t^k, for any pair of validators j
//     (reference) and k (copier) of a recorded run.
//   - Discounted: the long-term penalty Gamma(j,k) of eqs. 20 and 24 over a
//     finite horizon, sum over t of gamma^(t+1) * G_t.
//   - Amplification: H_t of eq. 32, the penalty under liquid alpha over the
//     penalty under the fixed bond EMA.
//   - RelativeRate: the notebooks' relative dividend rate,
//     (D/S) of the copier over the median (D/S) of the honest validators.
//
// Grid is the one sweep runner used by the paper reproduction and the
// diagnostic: independent jobs on a pool of goroutines, cancellable through a
// context, reporting progress, and split into shards whose merged outputs
// equal the unsharded run.
package penalty
