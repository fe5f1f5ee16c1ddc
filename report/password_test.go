package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/vendors"
)

// TestNoPasswordInReports gives the home report's devices the evidence a
// careless scanner might write (their own product's documented default
// logins, spelled out several ways, and a password in a finding's details)
// and checks that no report format shows any of it.
func TestNoPasswordInReports(t *testing.T) {
	cat, err := vendors.Embedded()
	if err != nil {
		t.Fatalf("embedded catalogue: %v", err)
	}
	r := load(t, "home.json")
	r.Catalog = cat
	secrets := []string{"Zq9-labelled", "s3cr3t-in-detail", "hunter2"}
	logins := 0
	for i := range r.Devices {
		d := &r.Devices[i]
		d.Findings = append(d.Findings,
			scan.Finding{ID: scan.FindAnonymousAccess, Title: "login password=Zq9-labelled accepted",
				Evidence: `ftp: USER anonymous PASS "hunter2" accepted`, Detail: map[string]string{"password": "s3cr3t-in-detail", "cve": "CVE-2017-7921"}})
		for _, l := range productLogins(cat, *d) {
			logins++
			d.Findings = append(d.Findings, scan.Finding{ID: scan.FindDefaultPassword, Severity: scan.Critical,
				Title: "Factory password still works", Service: "telnet:23",
				Evidence: fmt.Sprintf("accepted %s/%s on telnet; also %s:%s over http", l.Username, l.Password, l.Username, l.Password)})
			secrets = append(secrets, l.Username+"/"+l.Password, l.Username+":"+l.Password)
			if len(l.Password) >= 4 && !isWord(strings.ToLower(l.Password)) {
				secrets = append(secrets, l.Password)
			}
		}
	}
	if logins == 0 {
		t.Fatal("the catalogue has no default logins for the home devices, so the catalogue masking goes untested; give home.json a product with one")
	}
	for _, format := range []string{"markdown", "html", "text", "json"} {
		out := render(t, r, format)
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s report contains the password %q", format, s)
			}
		}
		if format == "json" && !strings.Contains(out, "CVE-2017-7921") {
			t.Errorf("json report lost a detail that is not a secret")
		}
	}
}

func productLogins(cat *vendors.Catalog, d scan.Device) []vendors.DefaultLogin {
	var out []vendors.DefaultLogin
	for _, l := range defaultLogins(cat, d) {
		if l.Password != "" {
			out = append(out, l)
		}
	}
	return out
}

func TestMasker(t *testing.T) {
	mask := masker(nil, scan.Device{})
	tests := []struct{ in, want string }{
		{"password=12345", "password=****"},
		{"Password: 'xc3511'", "Password: ****"},
		{"the password is hunter2", "the password is ****"},
		{"pwd 7ujMko0admin", "pwd ****"},
		{"documented default admin/***** accepted", "documented default admin/***** accepted"},
		{"the password was accepted", "the password was accepted"},
		{"password (****)", "password (****)"},
		{"Change the factory password", "Change the factory password"},
	}
	for _, tt := range tests {
		if got := mask(tt.in); got != tt.want {
			t.Errorf("mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
