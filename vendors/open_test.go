package vendors

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	embedded := mustEmbedded(t)

	t.Run("empty path is the embedded catalogue", func(t *testing.T) {
		c, err := Open("")
		if err != nil || c != embedded {
			t.Fatalf("Open(\"\") = %p, %v, want the embedded catalogue", c, err)
		}
	})
	t.Run("new maker is added", func(t *testing.T) {
		body := strings.ReplaceAll(makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "camera"}]`), "2026-01", "2025-01")
		c, err := Open(write("acme.json", body))
		if err != nil {
			t.Fatal(err)
		}
		if c.Product("acme", "cam") == nil || c.Maker("hikvision") == nil {
			t.Error("overlay lost the new maker or an embedded one")
		}
		if len(c.Makers) != len(embedded.Makers)+1 {
			t.Errorf("makers = %d, want %d", len(c.Makers), len(embedded.Makers)+1)
		}
	})
	t.Run("same id replaces the embedded maker whatever the file name", func(t *testing.T) {
		body := strings.ReplaceAll(makerJSON("shelly", `[{"id": "plug-s", "name": "Plug S (2027 data)", "type": "plug"}]`), "2026-01", "2025-01")
		c, err := Open(write("shelly-update.json", body))
		if err != nil {
			t.Fatal(err)
		}
		if p := c.Product("shelly", "plug-s"); p == nil || p.Name != "Plug S (2027 data)" {
			t.Errorf("shelly/plug-s = %+v, want the overlay's", p)
		}
		if len(c.Makers) != len(embedded.Makers) {
			t.Errorf("makers = %d, want %d (replaced, not added)", len(c.Makers), len(embedded.Makers))
		}
		if embedded.Product("shelly", "plug-s").Name == "Plug S (2027 data)" {
			t.Error("the overlay changed the embedded catalogue")
		}
	})
	t.Run("invalid overlay names the file and the problem", func(t *testing.T) {
		p := write("bad.json", makerJSON("bad", `[{"id": "x", "name": "X", "type": "plug", "support": {"until": "soon", "source": {"url": "https://example.org", "checked": "2025-01-01"}}}]`))
		_, err := Open(p)
		if err == nil || !strings.Contains(err.Error(), `data/bad.json: products[0].support.until: want YYYY-MM-DD, got "soon"`) {
			t.Errorf("Open(bad) = %v", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		if _, err := Open(filepath.Join(dir, "nope.json")); err == nil {
			t.Error("Open of a missing file succeeded")
		}
	})
}
