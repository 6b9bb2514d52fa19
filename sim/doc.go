// Package sim runs multi-epoch Yuma Consensus simulations on the float engine
// (package epoch): validators follow strategies, miners emit signals, and the
// driver records every epoch's weights, bonds, dividends, incentive, consensus
// and validator trust for each Yuma variant a scenario asks for.
//
// The package has one driver (Run, in driver.go) that owns the epoch loop,
// cancellation and progress reporting, and many small strategies (one file
// each, all implementing Strategy) and miner signals (signal.go). Scenarios come
// from YAML or JSON files (scenario.go, strictly decoded and validated into
// *badinput.Error values) or from the built-in catalogue (catalogue.go), which
// holds the 24 synthetic cases of bactensor/yuma-simulation and the liquid-alpha
// paper's three-validator, four-miner setting.
//
// Everything a user sees about a run (CSV, JSON, charts, web pages) is derived
// from the single Result type that Run returns.
package sim
