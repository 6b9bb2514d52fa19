package paper

import "github.com/yuma-go/yuma/epoch"

// defaultEngine builds the float engine of package epoch.
func defaultEngine(cfg epoch.Config, validators, miners int) (Stepper, error) {
	e, err := epoch.New(cfg, validators, miners)
	if err != nil {
		return nil, err
	}
	return e, nil
}
