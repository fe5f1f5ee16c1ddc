package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromium runs headless Chromium on a file with the given extra flags and
// returns its standard output. It skips the test when Chromium is absent.
func chromium(t *testing.T, page string, extra ...string) []byte {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("chromium is not installed; skipping the browser render test")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir=" + t.TempDir(),
		// The page needs nothing from any network; make sure nothing is tried.
		"--host-resolver-rules=MAP * ~NOTFOUND", "--no-proxy-server",
	}
	args = append(append(args, extra...), "file://"+page)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(extra, " "), err, lastLines(stderr.String(), 10))
	}
	return out
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestChromiumRender opens the HTML report in a real browser at phone and
// desktop widths and as a printout: screenshots are made and are not blank,
// and every device is in the rendered page.
func TestChromiumRender(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser; skipped with -short")
	}
	r := load(t, "home.json")
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(render(t, r, "html")), 0o600); err != nil {
		t.Fatal(err)
	}
	sizes := []struct {
		name          string
		width, height int
	}{{"phone", 390, 844}, {"desktop", 1280, 900}}
	for _, size := range sizes {
		t.Run(size.name, func(t *testing.T) {
			shot := filepath.Join(dir, size.name+".png")
			chromium(t, page, "--screenshot="+shot, fmt.Sprintf("--window-size=%d,%d", size.width, size.height), "--hide-scrollbars")
			checkScreenshot(t, shot, size.width, size.height)
		})
	}
	t.Run("dom", func(t *testing.T) {
		dom := string(chromium(t, page, "--dump-dom"))
		for _, d := range r.Devices {
			if !strings.Contains(dom, d.Model) || !strings.Contains(dom, d.IP) {
				t.Errorf("rendered page lacks %s at %s", d.Model, d.IP)
			}
		}
		if n := strings.Count(dom, `class="device `); n != len(r.Devices) {
			t.Errorf("rendered page has %d device sections, want %d", n, len(r.Devices))
		}
	})
	t.Run("print", func(t *testing.T) {
		pdf := filepath.Join(dir, "handout.pdf")
		chromium(t, page, "--print-to-pdf="+pdf, "--no-pdf-header-footer")
		b, err := os.ReadFile(pdf)
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 20<<10 {
			t.Fatalf("printout: %d bytes, %v; want a PDF of some pages", len(b), err)
		}
	})
}

// checkScreenshot decodes a PNG and checks it has the window's size and
// real content: many colours, not a blank or single-colour page.
func checkScreenshot(t *testing.T, path string, width, height int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != width || b.Dy() != height {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), width, height)
	}
	if n := colours(img, 64); n < 16 {
		t.Errorf("screenshot has %d colours; the page looks blank", n)
	}
}

// colours counts distinct colours in img, stopping at limit.
func colours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
