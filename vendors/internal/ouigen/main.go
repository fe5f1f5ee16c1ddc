// Command ouigen builds Porchlight's compact MAC-prefix table from the IEEE
// registry files shipped in Debian's ieee-data package (oui.csv for MA-L,
// mam.csv for MA-M, oui36.csv for MA-S). Run through go generate in vendors/.
//
// Output (gzip-compressed), all integers unsigned varints:
//
//	"PLOUI1\n" header text line: "ieee-data <version>\n"
//	count of names, then each name as length + bytes (sorted, unique)
//	for each table (24, 28 then 36 bits): count, then each entry as the
//	prefix delta from the previous entry and the name index
//
// Entries are sorted by prefix, so the reader can binary-search them.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// table is one registry file and the prefix length of its assignments.
type table struct {
	file string
	bits int
}

var tables = []table{{"oui.csv", 24}, {"mam.csv", 28}, {"oui36.csv", 36}}

type entry struct {
	prefix uint64
	name   string
}

func main() {
	in := flag.String("in", "/usr/share/ieee-data", "directory holding the ieee-data CSV files")
	out := flag.String("out", "oui.bin.gz", "output file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "ouigen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	version, err := os.ReadFile(filepath.Join(in, ".lastupdate"))
	if err != nil {
		return fmt.Errorf("read registry date: %w", err)
	}
	all := make([][]entry, len(tables))
	names := map[string]bool{}
	for i, t := range tables {
		es, err := readTable(filepath.Join(in, t.file), t.bits)
		if err != nil {
			return err
		}
		for _, e := range es {
			names[e.name] = true
		}
		all[i] = es
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf) // zero ModTime: the output is reproducible
	w := bufio.NewWriter(zw)
	fmt.Fprintf(w, "PLOUI1\nieee-data %s\n", strings.TrimSpace(string(version)))
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	index := make(map[string]uint64, len(sorted))
	putUvarint(w, uint64(len(sorted)))
	for i, n := range sorted {
		index[n] = uint64(i)
		putUvarint(w, uint64(len(n)))
		w.WriteString(n)
	}
	for _, es := range all {
		putUvarint(w, uint64(len(es)))
		var prev uint64
		for _, e := range es {
			putUvarint(w, e.prefix-prev)
			putUvarint(w, index[e.name])
			prev = e.prefix
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func putUvarint(w io.Writer, v uint64) {
	var b [binary.MaxVarintLen64]byte
	w.Write(b[:binary.PutUvarint(b[:], v)])
}

// readTable reads one registry CSV; the assignment column is the prefix in hex.
func readTable(path string, bits int) ([]entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	seen := map[uint64]bool{}
	var es []entry
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if line == 1 || len(rec) < 3 {
			continue // header
		}
		hex := strings.TrimSpace(rec[1])
		if len(hex)*4 != bits {
			return nil, fmt.Errorf("%s:%d: want %d hex digits, got %q", path, line, bits/4, hex)
		}
		p, err := strconv.ParseUint(hex, 16, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		name := strings.Join(strings.Fields(rec[2]), " ")
		if seen[p] || name == "" {
			continue
		}
		seen[p] = true
		es = append(es, entry{p, name})
	}
	sort.Slice(es, func(a, b int) bool { return es[a].prefix < es[b].prefix })
	return es, nil
}
