package archive

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points, one per shape the reader must survive; they are
// also checked in under testdata/fuzz/FuzzOpen, so that plain `go test` runs them.
func seeds(t testing.TB) map[string][]byte {
	tgz := tgzBytes(t, sysdiag("sysdiagnose_x/"))
	return map[string][]byte{
		"tar":       tarBytes(t, sysdiag("./")),
		"tgz":       tgz,
		"tgz-cut":   tgz[:len(tgz)/2],
		"zip":       zipBytes(t, sysdiag("")),
		"traversal": tarBytes(t, []ent{reg("../x", "x"), reg("/abs", "y"), reg(`..\z`, "z")}),
		"links": tarBytes(t, []ent{symlink("l", "/etc"), reg("l/passwd", "p"),
			hardlink("h", "../../x"), reg("h/y", "y")}),
		"duplicates": tarBytes(t, []ent{reg("a", "1"), reg("a", "22"), dir("a"), reg("a/b", "3")}),
		"v7":         v7Tar(t, "old.txt", "old"),
		"garbage":    []byte("\x1f\x8b\x08\x00garbage"),
	}
}

func FuzzOpen(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		tmp := filepath.Join(parent, "tmp")
		if err := os.Mkdir(tmp, 0o700); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(parent, "evidence")
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		opts := Options{TempDir: tmp, MaxEntryBytes: 1 << 20, MaxTotalBytes: 4 << 20, MaxEntries: 10_000}
		for _, open := range []func() (*Archive, error){
			func() (*Archive, error) { return OpenReader(bytes.NewReader(data), opts) },
			func() (*Archive, error) { return Open(file, opts) },
		} {
			a, err := open()
			if a == nil {
				continue
			}
			if err != nil && !errors.Is(err, ErrIncomplete) {
				t.Fatalf("an Archive returned with %v", err)
			}
			assertOnlyExtraction(t, tmp)
			checkEntries(t, a, tmp)
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
			if left := filesUnder(t, tmp); len(left) != 0 {
				t.Fatalf("left after Close: %q", left)
			}
		}
		if got := filesUnder(t, parent); len(got) != 2 {
			t.Fatalf("written next to the evidence: %q", got)
		}
	})
}

// checkEntries reads every entry and checks that nothing shown can lead outside.
func checkEntries(t *testing.T, a *Archive, tmp string) {
	err := a.Walk(func(f acq.File) error {
		if _, why := entryName(f.Path); why != "" || strings.HasPrefix(f.Path, "./") {
			return fmt.Errorf("unsafe path shown: %q (%s)", f.Path, why)
		}
		if local, ok := a.LocalPath(f); ok && !strings.HasPrefix(local, tmp+string(filepath.Separator)) {
			return fmt.Errorf("%s: local path %s outside %s", f.Path, local, tmp)
		}
		if r, err := a.Open(f); err == nil {
			io.Copy(io.Discard, io.LimitReader(r, 2<<20))
			r.Close()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSeedCorpus keeps the checked-in corpus in step with seeds; run with
// -update after changing them.
func TestSeedCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzOpen")
	for name, data := range seeds(t) {
		path := filepath.Join(dir, "seed-"+name)
		want := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
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
