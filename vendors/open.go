package vendors

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing/fstest"
)

// Open returns the embedded catalogue, or, when path is not empty, the
// embedded catalogue with the JSON file at path laid over it: each maker in
// the file replaces the embedded maker with the same id, or is added. A file
// named generic.json replaces the generic data. The result is validated like
// the embedded data.
func Open(path string) (*Catalog, error) {
	if path == "" {
		return Embedded()
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vendors: open %s: %w", path, err)
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("vendors: open %s: larger than %d bytes", path, maxFileSize)
	}
	fsys := fstest.MapFS{}
	entries, err := embedded.ReadDir("data")
	if err != nil {
		return nil, fmt.Errorf("vendors: read embedded data: %w", err)
	}
	for _, e := range entries {
		data, err := embedded.ReadFile("data/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("vendors: read embedded data: %w", err)
		}
		fsys["data/"+e.Name()] = &fstest.MapFile{Data: data}
	}
	base := filepath.Base(path)
	if base != genericFile {
		// Replace by maker id, not file name, so "acme-2027.json" replaces acme.
		if id := makerID(b); id != "" {
			for name, f := range fsys {
				if makerID(f.Data) == id {
					delete(fsys, name)
				}
			}
		}
	}
	fsys["data/"+base] = &fstest.MapFile{Data: b}
	c, err := Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("vendors: load %s over the built-in data: %w", path, err)
	}
	return c, nil
}

// makerID reads just the id of a maker file; "" when there is none. Full
// validation happens in Load.
func makerID(b []byte) string {
	var m struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(b, &m) != nil {
		return ""
	}
	return m.ID
}
