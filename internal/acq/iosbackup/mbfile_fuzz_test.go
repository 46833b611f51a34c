package iosbackup

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// mbFileSeeds are FuzzMBFileFast's starting points, checked in under
// testdata/fuzz/FuzzMBFileFast: each encoding the fast path takes, and
// shapes it must leave to plistsafe.
func mbFileSeeds(t testing.TB) map[string][]byte {
	honest, raw := honestBlobs(t), rawBlobs()
	typical := honest["typical"]
	return map[string][]byte{
		"typical":      typical,
		"encrypted":    honest["encrypted"],
		"utf16-target": honest["utf16 target"],
		"plist-dates":  honest["plist dates"],
		"big-sizes":    honest["big sizes"],
		"reals":        honest["reals"],
		"raw-long":     raw["refs 2 offsets 4 long true"],
		"raw-offsets1": raw["offsets 1"],
		"truncated":    typical[:len(typical)-40],
		"bplist01":     append([]byte("bplist01"), typical[8:]...),
		"xml":          []byte(`<?xml version="1.0"?><plist><dict><key>$top</key><dict/></dict></plist>`),
	}
}

// FuzzMBFileFast holds the fast path to the general decoder: it must never
// panic, and whatever it accepts must decode to the same file.
func FuzzMBFileFast(f *testing.F) {
	for _, s := range mbFileSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkSame(t, "input", data)
	})
}

// TestMBFileSeedCorpus keeps the checked-in corpus in step with the seeds;
// run with -update-seeds after changing them.
func TestMBFileSeedCorpus(t *testing.T) {
	for name, s := range mbFileSeeds(t) {
		path := filepath.Join("testdata", "fuzz", "FuzzMBFileFast", "seed-"+name)
		content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
		if *updateSeeds {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Errorf("%s is missing or stale (err %v); run go test -run TestMBFileSeedCorpus -args -update-seeds", path, err)
		}
	}
}
