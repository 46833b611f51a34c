package multilinelog

import (
	"bytes"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/format/formattest"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points; they are also checked in under
// testdata/fuzz/<target> so that plain go test runs them.
func seeds() map[string][]byte {
	return map[string][]byte{
		"sample":    []byte(sample),
		"crlf":      []byte(strings.ReplaceAll(sample, "\n", "\r\n")),
		"events":    []byte("Mon Apr  7 07:43:55 2025 [446] <notice> (0x1) -[A b:]: Uninstall requested by lsd (pid 107 (501/501)) for identity [a.b/P] with options: {\n}\nMon Apr  7 07:43:55 2025 [446] <notice> (0x1) f: Install of \"/x\" type Developer (LSInstallType = (null)) requested by y (pid 9)\n"),
		"bad-heads": []byte("Sat Feb 30 08:20:27 2018 [47] <notice> (0x1) m\nSat Dec  1 08:20:27 2018 [47] <notice> (0x1\nSat Dec 99 1:2:3 2018 [1] <> () -[\n"),
		"binary":    []byte("\x00\xff\nMon Jan  1 00:00:00 1970 [0] <x> (y) +[:\n"),
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		n, prev := 0, 0
		st, err := Parse(bytes.NewReader(data), func(e Entry) error {
			n++
			if e.Line <= prev || e.Line > lines || len(e.Message) > MaxMessageLen+MaxLineLen || e.Local.IsZero() {
				t.Fatalf("entry out of bounds: line %d after %d of %d, %d bytes", e.Line, prev, lines, len(e.Message))
			}
			prev = e.Line
			if ev, ok := ParseAppEvent(e.Message); ok && ev.Kind == "" {
				t.Fatalf("event without kind from %q", e.Message)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("content made Parse fail: %v", err)
		}
		if n != st.Entries || st.Lines > lines {
			t.Fatalf("stats %+v, %d entries seen, %d lines", st, n, lines)
		}
	})
}

// eventSeeds are FuzzParseAppEvent's starting points, checked in like seeds.
func eventSeeds() map[string]string {
	return map[string]string{
		"install-request": `Install of "/a b.app" type Customer (LSInstallType = 0) requested by lsd (pid 87)`,
		"installing":      "Installing <MIInstallableBundle ID=a.b; Persona=P, Version=1, ShortVersion=2>",
		"installed":       "Install Successful for (Customer:a.b); x",
		"uninstall":       "Uninstall requested by x (pid 1 (501/501)) for identity [a.b/P] with options: (null)",
		"destroyed":       "Destroying container a.b with persona (null) at /p",
		"delta":           "Attempting Delta patch update of a.b from 1 (2) to 3 (4)",
	}
}

func FuzzParseAppEvent(f *testing.F) {
	for _, s := range eventSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		ev, ok := ParseAppEvent(msg)
		if ok && (ev.Kind == "" || ev.Kind != Reboot && ev.Kind != InstallRequested && !validID(ev.BundleID)) {
			t.Fatalf("accepted %+v from %q", ev, msg)
		}
	})
}

// TestSeedCorpus keeps the checked-in corpus in step with seeds; run with -update
// after changing them.
func TestSeedCorpus(t *testing.T) {
	files := map[string][]byte{}
	for name, data := range seeds() {
		files[filepath.Join("FuzzParse", "seed-"+name)] = formattest.SeedFile(data)
	}
	for name, msg := range eventSeeds() {
		files[filepath.Join("FuzzParseAppEvent", "seed-"+name)] = formattest.SeedFile(msg)
	}
	formattest.CheckCorpus(t, files, *update)
}
