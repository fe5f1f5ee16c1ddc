package vendors

import (
	"io/fs"
	"time"
)

// This file holds the catalogue's API. The bodies are placeholders until the
// loader and matcher land (issue 6); the signatures are what scan, advice and
// lab code against.

type compiled struct{}

// Load decodes, validates and compiles the vendor data in fsys (every *.json
// under data/).
func Load(fsys fs.FS) (*Catalog, error) { return &Catalog{compiled: &compiled{}}, nil }

// Embedded returns the catalogue built into the binary, loaded once.
func Embedded() (*Catalog, error) { return Load(nil) }

// Identify matches evidence against the rules and returns the best identification.
func (c *Catalog) Identify(e Evidence) Identification { return Identification{Type: "unknown"} }

// ProbePaths lists the HTTP paths discovery should fetch (capped) from any
// device with an open web port, because some rule reads them.
func (c *Catalog) ProbePaths() []string { return nil }

// Maker returns the maker with this id, or nil.
func (c *Catalog) Maker(id string) *Maker { return nil }

// Product returns the product with this maker and product id, or nil.
func (c *Catalog) Product(makerID, productID string) *Product { return nil }

// MakerOf returns the maker owning p.
func (c *Catalog) MakerOf(p *Product) *Maker { return nil }

// OUIVendor returns the organisation registered for the MAC's prefix, and
// whether the MAC is locally administered (randomised).
func (c *Catalog) OUIVendor(mac string) (name string, random bool) { return "", false }

// SearchResult is one hit of Search.
type SearchResult struct {
	Maker   *Maker
	Product *Product // nil for a maker-level hit
	Score   float64
}

// Search finds makers and products by free text ("tp-link tapo c200"), best first.
func (c *Catalog) Search(text string) []SearchResult { return nil }

func (c *Catalog) status(p *Product, now time.Time) SupportStatus { return UnknownSupp }
