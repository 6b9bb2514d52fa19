package diagnose

import (
	"github.com/yuma-go/yuma/epoch"
)

// defaultEngine builds the float engine of package epoch.
func defaultEngine(cfg epoch.Config, validators, miners int) (Stepper, error) {
	return epoch.New(cfg, validators, miners)
}
