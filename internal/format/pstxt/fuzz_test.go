package pstxt

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/format/formattest"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points; they are also checked in under
// testdata/fuzz/FuzzParse so that plain go test runs them.
func seeds() map[string][]byte {
	lines := strings.Split(psThread, "\n")
	return map[string][]byte{
		"old":          []byte(psOld),
		"new":          []byte(psNew),
		"threads":      []byte(psThread),
		"orphan":       []byte(lines[0] + "\n" + lines[2] + "\n" + lines[1] + "\n"),
		"minimal":      []byte("PID COMMAND\n1 /a b\n\n x\n"),
		"bad-header":   []byte("user pid command\n"),
		"shifted":      []byte("USER UID PID PPID TIME COMMAND\nroot 0 5 0:01.00 /private/var/tmp/bh\n"),
		"inner-spaces": []byte("PID COMMAND TIME COMMAND\n1 a b c d e 0:00.00 f\n"),
		"carriage":     []byte("PID 0 COMMAND\n0 0 \r00"),
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		seen := 0
		st, err := Parse(bytes.NewReader(data), func(p Process) error {
			seen++
			if p.Line < 2 || p.Line > lines || p.PID < 0 || len(p.Threads) > MaxThreads {
				t.Fatalf("process out of bounds: line %d of %d, pid %d, %d threads", p.Line, lines, p.PID, len(p.Threads))
			}
			if !strings.HasPrefix(p.Command, p.Executable) || len(p.Command) > MaxLineLen {
				t.Fatalf("command %q, executable %q", p.Command, p.Executable)
			}
			for _, th := range p.Threads {
				if th.Line <= p.Line || th.Line > lines {
					t.Fatalf("thread line %d under process line %d", th.Line, p.Line)
				}
			}
			return nil
		})
		if err != nil {
			if !errors.Is(err, ErrHeader) {
				t.Fatalf("content made Parse fail: %v", err)
			}
			return
		}
		if seen != st.Processes || st.Lines > lines {
			t.Fatalf("stats %+v, %d processes seen, %d lines", st, seen, lines)
		}
	})
}

// TestSeedCorpus keeps the checked-in corpus in step with seeds; run with -update
// after changing them.
func TestSeedCorpus(t *testing.T) {
	files := map[string][]byte{}
	for name, data := range seeds() {
		files["FuzzParse/seed-"+name] = formattest.SeedFile(data)
	}
	formattest.CheckCorpus(t, files, *update)
}
