package logdstats

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/format/formattest"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points; they are also checked in under
// testdata/fuzz/FuzzParse so that plain go test runs them.
func seeds() map[string][]byte {
	return map[string][]byte{
		"jsonl":        []byte(jsonl),
		"text":         []byte(text),
		"mixed":        []byte("--- !logd statistics record\n{\"unixTime\":1}\n- [ 1, 2, /a ]\nprocs :\n- [ 1, 2, /b ]\n--- !x\n"),
		"bad-json":     []byte("{\"processList\":[{\"process\":[1]}],\"unixTime\":-5}\n{\n"),
		"crlf":         []byte(strings.ReplaceAll(text, "\n", "\r\n")),
		"invalid-utf8": []byte("--- !logd quarantine record\nclient : /a\xff\xfe\ntime : 2025-13-01 00:00:00+0000\n"),
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		n := 0
		st, err := Parse(bytes.NewReader(data), func(r Record) error {
			n++
			if r.Line < 1 || r.Line > lines || len(r.Processes) > MaxProcesses {
				t.Fatalf("record out of bounds: line %d of %d, %d processes", r.Line, lines, len(r.Processes))
			}
			if !r.Time.IsZero() && r.Time.Location().String() != "UTC" {
				t.Fatalf("time not UTC: %v", r.Time)
			}
			if r.Kind != KindStatistics && r.Kind != KindQuarantine {
				t.Fatalf("kind %q", r.Kind)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("content made Parse fail: %v", err)
		}
		if n != st.Records || st.Lines > lines {
			t.Fatalf("stats %+v, %d records seen, %d lines", st, n, lines)
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
