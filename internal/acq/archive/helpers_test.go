package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
)

// ent describes one archive entry for the builders below.
type ent struct {
	name string
	body string
	typ  byte // tar type flag; 0 means a regular file
	link string
}

var stamp = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func reg(name, body string) ent    { return ent{name: name, body: body, typ: tar.TypeReg} }
func dir(name string) ent          { return ent{name: name, typ: tar.TypeDir} }
func symlink(name, to string) ent  { return ent{name: name, typ: tar.TypeSymlink, link: to} }
func hardlink(name, to string) ent { return ent{name: name, typ: tar.TypeLink, link: to} }

func tarBytes(t testing.TB, ents []ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	writeTar(t, &buf, ents)
	return buf.Bytes()
}

func writeTar(t testing.TB, w io.Writer, ents []ent) {
	t.Helper()
	tw := tar.NewWriter(w)
	for _, e := range ents {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: 0o644,
			Uid: 501, ModTime: stamp, Format: tar.FormatPAX}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if h.Typeflag == tar.TypeDir {
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tgzBytes(t testing.TB, ents []ent) []byte { return gzipBytes(t, tarBytes(t, ents)) }

func zipBytes(t testing.TB, ents []ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: stamp}
		switch e.typ {
		case tar.TypeDir:
			h.SetMode(fs.ModeDir | 0o755)
			if !strings.HasSuffix(h.Name, "/") {
				h.Name += "/"
			}
		case tar.TypeSymlink:
			h.SetMode(fs.ModeSymlink | 0o777)
			e.body = e.link
		default:
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// build writes the archive in the given format to a file and returns its path.
func build(t testing.TB, format string, ents []ent) string {
	t.Helper()
	var data []byte
	switch format {
	case formatTar:
		data = tarBytes(t, ents)
	case formatGzip:
		data = tgzBytes(t, ents)
	case formatZip:
		data = zipBytes(t, ents)
	}
	return writeFile(t, "evidence."+format, data)
}

func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// open opens path with a private temp folder and closes it at the end of the test.
func open(t testing.TB, path string, opts Options) *Archive {
	t.Helper()
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	a, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func read(t testing.TB, src acq.Source, f acq.File) string {
	t.Helper()
	r, err := src.Open(f)
	if err != nil {
		t.Fatalf("Open %s: %v", f.Path, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", f.Path, err)
	}
	return string(b)
}

func walkPaths(t testing.TB, src acq.Source) []string {
	t.Helper()
	var out []string
	err := src.Walk(func(f acq.File) error {
		out = append(out, f.Path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func findOne(t testing.TB, src acq.Source, p string) acq.File {
	t.Helper()
	got, err := src.Find("", p)
	if err != nil || len(got) != 1 {
		t.Fatalf("Find %q = %v, %v", p, got, err)
	}
	return got[0]
}

func hasProblem(a *Archive, substr string) bool {
	for _, p := range a.Problems() {
		if strings.Contains(p, substr) {
			return true
		}
	}
	return false
}

// filesUnder lists every path below dir, relative to it.
func filesUnder(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}
