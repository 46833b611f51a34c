package sysdiagname

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points; they are also checked in under
// testdata/fuzz/<target> so that plain go test runs them.
func seeds() map[string][]byte {
	const name = "sysdiagnose_2023.05.24_13-29-15-0700_iPhone-OS_iPhone_19H349"
	return map[string][]byte{
		"archive":     []byte(name + ".tar.gz"),
		"in-progress": []byte("IN_PROGRESS_sysdiagnose_2023.08.02_21-01-23+0400_macOS_MacBookPro18-2_23A5328b.tmp"),
		"log":         []byte("start\nspindump_" + name + "_x\nIN_PROGRESS_" + name + ".tmp\n"),
		"bad-day":     []byte("sysdiagnose_2023.02.30_13-29-15-0700_a_b_c"),
		"garbage":     []byte("\xffsysdiagnose_sysdiagnose_9999.99.99_99-99-99+9999__"),
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(string(s))
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrNotName) {
				t.Fatalf("error %v does not wrap ErrNotName", err)
			}
			return
		}
		if n.Platform == "" || n.Model == "" || n.Build == "" || n.Time.IsZero() {
			t.Fatalf("accepted %q as %+v", s, n)
		}
		if _, off := n.Time.Zone(); off != n.Offset {
			t.Fatalf("zone offset %d, Offset %d", off, n.Offset)
		}
	})
}

func FuzzFromLog(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := FromLog(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrNoStamp) {
				t.Fatalf("content made FromLog fail: %v", err)
			}
			return
		}
		if lines := bytes.Count(data, []byte("\n")) + 1; s.Line < 1 || s.Line > lines || s.Marker == "" {
			t.Fatalf("stamp %+v out of bounds (%d lines)", s, lines)
		}
	})
}

// TestSeedCorpus keeps the checked-in corpus in step with seeds; run with -update
// after changing them.
func TestSeedCorpus(t *testing.T) {
	for _, target := range []struct {
		name   string
		string bool
	}{{"FuzzParse", true}, {"FuzzFromLog", false}} {
		dir := filepath.Join("testdata", "fuzz", target.name)
		for name, data := range seeds() {
			path := filepath.Join(dir, "seed-"+name)
			kind := "[]byte"
			if target.string {
				kind = "string"
			}
			want := []byte(fmt.Sprintf("go test fuzz v1\n%s(%q)\n", kind, data))
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
}
