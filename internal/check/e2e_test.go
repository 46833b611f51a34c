package check

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
)

var update = flag.Bool("update", false, "rewrite the golden results folders")

var fixedNow = func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

// hashTree maps every file below root to its SHA-256, to prove evidence unchanged.
func hashTree(t *testing.T, root string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		out[p] = sha256.Sum256(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeDemo(t *testing.T) (work, backup, bundle string) {
	t.Helper()
	work = t.TempDir()
	backup, bundle = filepath.Join(work, "backup"), filepath.Join(work, "demo.stix2")
	if err := fixture.WriteDemo(backup, bundle); err != nil {
		t.Fatal(err)
	}
	return work, backup, bundle
}

func TestEndToEndBackup(t *testing.T) {
	work, backup, bundle := writeDemo(t)
	before := hashTree(t, backup)
	out := filepath.Join(work, "results")
	res, err := Run(context.Background(), Options{
		Path: backup, IOCPaths: []string{bundle}, NoDataDir: true, OutDir: out,
		Version: "test", Command: []string{"vigil", "check", "BACKUP"}, Now: fixedNow, Parallel: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Exit != ExitMatch {
		t.Errorf("exit = %d, want %d", res.Exit, ExitMatch)
	}
	after := hashTree(t, backup)
	if len(after) != len(before) {
		t.Errorf("backup has %d files after the check, %d before", len(after), len(before))
	}
	for p, h := range before {
		if after[p] != h {
			t.Errorf("evidence modified: %s", p)
		}
	}
	checkModes(t, out)
	compareGolden(t, out, filepath.Join("testdata", "golden", "backup"), work)
}

func checkModes(t *testing.T, dir string) {
	t.Helper()
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("results folder mode %v, want 0700", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, _ := e.Info()
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
	}
}

var durationField = regexp.MustCompile(`"duration_ms": \d+`)

// normalise removes what legitimately differs between runs: the temp folder and durations.
func normalise(data []byte, work string) []byte {
	s := strings.ReplaceAll(string(data), work, "$WORK")
	s = strings.ReplaceAll(s, filepath.ToSlash(work), "$WORK")
	return []byte(durationField.ReplaceAllString(s, `"duration_ms": 0`))
}

func compareGolden(t *testing.T, got, golden, work string) {
	t.Helper()
	gotFiles := readFolder(t, got)
	if *update {
		os.RemoveAll(golden)
		os.MkdirAll(golden, 0o755)
		for name, data := range gotFiles {
			if err := os.WriteFile(filepath.Join(golden, name), normalise(data, work), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	wantFiles := readFolder(t, golden)
	for name := range wantFiles {
		if _, ok := gotFiles[name]; !ok {
			t.Errorf("missing result file %s", name)
		}
	}
	for name, data := range gotFiles {
		want, ok := wantFiles[name]
		if !ok {
			t.Errorf("unexpected result file %s", name)
			continue
		}
		if g := normalise(data, work); !bytes.Equal(g, want) {
			t.Errorf("%s differs from the golden file (run with -update to accept):\n%s", name, firstDiff(g, want))
		}
	}
}

func readFolder(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + "\n  got:  " + gl + "\n  want: " + wl
		}
	}
	return "(same lines)"
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }
