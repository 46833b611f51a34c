package logdstats

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	dir := filepath.Join("testdata", "fuzz", "FuzzParse")
	for name, data := range seeds() {
		path := filepath.Join(dir, "seed-"+name)
		want := []byte(fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data))
		if *update {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is missing or stale (err %v); run go test -run TestSeedCorpus -args -update", path, err)
		}
	}
}
