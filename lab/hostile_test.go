package lab

import (
	"testing"
)

func TestHostileScenarioLoads(t *testing.T) {
	s, err := loadScenario("hostile")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d devices", len(s.Devices))
}
