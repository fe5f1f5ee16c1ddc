package vendors

import "time"

// Maker returns the maker with this id, or nil.
func (c *Catalog) Maker(id string) *Maker {
	if c == nil || c.compiled == nil {
		return nil
	}
	return c.compiled.makers[id]
}

// Product returns the product with this maker and product id, or nil.
func (c *Catalog) Product(makerID, productID string) *Product {
	if c == nil || c.compiled == nil {
		return nil
	}
	return c.compiled.products[makerID+"/"+productID]
}

// MakerOf returns the maker owning p, or nil when p is not from this catalogue.
func (c *Catalog) MakerOf(p *Product) *Maker {
	if c == nil || c.compiled == nil || p == nil {
		return nil
	}
	return c.compiled.owner[p]
}

// SearchResult is one hit of Search.
type SearchResult struct {
	Maker   *Maker
	Product *Product // nil for a maker-level hit
	Score   float64  // 0..1, higher is better
}

// SupportEnd returns the last day of p's security updates, when the maker
// publishes one: "2027" ends on 2027-12-31, "2027-03" on 2027-03-31.
func SupportEnd(p *Product) (time.Time, bool) {
	if p == nil || p.Support == nil {
		return time.Time{}, false
	}
	_, last, ok := parsePeriod(p.Support.Until)
	return last, ok
}

// Status returns the support status of p on the calendar day of now.
// A product without an end date is unknown, whatever its maker's policy
// says: a policy such as "five years after we stop selling it" gives no
// date we could check against.
func (c *Catalog) Status(p *Product, now time.Time) SupportStatus {
	last, ok := SupportEnd(p)
	if !ok {
		return UnknownSupp
	}
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	switch {
	case today.After(last):
		return Ended
	case !today.AddDate(1, 0, 0).Before(last.AddDate(0, 0, 1)):
		// The first unsupported day is within 12 months from today.
		return EndingSoon
	}
	return Supported
}

// MakerLogins lists the documented default logins of all m's products, each
// distinct login once (same service, user, password and path), in data
// order. It is what to try when the maker is known but the product is not:
// many products of one maker share the same factory login.
func MakerLogins(m *Maker) []DefaultLogin {
	if m == nil {
		return nil
	}
	type key struct{ service, user, pass, path string }
	seen := map[key]bool{}
	var out []DefaultLogin
	for i := range m.Products {
		for _, l := range m.Products[i].Logins {
			k := key{l.Service, l.Username, l.Password, l.Path}
			if !seen[k] {
				seen[k] = true
				out = append(out, l)
			}
		}
	}
	return out
}
