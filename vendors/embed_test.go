package vendors

import "testing"

func TestEmbeddedLoads(t *testing.T) {
	c, err := Embedded()
	if err != nil {
		t.Fatalf("Embedded() error:\n%v", err)
	}
	if len(c.Makers) == 0 {
		t.Fatal("Embedded() has no makers")
	}
}
