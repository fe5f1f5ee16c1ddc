package vendors

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// embedded holds the data set built into the binary.
//
//go:embed data/*.json
var embedded embed.FS

// genericFile is the name of the file holding the fallback knowledge and the
// data date; every other *.json under data/ is one maker.
const genericFile = "generic.json"

// maxFileSize caps one data file, so a corrupt or hostile overlay cannot make
// the loader allocate without bound.
const maxFileSize = 4 << 20

// Embedded returns the catalogue built into the binary, loaded once and
// shared. The embedded data is validated by tests, so an error here means a
// broken build.
func Embedded() (*Catalog, error) { return embeddedOnce() }

var embeddedOnce = sync.OnceValues(func() (*Catalog, error) {
	return Load(embedded)
})

// genericData is the decoded form of generic.json.
type genericData struct {
	DataDate string `json:"data_date"`
	Generic
}

// Load decodes, validates and compiles the vendor data in fsys: every *.json
// under data/, one maker per file plus generic.json. It returns every
// validation problem at once, each with its file and position.
func Load(fsys fs.FS) (*Catalog, error) {
	if fsys == nil {
		return nil, errors.New("vendors: load: no file system")
	}
	c, err := decodeAll(fsys)
	if err != nil {
		return nil, err
	}
	cache := patternCache{}
	if err := validate(c, cache); err != nil {
		return nil, err
	}
	if err := c.compile(cache.get); err != nil {
		return nil, err
	}
	return c, nil
}

// decodeAll reads every data file into an uncompiled catalogue. Makers come
// out sorted by id so that identification ties break the same way each run.
func decodeAll(fsys fs.FS) (*Catalog, error) {
	names, err := fs.Glob(fsys, "data/*.json")
	if err != nil {
		return nil, fmt.Errorf("vendors: list data files: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("vendors: load: no data/*.json files")
	}
	c := &Catalog{}
	sawGeneric := false
	for _, name := range names {
		b, err := readCapped(fsys, name)
		if err != nil {
			return nil, err
		}
		if path.Base(name) == genericFile {
			var g genericData
			if err := decodeStrict(name, b, &g); err != nil {
				return nil, err
			}
			c.DataDate, c.Generic, sawGeneric = g.DataDate, g.Generic, true
			continue
		}
		var m Maker
		if err := decodeStrict(name, b, &m); err != nil {
			return nil, err
		}
		c.Makers = append(c.Makers, m)
		c.files = append(c.files, name)
	}
	if !sawGeneric {
		return nil, fmt.Errorf("vendors: load: data/%s is missing", genericFile)
	}
	sortMakers(c)
	return c, nil
}

// sortMakers orders makers (and their file names) by id.
func sortMakers(c *Catalog) {
	idx := make([]int, len(c.Makers))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return c.Makers[idx[a]].ID < c.Makers[idx[b]].ID })
	makers := make([]Maker, len(idx))
	files := make([]string, len(idx))
	for i, j := range idx {
		makers[i], files[i] = c.Makers[j], c.files[j]
	}
	c.Makers, c.files = makers, files
}

func readCapped(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("vendors: open %s: %w", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("vendors: read %s: %w", name, err)
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("vendors: read %s: larger than %d bytes", name, maxFileSize)
	}
	return b, nil
}

// decodeStrict decodes one JSON value, rejecting unknown fields and trailing
// data, and names the line and column of a syntax or type error.
func decodeStrict(name string, b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &DecodeError{File: name, Line: lineOf(b, dec.InputOffset(), err), Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &DecodeError{File: name, Line: lineOf(b, dec.InputOffset(), nil), Err: errors.New("extra data after the top-level object")}
	}
	return nil
}

// DecodeError is a data file that is not valid JSON for its type.
type DecodeError struct {
	File string
	Line int // 1-based; 0 when unknown
	Err  error
}

func (e *DecodeError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// lineOf finds the line of a decode error: the syntax error's own offset when
// it has one, else where the decoder stopped.
func lineOf(b []byte, stopped int64, err error) int {
	off := stopped
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case err != nil && strings.HasPrefix(err.Error(), "json: unknown field "):
		// The decoder gives no offset for an unknown field; find the key.
		if name, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field ")); uerr == nil {
			if loc := regexp.MustCompile(regexp.QuoteMeta(strconv.Quote(name)) + `\s*:`).FindIndex(b); loc != nil {
				off = int64(loc[0])
			}
		}
	}
	if off < 0 {
		off = 0
	}
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	return bytes.Count(b[:off], []byte("\n")) + 1
}
