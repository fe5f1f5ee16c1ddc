package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCommittedTableIsReproducible regenerates the table from the installed
// ieee-data package and compares it with the committed file, so the file
// in the repository is known to come from the registry and nothing else.
func TestCommittedTableIsReproducible(t *testing.T) {
	const in = "/usr/share/ieee-data"
	if _, err := os.Stat(filepath.Join(in, "oui.csv")); err != nil {
		t.Skip("ieee-data is not installed (apt-get install ieee-data)")
	}
	out := filepath.Join(t.TempDir(), "oui.bin.gz")
	if err := run(in, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../oui.bin.gz")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("regenerated table (%d bytes) differs from vendors/oui.bin.gz (%d bytes); run go generate ./vendors", len(got), len(want))
	}
}

func TestReadTableRejectsBadRows(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "oui.csv")
	rows := "Registry,Assignment,Organization Name,Organization Address\nMA-L,4419B,Short,Somewhere\n"
	if err := os.WriteFile(p, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readTable(p, 24); err == nil {
		t.Error("readTable accepted a 5-digit MA-L assignment")
	}
}

func TestReadTableSortsAndDeduplicates(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "oui.csv")
	rows := "Registry,Assignment,Organization Name,Organization Address\n" +
		"MA-L,4419B6,\"Hangzhou  Hikvision\",x\nMA-L,001788,Philips Lighting BV,y\nMA-L,4419B6,Again,z\n"
	if err := os.WriteFile(p, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	es, err := readTable(p, 24)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].prefix != 0x001788 || es[1].name != "Hangzhou Hikvision" {
		t.Errorf("readTable = %+v", es)
	}
}
