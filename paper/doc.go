// Package paper reproduces the liquid-alpha working paper ("Amplifying the
// Weight-copying Penalty in Bittensor", Opentensor, June 2024, section 4.1)
// and re-runs its experiments under the chain's own rules.
//
// The simulated setting has three validators, j (1 TAO, honest), k (1 TAO, a
// consensus copier lagging five rounds) and c (98 TAO, honest), and four
// miners A-D whose signal is piecewise linear in the round t: A gets rho,
// then rho + delta*t/3, then rho + delta from t = 3 on; B gets 0.5 - A; C gets
// 0; D gets 0.5. Each run is simulated twice, with the fixed bond EMA (new bond
// weight 0.1) and with liquid alpha, and the copier's dividend share D_t^k,
// the immediate penalty G_t(j,k) = D_t^j - D_t^k and the amplification
// H_t = G_t(liquid) / G_t(fixed) are recorded.
//
// Run produces one Result holding every figure's data, the headline numbers
// compared with the paper's, the list of the paper's claims with whether each
// still holds, and a sweep over the copier's lag and stake. Everything a user
// sees (CSV, charts, summary.json, the markdown claims table and the HTML
// fragment) is rendered from that Result.
package paper
