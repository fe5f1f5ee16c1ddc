package main

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/porchlight/porchlight"

// forbidden maps a top-level package to the packages it must not import
// (directly, in non-test code), each with the reason. Sub-packages
// (scan/ssdp, ...) follow their top-level package's rule.
var forbidden = map[string]map[string]string{
	"vendors": {
		"scan": "vendors is the knowledge base; it imports nothing of ours", "advice": "vendors imports nothing of ours",
		"report": "vendors imports nothing of ours", "history": "vendors imports nothing of ours",
		"ui": "vendors imports nothing of ours", "lab": "vendors imports nothing of ours",
	},
	"scan": {
		"advice":  "scan finds facts; advice words them, downstream of scan",
		"report":  "reports are made from scan events, never the other way",
		"history": "scan must run without a database (lab, tests, scripts)",
		"ui":      "scan streams events to any consumer; the TUI is only one",
		"lab":     "the scanner must not know the lab; it finds it on the wire like any device",
	},
	"advice": {
		"ui": "advice is pure words, usable by reports too", "report": "report uses advice, not the reverse",
		"history": "advice is pure: no I/O", "lab": "advice never depends on simulated devices",
	},
	"report": {
		"ui": "reports are written without a terminal", "history": "report renders a scan; history stores it",
		"lab": "reports never depend on simulated devices",
	},
	"history": {
		"ui": "history is storage only", "report": "history stores scans, not rendered reports",
		"advice": "history stores facts, not words", "lab": "history never depends on simulated devices",
	},
	"lab": {
		"scan":   "the lab must behave like real devices, not mirror the scanner's code",
		"advice": "lab devices are built from vendor facts only", "report": "lab devices are built from vendor facts only",
		"history": "lab devices are built from vendor facts only", "ui": "lab devices are built from vendor facts only",
	},
	"ui": {
		"lab": "main starts the lab for the demo; the TUI only sees a network",
	},
}

func TestPackageArrows(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		checked++
		top := strings.SplitN(filepath.ToSlash(path), "/", 2)[0]
		for _, imp := range pkg.Imports {
			checkImport(t, path, top, imp)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 7 {
		t.Fatalf("checked %d packages, want at least the 7 of the design", checked)
	}
}

func checkImport(t *testing.T, path, top, imp string) {
	t.Helper()
	if !strings.HasPrefix(imp, module) {
		return
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
	target := strings.SplitN(rel, "/", 2)[0]
	switch {
	case rel == "":
		t.Errorf("%s imports main: nothing imports main", path)
	case target == "ui" && top != ".":
		t.Errorf("%s imports %s: only main may import ui", path, imp)
	case forbidden[top][target] != "":
		t.Errorf("%s imports %s: %s", path, imp, forbidden[top][target])
	}
}
