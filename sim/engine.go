package sim

import (
	"errors"

	"github.com/yuma-go/yuma/epoch"
)

// errNoEngine is returned until the float engine (epoch.New) is in the tree.
var errNoEngine = errors.New("the float engine (epoch.New) is not available yet")

// FloatEngine is the default EngineFactory: the float engine of package epoch.
func FloatEngine(cfg epoch.Config, validators, miners int) (Stepper, error) {
	_, _, _ = cfg, validators, miners
	return nil, errNoEngine
}

// defaultParams mirrors epoch.DefaultParams (kappa 0.5, bonds penalty 1,
// bonds moving average 0.9, alpha 0.7 / 0.9, steepness 10, effective weights,
// current consensus).
func defaultParams() epoch.Params {
	return epoch.Params{
		Kappa: 0.5, BondsPenalty: 1, BondsMovingAverage: 0.9, AlphaLow: 0.7, AlphaHigh: 0.9,
		AlphaSigmoidSteepness: 10, LiquidAlphaEffectiveWeights: true, LiquidAlphaConsensus: epoch.ConsensusCurrent,
		DecayRate: 0.1, CapacityAlpha: 0.1,
	}
}

func defaultConfig() epoch.Config {
	return epoch.Config{Yuma: epoch.Yuma3, LiquidAlpha: epoch.LiquidAlphaOff, Compat: epoch.CompatChain, Params: defaultParams()}
}
