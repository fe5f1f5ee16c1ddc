package vendors

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

const okProduct = `{"id": "cam", "name": "Cam", "type": "camera"}`

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // the whole positioned message must appear
	}{
		{
			name:  "bad end date",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[`+okProduct+`, {"id": "x", "name": "X", "type": "plug"}, {"id": "y", "name": "Y", "type": "plug"}, {"id": "z", "name": "Z", "type": "plug", "support": {"until": "soon", "source": {"url": "https://example.org", "checked": "2026-01-01"}}}]`)},
			want:  `data/acme.json: products[3].support.until: want YYYY-MM-DD, got "soon"`,
		},
		{
			name:  "end date before release",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "z", "name": "Z", "type": "plug", "released": "2020-05", "released_source": {"url": "https://example.org", "checked": "2026-01-01"}, "support": {"until": "2019", "source": {"url": "https://example.org", "checked": "2026-01-01"}}}]`)},
			want:  `data/acme.json: products[0].support.until: 2019 is not after the release date 2020-05`,
		},
		{
			name:  "release date without source",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "z", "name": "Z", "type": "plug", "released": "2020"}]`)},
			want:  `data/acme.json: products[0].released_source: missing`,
		},
		{
			name:  "fact without a source URL",
			files: map[string]string{"data/acme.json": strings.Replace(makerJSON("acme", `[`+okProduct+`]`), `"url": "https://example.org/d"`, `"url": ""`, 1)},
			want:  `data/acme.json: disclosure.source.url: want an http or https address, got ""`,
		},
		{
			name:  "checked date invented as a year only",
			files: map[string]string{"data/acme.json": strings.Replace(makerJSON("acme", `[`+okProduct+`]`), `"checked": "2026-01"`, `"checked": "2026"`, 1)},
			want:  `data/acme.json: disclosure.source.checked: want YYYY-MM-DD, got "2026"`,
		},
		{
			name:  "checked after the data date",
			files: map[string]string{"data/acme.json": strings.Replace(makerJSON("acme", `[`+okProduct+`]`), `"checked": "2026-01"`, `"checked": "2026-03-01"`, 1)},
			want:  `data/acme.json: disclosure.source.checked: 2026-03-01 is after the data date 2026-01-31`,
		},
		{
			name:  "duplicate product id",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[`+okProduct+`,`+okProduct+`]`)},
			want:  `data/acme.json: products[1].id: product id "cam" is used twice`,
		},
		{
			name:  "duplicate maker id across files",
			files: map[string]string{"data/a.json": makerJSON("acme", `[`+okProduct+`]`), "data/b.json": makerJSON("acme", `[`+okProduct+`]`)},
			want:  `data/b.json: id: maker id "acme" is also used in data/a.json`,
		},
		{
			name:  "pattern does not compile",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "camera", "match": [{"server": "App-webs/("}]}]`)},
			want:  `data/acme.json: products[0].match[0].server: pattern does not compile`,
		},
		{
			name:  "rule with only an OUI",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "camera", "match": [{"oui_name": "Acme"}]}]`)},
			want:  `data/acme.json: products[0].match[0]: a rule needs at least one field besides oui_name`,
		},
		{
			name:  "firmware pattern without a group",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "camera", "match": [{"server": "x", "firmware": "v[0-9]+", "firmware_from": "server"}]}]`)},
			want:  `data/acme.json: products[0].match[0].firmware: want a pattern with a capture group`,
		},
		{
			name:  "unknown firmware source",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "camera", "match": [{"server": "x", "firmware": "v([0-9]+)", "firmware_from": "serial"}]}]`)},
			want:  `data/acme.json: products[0].match[0].firmware_from: want one of`,
		},
		{
			name:  "bad OUI",
			files: map[string]string{"data/acme.json": strings.Replace(makerJSON("acme", `[`+okProduct+`]`), `"name": "Acme acme",`, `"name": "Acme acme", "ouis": ["44:19:b6"],`, 1)},
			want:  `data/acme.json: ouis[0]: want XX:XX:XX in upper-case hex, got "44:19:b6"`,
		},
		{
			name: "too many default logins",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "camera", "default_logins": [`+
				strings.TrimSuffix(strings.Repeat(`{"service": "telnet", "username": "root", "password": "x", "source": {"url": "https://example.org", "checked": "2026-01-01"}},`, 7), ",")+`]}]`)},
			want: `data/acme.json: products[0].default_logins: at most 6 per product, got 7`,
		},
		{
			name:  "unknown login service",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "camera", "default_logins": [{"service": "smb", "username": "a", "password": "b", "source": {"url": "https://example.org", "checked": "2026-01-01"}}]}]`)},
			want:  `data/acme.json: products[0].default_logins[0].service: want one of`,
		},
		{
			name:  "no disclosure and no none_published",
			files: map[string]string{"data/acme.json": strings.Replace(makerJSON("acme", `[`+okProduct+`]`), `"email": "security@example.org", `, ``, 1)},
			want:  `data/acme.json: disclosure: want a url or email, or none_published with the source searched`,
		},
		{
			name:  "none_published but a contact given",
			files: map[string]string{"data/acme.json": strings.Replace(makerJSON("acme", `[`+okProduct+`]`), `"email": "security@example.org", `, `"email": "security@example.org", "none_published": true, `, 1)},
			want:  `data/acme.json: disclosure.none_published: true, but a url or email is given`,
		},
		{
			name:  "no guides",
			files: map[string]string{"data/acme.json": strings.Replace(makerJSON("acme", `[`+okProduct+`]`), `"change_password": ["Change it."], "update": ["Update it."], "replace": ["Replace it."]`, `"change_password": [], "update": ["Update it."]`, 1)},
			want:  `data/acme.json: guides.change_password: missing: every maker needs a password guide`,
		},
		{
			name:  "no replace guide",
			files: map[string]string{"data/acme.json": strings.Replace(makerJSON("acme", `[`+okProduct+`]`), `, "replace": ["Replace it."]`, ``, 1)},
			want:  `data/acme.json: guides.replace: missing: every maker needs a guide for when updates end`,
		},
		{
			name:  "unknown device type",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "toaster"}]`)},
			want:  `data/acme.json: products[0].type: want one of`,
		},
		{
			name:  "bad CVE id",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[{"id": "cam", "name": "Cam", "type": "camera", "known_exploited": [{"cve": "CVE-17-1", "title": "x", "source": {"url": "https://example.org", "checked": "2026-01-01"}}]}]`)},
			want:  `data/acme.json: products[0].known_exploited[0].cve: want CVE-YYYY-NNNN, got "CVE-17-1"`,
		},
		{
			name:  "policy published but empty",
			files: map[string]string{"data/acme.json": strings.Replace(makerJSON("acme", `[`+okProduct+`]`), `"policy": "Five years."`, `"policy": ""`, 1)},
			want:  `data/acme.json: support.policy: published is true but the policy is empty`,
		},
		{
			name:  "unknown field is rejected with its line",
			files: map[string]string{"data/acme.json": "{\n \"id\": \"acme\",\n \"colour\": \"red\"\n}"},
			want:  `data/acme.json:3: json: unknown field "colour"`,
		},
		{
			name:  "syntax error has its line",
			files: map[string]string{"data/acme.json": "{\n \"id\": \"acme\",\n \"name\": \"A\" \"x\"\n}"},
			want:  `data/acme.json:3: invalid character`,
		},
		{
			name:  "trailing data",
			files: map[string]string{"data/acme.json": makerJSON("acme", `[`+okProduct+`]`) + "{}"},
			want:  `data/acme.json`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mapCatalog(t, tt.files)
			if err == nil {
				t.Fatalf("Load() succeeded, want error %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load() error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

func TestValidateAcceptsMinimal(t *testing.T) {
	c, err := mapCatalog(t, map[string]string{"data/acme.json": makerJSON("acme", `[`+okProduct+`]`)})
	if err != nil {
		t.Fatalf("Load(minimal) = %v", err)
	}
	if c.Product("acme", "cam") == nil {
		t.Error("minimal product missing")
	}
}

func TestValidationErrorType(t *testing.T) {
	_, err := mapCatalog(t, map[string]string{"data/acme.json": makerJSON("Acme", `[`+okProduct+`]`)})
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.File != "data/acme.json" || ve.Path != "id" {
		t.Fatalf("error %v is not a *ValidationError for data/acme.json id", err)
	}
}

func TestLoadNeedsGeneric(t *testing.T) {
	_, err := Load(fstest.MapFS{"data/acme.json": {Data: []byte(makerJSON("acme", `[`+okProduct+`]`))}})
	if err == nil || !strings.Contains(err.Error(), "generic.json is missing") {
		t.Errorf("Load without generic.json = %v", err)
	}
	if _, err := Load(fstest.MapFS{}); err == nil {
		t.Error("Load of an empty file system succeeded")
	}
	if _, err := Load(nil); err == nil {
		t.Error("Load(nil) succeeded")
	}
}

func TestLoadCapsFileSize(t *testing.T) {
	big := strings.Repeat(" ", maxFileSize+1)
	_, err := mapCatalog(t, map[string]string{"data/big.json": big})
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("Load of a huge file = %v, want a size error", err)
	}
}

func TestGenericLoginLimit(t *testing.T) {
	login := `{"service": "http-basic", "username": "admin", "password": "admin", "source": {"url": "https://example.org", "checked": "2026-01-01"}}`
	g := strings.Replace(minimalGeneric, `"default_logins": []`, `"default_logins": [`+strings.TrimSuffix(strings.Repeat(login+",", 6), ",")+`]`, 1)
	_, err := Load(fstest.MapFS{"data/generic.json": {Data: []byte(g)}, "data/acme.json": {Data: []byte(makerJSON("acme", `[`+okProduct+`]`))}})
	if err == nil || !strings.Contains(err.Error(), "data/generic.json: default_logins: at most 5 generic logins, got 6") {
		t.Errorf("Load with 6 generic logins = %v", err)
	}
}
