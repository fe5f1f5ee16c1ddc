package lab

import (
	"html/template"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"
)

// serveHTTP starts one web server per HTTP port of d: the admin page on the
// first, the maker's own endpoints on all of them, the UPnP description and
// control on the SSDP description port, and IPP on the printer port.
func serveHTTP(l *Lab, d *device) error {
	for _, port := range httpPorts(d.spec) {
		ln, err := l.net.listenTCP(d, port)
		if err != nil {
			return err
		}
		srv := &http.Server{
			Handler:           d.httpHandler(port),
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			IdleTimeout:       30 * time.Second,
			MaxHeaderBytes:    16 << 10,
			ErrorLog:          quietLog,
		}
		ln = &misbehavingListener{Listener: ln, d: d, proto: "http", l: l}
		if !l.track(srv) {
			return nil
		}
		l.goServe(func() { _ = srv.Serve(ln) })
	}
	return nil
}

// httpPorts lists every TCP port d serves HTTP on, admin port first.
func httpPorts(s DeviceSpec) []int {
	var ports []int
	if s.HTTP != nil {
		ports = append(ports, s.HTTP.Ports...)
	}
	if s.SSDP != nil && !slices.Contains(ports, s.SSDP.Port) {
		ports = append(ports, s.SSDP.Port)
	}
	if s.IPP != nil && !slices.Contains(ports, s.IPP.Port) {
		ports = append(ports, s.IPP.Port)
	}
	return ports
}

// hasAdmin reports whether d has an admin page (devices such as a TV or a
// speaker have none: they are set up from an app).
func (d *device) hasAdmin() bool {
	return d.spec.HTTP != nil && d.spec.HTTP.Auth != "" && len(d.spec.HTTP.Ports) > 0
}

// routes is a ServeMux that ignores a second registration of a pattern, so
// the maker's endpoints and the UPnP paths can share a port without clashing.
type routes struct {
	mux  *http.ServeMux
	seen map[string]bool
}

func (r *routes) handle(pattern string, h http.HandlerFunc) {
	if !r.seen[pattern] {
		r.seen[pattern] = true
		r.mux.HandleFunc(pattern, h)
	}
}

func (d *device) httpHandler(port int) http.Handler {
	rt := &routes{mux: http.NewServeMux(), seen: map[string]bool{}}
	s := d.spec
	if s.SSDP != nil && port == s.SSDP.Port {
		d.upnpRoutes(rt)
	}
	if s.IPP != nil && port == s.IPP.Port {
		rt.handle("POST "+s.IPP.Path, d.serveIPP)
	}
	if s.HTTP != nil && slices.Contains(s.HTTP.Ports, port) {
		d.profileRoutes(rt)
		if d.hasAdmin() && port == s.HTTP.Ports[0] {
			d.adminRoutes(rt)
		}
	}
	if !rt.seen["/"] {
		rt.handle("/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.HTTP != nil && s.HTTP.Server != "" {
			w.Header().Set("Server", d.text("http", d.expand(s.HTTP.Server)))
		}
		if d.hostileHTTP(w, r) { // hostile.go
			return
		}
		if d.misbehaves("http", "oversized") {
			writeOversized(w)
			return
		}
		rt.mux.ServeHTTP(w, r)
	})
}

// effectiveAuth is the admin page's scheme now: a device that shipped with
// no login (Shelly) asks for Basic once its owner has set a password.
func (d *device) effectiveAuth() string {
	a := d.spec.HTTP.Auth
	if a == authNone {
		if pw, _ := d.password("http", "admin"); pw != "" {
			return authBasic
		}
	}
	return a
}

// adminUser returns the logged-in user of an admin request, or writes the
// challenge (401, or a redirect to the login form) and returns false.
func (d *device) adminUser(w http.ResponseWriter, r *http.Request) (string, bool) {
	h := d.spec.HTTP
	switch scheme := d.effectiveAuth(); scheme {
	case authNone:
		return "admin", true
	case authForm:
		if c, err := r.Cookie(sessionCookie); err == nil {
			if u, ok := d.keys.session(c.Value); ok {
				return u, true
			}
		}
		http.Redirect(w, r, d.formPath(), http.StatusFound)
		return "", false
	default:
		realm := d.text("http", d.expand(h.Realm))
		if u, ok := d.authorize(r, "http", scheme, realm, d.keys); ok {
			return u, true
		}
		for _, c := range challenges(scheme, realm, d.keys.nonce(time.Now())) {
			w.Header().Add("WWW-Authenticate", c)
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("<html><head><title>401 Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>\n"))
		return "", false
	}
}

const sessionCookie = "SESSIONID"

func (d *device) formPath() string {
	if f := d.spec.HTTP.Form; f != nil && f.Path != "" {
		return f.Path
	}
	return "/login"
}

func (d *device) formFields() (user, pass string) {
	if f := d.spec.HTTP.Form; f != nil && f.UserField != "" {
		return f.UserField, f.PassField
	}
	return "username", "password"
}

// adminRoutes are the pages every admin UI has: status, password, update,
// services, and the login form for form-login devices.
func (d *device) adminRoutes(rt *routes) {
	rt.handle("GET /{$}", d.adminPage(d.statusPage))
	rt.handle("GET /password", d.adminPage(d.passwordPage))
	rt.handle("POST /password", d.adminPage(d.changePassword))
	rt.handle("GET /update", d.adminPage(d.updatePage))
	rt.handle("POST /update", d.adminPage(d.installUpdate))
	rt.handle("POST /services", d.adminPage(d.changeService))
	if d.spec.HTTP.Auth == authForm {
		rt.handle("GET "+d.formPath(), d.loginForm)
		rt.handle("POST "+d.formPath(), d.login)
		rt.handle("GET /logout", d.logout)
	}
}

// adminPage wraps a page handler with the device's login.
func (d *device) adminPage(page func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user, ok := d.adminUser(w, r)
		if !ok {
			return
		}
		page(w, r, user)
	}
}

// pageData is what the admin templates show.
type pageData struct {
	Title, Maker, Model, Name, Firmware, Latest, MAC, IP, Message, Error string
	User, UserField, PassField, Action                                   string
	Services                                                             []serviceToggle
	UpToDate                                                             bool
}

type serviceToggle struct {
	Feature, Label string
	On             bool
}

func (d *device) data(user string) pageData {
	fw := d.firmware()
	uf, pf := d.formFields()
	return pageData{
		Title: d.text("http", d.expand(d.spec.HTTP.Title)), Maker: d.spec.Maker, Model: d.spec.Model, Name: d.spec.Name,
		Firmware: fw, Latest: d.latest, MAC: d.mac.String(), IP: d.addr.String(), User: user,
		UpToDate: d.latest == "" || d.latest == fw, Services: d.toggles(), UserField: uf, PassField: pf,
		Action: d.formPath(),
	}
}

// toggles are the risky services the owner can turn off from the admin page.
func (d *device) toggles() []serviceToggle {
	var out []serviceToggle
	add := func(feature, label string) {
		out = append(out, serviceToggle{Feature: feature, Label: label, On: !d.off(feature)})
	}
	if d.spec.Telnet != nil {
		add("telnet", "Telnet remote login")
	}
	if d.spec.FTP != nil && d.spec.FTP.Anonymous {
		add("ftp-anonymous", "FTP access without a password (anonymous)")
	}
	if d.spec.MQTT != nil && d.spec.MQTT.Anonymous {
		add("mqtt-anonymous", "MQTT access without a password")
	}
	if d.spec.SSDP != nil && len(d.spec.Mappings) > 0 {
		add("upnp", "UPnP (lets devices open ports to the internet)")
	}
	return out
}

func (d *device) render(w http.ResponseWriter, status int, name string, data pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	_ = pages.ExecuteTemplate(w, name, data)
}

func (d *device) statusPage(w http.ResponseWriter, _ *http.Request, user string) {
	d.render(w, http.StatusOK, "status", d.data(user))
}

func (d *device) passwordPage(w http.ResponseWriter, _ *http.Request, user string) {
	d.render(w, http.StatusOK, "password", d.data(user))
}

func (d *device) updatePage(w http.ResponseWriter, _ *http.Request, user string) {
	d.render(w, http.StatusOK, "update", d.data(user))
}

// changePassword sets the logged-in user's password. A device that shipped
// without a login gets one for its "admin" user.
func (d *device) changePassword(w http.ResponseWriter, r *http.Request, user string) {
	data := d.data(user)
	pw, confirm := r.PostFormValue("new_password"), r.PostFormValue("confirm_password")
	switch {
	case pw == "" || len(pw) > 64:
		data.Error = "Enter a new password of 1 to 64 characters."
	case pw != confirm:
		data.Error = "The two passwords do not match."
	case strings.ContainsAny(pw, "\r\n\x00"):
		data.Error = "The password cannot contain line breaks."
	}
	if data.Error != "" {
		d.render(w, http.StatusBadRequest, "password", data)
		return
	}
	if err := d.setPassword(user, pw); err != nil {
		data.Error = "The password could not be saved."
		d.render(w, http.StatusInternalServerError, "password", data)
		return
	}
	keep := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		keep = c.Value
	}
	d.keys.dropSessions(user, keep)
	data = d.data(user)
	data.Message = "The password has been changed."
	d.render(w, http.StatusOK, "status", data)
}

func (d *device) installUpdate(w http.ResponseWriter, _ *http.Request, user string) {
	installed, err := d.update()
	data := d.data(user)
	switch {
	case err != nil:
		data.Error = "The update could not be saved."
	case installed:
		data.Message = "The update has been installed. Firmware version: " + data.Firmware
	default:
		data.Message = "Your firmware is up to date."
	}
	d.render(w, http.StatusOK, "status", data)
}

func (d *device) changeService(w http.ResponseWriter, r *http.Request, user string) {
	feature, enabled := r.PostFormValue("feature"), r.PostFormValue("enabled") == "1"
	data := d.data(user)
	if !slices.ContainsFunc(data.Services, func(t serviceToggle) bool { return t.Feature == feature }) {
		data.Error = "There is no such setting."
		d.render(w, http.StatusBadRequest, "status", data)
		return
	}
	if err := d.setOff(feature, !enabled); err != nil {
		data.Error = "The setting could not be saved."
	} else {
		data = d.data(user)
		data.Message = "Settings saved."
	}
	d.render(w, http.StatusOK, "status", data)
}

func (d *device) loginForm(w http.ResponseWriter, _ *http.Request) {
	d.render(w, http.StatusOK, "login", d.data(""))
}

func (d *device) login(w http.ResponseWriter, r *http.Request) {
	uf, pf := d.formFields()
	user := r.PostFormValue(uf)
	if !d.checkLogin("http", user, r.PostFormValue(pf)) {
		data := d.data("")
		data.Error = "Invalid user name or password."
		d.render(w, http.StatusOK, "login", data)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: d.keys.newSession(user), Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusFound)
}

func (d *device) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if u, ok := d.keys.session(c.Value); ok {
			d.keys.dropSessions(u, "")
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, d.formPath(), http.StatusFound)
}

// misbehavingListener wraps accepted connections with d's misbehaviours.
type misbehavingListener struct {
	net.Listener
	d     *device
	proto string
	l     *Lab
}

func (m *misbehavingListener) Accept() (net.Conn, error) {
	c, err := m.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return m.d.wrapConn(m.l, m.proto, c), nil
}

var pages = template.Must(template.New("pages").Parse(`
{{define "head"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head><body>
<h1>{{.Maker}} {{.Model}}</h1>{{if .Message}}<p class="message">{{.Message}}</p>{{end}}{{if .Error}}<p class="error">{{.Error}}</p>{{end}}{{end}}
{{define "status"}}{{template "head" .}}
<table>
<tr><th>Device name</th><td>{{.Name}}</td></tr>
<tr><th>Model</th><td>{{.Model}}</td></tr>
<tr><th>Firmware version</th><td id="firmware">{{.Firmware}}</td></tr>
<tr><th>MAC address</th><td>{{.MAC}}</td></tr>
<tr><th>IP address</th><td>{{.IP}}</td></tr>
</table>
<p><a href="/password">Change the admin password</a> | <a href="/update">Firmware update</a></p>
{{range .Services}}<form method="post" action="/services"><input type="hidden" name="feature" value="{{.Feature}}">
{{.Label}}: {{if .On}}on <input type="hidden" name="enabled" value="0"><button>Turn off</button>{{else}}off <input type="hidden" name="enabled" value="1"><button>Turn on</button>{{end}}</form>
{{end}}</body></html>
{{end}}
{{define "password"}}{{template "head" .}}
<form method="post" action="/password">
<label>New password <input type="password" name="new_password"></label>
<label>Confirm password <input type="password" name="confirm_password"></label>
<button>Save</button></form></body></html>
{{end}}
{{define "update"}}{{template "head" .}}
<p>Firmware version: {{.Firmware}}</p>
{{if .UpToDate}}<p>Your firmware is up to date.</p>{{else}}<p>A new version is available: {{.Latest}}</p>
<form method="post" action="/update"><button>Install update</button></form>{{end}}
</body></html>
{{end}}
{{define "login"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head><body>
<h1>{{.Maker}} {{.Model}}</h1>{{if .Error}}<p class="error">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
<label>User name <input type="text" name="{{.UserField}}"></label>
<label>Password <input type="password" name="{{.PassField}}"></label>
<button>Log in</button></form></body></html>
{{end}}`))
