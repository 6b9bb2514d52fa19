package sim

import "github.com/yuma-go/yuma/epoch"

// FloatEngine is the default EngineFactory: the float engine of package epoch.
func FloatEngine(cfg epoch.Config, validators, miners int) (Stepper, error) {
	return epoch.New(cfg, validators, miners)
}

func defaultParams() epoch.Params { return epoch.DefaultParams() }
