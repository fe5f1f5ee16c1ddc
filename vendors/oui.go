package vendors

//go:generate go run ./internal/ouigen -in /usr/share/ieee-data -out oui.bin.gz

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// ouiData is the IEEE MAC-prefix registry (MA-L, MA-M, MA-S) in the compact
// form written by internal/ouigen.
//
//go:embed oui.bin.gz
var ouiData []byte

// ouiTable is one decoded prefix table: prefixes of one length, sorted.
type ouiTable struct {
	bits     int
	prefixes []uint64
	names    []uint32
}

// ouiRegistry is the decoded registry, most specific table first.
type ouiRegistry struct {
	version string // "ieee-data 2022-08-27..."
	names   []string
	tables  []ouiTable
}

// ouiOnce decodes the registry on first use: most callers of Load never
// need it, and decoding costs a few milliseconds.
var ouiOnce = sync.OnceValues(func() (*ouiRegistry, error) { return decodeOUI(ouiData) })

// OUIVendor returns the organisation registered for the MAC's prefix, and
// whether the MAC is locally administered (randomised, as phones and many
// smart devices do for privacy), in which case no organisation applies.
func (c *Catalog) OUIVendor(mac string) (name string, random bool) {
	v, ok := parseMAC(mac)
	if !ok {
		return "", false
	}
	if v>>40&0x02 != 0 {
		return "", true
	}
	reg, err := ouiOnce()
	if err != nil {
		return "", false
	}
	return reg.lookup(v), false
}

// OUIRegistryVersion names the registry snapshot the table was built from.
func OUIRegistryVersion() string {
	reg, err := ouiOnce()
	if err != nil {
		return ""
	}
	return reg.version
}

func (r *ouiRegistry) lookup(mac uint64) string {
	for _, t := range r.tables {
		p := mac >> (48 - t.bits)
		i := sort.Search(len(t.prefixes), func(i int) bool { return t.prefixes[i] >= p })
		if i < len(t.prefixes) && t.prefixes[i] == p {
			if n := r.names[t.names[i]]; n != "Private" {
				return n
			}
			return ""
		}
	}
	return ""
}

// parseMAC accepts 12 hex digits with any of the usual separators
// ("44:19:b6:01:02:03", "44-19-B6-01-02-03", "4419.b601.0203").
func parseMAC(s string) (uint64, bool) {
	var v uint64
	n := 0
	for _, r := range s {
		var d uint64
		switch {
		case r >= '0' && r <= '9':
			d = uint64(r - '0')
		case r >= 'a' && r <= 'f':
			d = uint64(r-'a') + 10
		case r >= 'A' && r <= 'F':
			d = uint64(r-'A') + 10
		case r == ':' || r == '-' || r == '.':
			continue
		default:
			return 0, false
		}
		if n++; n > 12 {
			return 0, false
		}
		v = v<<4 | d
	}
	return v, n == 12
}

// macPrefix is the first three octets as "44:19:B6", or "".
func macPrefix(mac string) string {
	v, ok := parseMAC(mac)
	if !ok {
		return ""
	}
	return strings.ToUpper(fmt.Sprintf("%02x:%02x:%02x", v>>40&0xff, v>>32&0xff, v>>24&0xff))
}

var errOUIFormat = errors.New("vendors: oui table: bad format")

func decodeOUI(gz []byte) (*ouiRegistry, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("vendors: oui table: %w", err)
	}
	r := bufio.NewReader(zr)
	magic, err := r.ReadString('\n')
	if err != nil || magic != "PLOUI1\n" {
		return nil, errOUIFormat
	}
	version, err := r.ReadString('\n')
	if err != nil {
		return nil, errOUIFormat
	}
	reg := &ouiRegistry{version: strings.TrimSpace(version)}
	n, err := binary.ReadUvarint(r)
	if err != nil || n > 1<<20 {
		return nil, errOUIFormat
	}
	reg.names = make([]string, n)
	for i := range reg.names {
		l, err := binary.ReadUvarint(r)
		if err != nil || l > 1<<10 {
			return nil, errOUIFormat
		}
		b := make([]byte, l)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, errOUIFormat
		}
		reg.names[i] = string(b)
	}
	for _, bits := range []int{24, 28, 36} {
		t, err := readOUITable(r, bits, len(reg.names))
		if err != nil {
			return nil, err
		}
		reg.tables = append([]ouiTable{t}, reg.tables...) // most specific first
	}
	return reg, nil
}

func readOUITable(r *bufio.Reader, bits, names int) (ouiTable, error) {
	t := ouiTable{bits: bits}
	n, err := binary.ReadUvarint(r)
	if err != nil || n > 1<<20 {
		return t, errOUIFormat
	}
	t.prefixes, t.names = make([]uint64, n), make([]uint32, n)
	var p uint64
	for i := range t.prefixes {
		d, err1 := binary.ReadUvarint(r)
		idx, err2 := binary.ReadUvarint(r)
		if err1 != nil || err2 != nil || idx >= uint64(names) {
			return t, errOUIFormat
		}
		p += d
		t.prefixes[i], t.names[i] = p, uint32(idx)
	}
	return t, nil
}
