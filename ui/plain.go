package ui

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/porchlight/porchlight/scan"
	"github.com/porchlight/porchlight/scan/clean"
)

// Plain mode is the same journey as the screens, as a linear conversation:
// each question is printed once, answered with a line of text, and nothing
// is ever redrawn, so screen readers and pipes read it top to bottom.

// plainWidth is the width plain mode wraps its own sentences to. Device
// pages, guides and summaries are not wrapped at all (plainUnwrapped), so a
// web address is never split across lines for a screen reader.
const (
	plainWidth     = 78
	plainUnwrapped = 1 << 12
)

// plainRun is one plain-mode conversation.
type plainRun struct {
	ctx   context.Context
	s     *session
	out   io.Writer
	lines <-chan string // answers typed by the person; closed at end of input
	// echo repeats each answer: input that is not a terminal (a pipe, a
	// screen reader's helper) is not echoed by anything else, so without it
	// the transcript runs the next question onto the same line.
	echo bool
}

func runPlain(ctx context.Context, s *session) error {
	p := &plainRun{ctx: ctx, s: s, out: s.cfg.Out, lines: readLines(s.cfg.In), echo: !isTerminal(s.cfg.In)}
	err := p.run()
	if saveErr := saveHistory(p.s); err == nil {
		err = saveErr
	}
	return err
}

// readLines delivers input lines on a channel, so waiting for an answer can
// also wait for ctx.
func readLines(r io.Reader) <-chan string {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

func (p *plainRun) say(format string, a ...any) {
	fmt.Fprintln(p.out, wrap(fmt.Sprintf(format, a...), plainWidth))
}

// ask prints a question and returns the answer, trimmed (see word for commands).
// ok is false when input has ended or ctx is done.
func (p *plainRun) ask(question string) (string, bool) {
	fmt.Fprint(p.out, question+" ")
	select {
	case line, ok := <-p.lines:
		switch {
		case !ok:
			fmt.Fprintln(p.out)
		case p.echo:
			fmt.Fprintln(p.out, clean.String(line, plainWidth))
		}
		return strings.TrimSpace(line), ok
	case <-p.ctx.Done():
		fmt.Fprintln(p.out)
		return "", false
	}
}

func (p *plainRun) run() error {
	p.say("%s", consentText(p.s.cfg.Network))
	fmt.Fprintln(p.out)
	allow, ok := p.consent()
	if !ok {
		return p.ctx.Err()
	}
	if err := p.scan(allow); err != nil {
		return err
	}
	p.overviewLoop()
	p.summary()
	return p.ctx.Err()
}

func (p *plainRun) consent() (allow, ok bool) {
	for {
		a, ok := p.ask("Shall we also try the factory passwords? Type yes, no, or q to quit:")
		a = word(a)
		switch {
		case !ok || a == "q" || a == "quit":
			return false, false
		case a == "y" || a == "yes":
			return true, true
		case a == "n" || a == "no":
			return false, true
		}
		p.say("Please type yes or no.")
	}
}

// scan runs the scan, saying each device as it is found.
func (p *plainRun) scan(allow bool) error {
	opts := p.s.cfg.Scan
	opts.CheckPasswords = allow
	p.s.cfg.Scan = opts
	p.say("Checking %s. This can take a minute. Press Ctrl-C to stop; what was found is kept.", safe(p.s.cfg.Network))
	events, err := p.s.runScan(p.ctx, opts)
	if err != nil {
		return fmt.Errorf("start the check: %w", err)
	}
	for ev := range events {
		if f, ok := ev.(scan.DeviceFound); ok {
			what := strings.TrimSpace(safe(f.Device.Vendor) + " " + safe(f.Device.Model))
			if what == "" {
				what = "a device"
			}
			p.say("Found %s at %s.", what, safe(f.Device.IP))
		}
		p.s.apply(ev)
	}
	p.s.scanDone = true
	p.s.resort()
	if p.s.interrupted {
		p.say("The check stopped early. Here is what was found.")
	}
	return nil
}

func (p *plainRun) list() {
	fmt.Fprintln(p.out)
	p.say("%s", p.s.household)
	for i, k := range p.s.order {
		d := p.s.devices[k]
		p.say("%d. %s: %s, %s %s (%s), at %s.", i+1, verdictWord(d.adv.Verdict), d.shown,
			orUnknown(safe(d.dev.Vendor)), safe(d.dev.Model), d.adv.Kind, safe(d.dev.IP))
	}
}

func (p *plainRun) overviewLoop() {
	for {
		p.list()
		a, ok := p.ask("Type a device number to see it, or s for the summary:")
		a = word(a)
		if !ok || a == "s" || a == "q" {
			return
		}
		if k, ok := p.pick(a, len(p.s.order)); ok {
			p.device(p.s.order[k])
		}
	}
}

// pick reads a 1-based number up to n.
func (p *plainRun) pick(a string, n int) (int, bool) {
	i, err := strconv.Atoi(a)
	if err != nil || i < 1 || i > n {
		p.say("Please type a number from 1 to %d.", n)
		return 0, false
	}
	return i - 1, true
}

func (p *plainRun) device(key string) {
	for {
		d := p.s.devices[key]
		content, _ := detailContent(p.s, d, -1, plainUnwrapped)
		fmt.Fprintln(p.out)
		fmt.Fprintln(p.out, content)
		a, ok := p.ask("Type a problem number to fix it, n to name this device, or b to go back:")
		a = word(a)
		switch {
		case !ok || a == "b" || a == "":
			return
		case a == "n":
			if name, ok := p.ask("What do you call this device? For example: kitchen camera."); ok {
				p.s.rename(key, name)
				p.say("Saved the name.")
			}
		default:
			if i, ok := p.pick(a, len(d.adv.Findings)); ok {
				p.fix(key, i)
			}
		}
	}
}

func (p *plainRun) fix(key string, i int) {
	f := newFixScreen(p.s)
	f.show(key, i)
	for {
		d := p.s.devices[key]
		fmt.Fprintln(p.out)
		fmt.Fprintln(p.out, fixContent(p.s.styles, d, f.finding, f.passphrase, f.state, f.err, plainUnwrapped))
		if !f.finding.Guide.Recheck || f.state == fixFixed {
			p.ask("Press enter to go back.")
			return
		}
		a, ok := p.ask("Press enter when you have done this, or type b to go back:")
		a = word(a)
		if !ok || a == "b" {
			return
		}
		p.say("Checking again…")
		after, err := p.s.recheck(p.ctx, d.dev, p.s.cfg.Scan)
		if err != nil {
			f.result(false, err)
			continue
		}
		f.result(p.s.recheckResult(d.dev, after, f.finding.Finding.ID, f.finding.Finding.Service), nil)
	}
}

func (p *plainRun) summary() {
	fmt.Fprintln(p.out)
	fmt.Fprintln(p.out, summaryContent(p.s, plainUnwrapped))
	for {
		a, ok := p.ask("To save a report, type a file name ending in .json, .md or .html, or press enter to finish:")
		if !ok || a == "" {
			return
		}
		f, ok := formatFor(a)
		if !ok {
			p.say("Please give a name ending in .json, .md or .html.")
			continue
		}
		if err := writeReport(p.s.report(), a, f); err != nil {
			p.say("Could not save: %s", safe(err.Error()))
			continue
		}
		p.say("Saved the report to %s. It has no passwords in it.", safe(a))
		return
	}
}

// word is an answer as a command: lower case, so "Yes" and "YES" are "yes".
func word(a string) string { return strings.ToLower(a) }

// formatFor picks the report format from a file name's ending.
func formatFor(name string) (reportFormat, bool) {
	for _, f := range formats() {
		if strings.HasSuffix(strings.ToLower(name), f.ext) {
			return f, true
		}
	}
	return reportFormat{}, false
}

// isTerminal reports whether r is an interactive terminal (which echoes what is typed).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
