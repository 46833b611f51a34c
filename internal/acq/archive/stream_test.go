package archive

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// onePass serves bytes once: any attempt to go back (Seek, ReadAt, reading on after the
// end) fails the test loudly.
type onePass struct {
	data []byte
	off  int
	done bool
}

func (r *onePass) Read(p []byte) (int, error) {
	if r.done {
		panic("read again after the end: a second pass")
	}
	n := copy(p, r.data[r.off:])
	r.off += n
	if r.off == len(r.data) {
		r.done = true
		return n, io.EOF
	}
	return n, nil
}

func (r *onePass) Seek(int64, int) (int64, error)    { panic("Seek on a one-pass stream") }
func (r *onePass) ReadAt([]byte, int64) (int, error) { panic("ReadAt on a one-pass stream") }

// noisy returns files of incompressible content, so that a cut lands inside content.
func noisy(n, size int) []ent {
	rng := rand.NewChaCha8([32]byte{1})
	var out []ent
	for i := range n {
		b := make([]byte, size)
		rng.Read(b)
		out = append(out, reg(fmt.Sprintf("logs/f%02d.bin", i), string(b)))
	}
	return out
}

func TestOnePass(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want Options
	}{
		{"tar.gz", tgzBytes(t, noisy(8, 50_000)), Options{}},
		{"tar.gz-nothing-wanted", tgzBytes(t, noisy(8, 50_000)), Options{Want: func(string) bool { return false }}},
		{"tar", tarBytes(t, noisy(8, 50_000)), Options{Want: func(p string) bool { return strings.HasSuffix(p, "3.bin") }}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &onePass{data: tc.data}
			opts := tc.want
			opts.TempDir = t.TempDir()
			a, err := OpenReader(r, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if r.off != len(tc.data) {
				t.Errorf("read %d of %d bytes", r.off, len(tc.data))
			}
			if got := len(walkPaths(t, a)); got != 9 {
				t.Errorf("%d entries, want 9", got)
			}
		})
	}
}

// TestPlainTarSkips checks that a plain tar file is skipped through, not read, where its
// content is not wanted, and that progress still reaches the file's end.
func TestPlainTarSkips(t *testing.T) {
	data := tarBytes(t, noisy(4, 3<<20))
	var last int64
	a := open(t, writeFile(t, "dump.tar", data), Options{
		Want:     func(string) bool { return false },
		Progress: func(n int64) { last = n },
	})
	if got := len(walkPaths(t, a)); got != 5 {
		t.Errorf("%d entries, want 5", got)
	}
	if last != int64(len(data)) {
		t.Errorf("progress ended at %d of %d", last, len(data))
	}
}

func TestTruncated(t *testing.T) {
	tgz := tgzBytes(t, noisy(6, 40_000))
	tarData := tarBytes(t, noisy(6, 40_000))
	for _, tc := range []struct {
		name     string
		data     []byte
		wantSome bool // entries before the break were indexed
	}{
		{"gzip-mid-content", tgz[:len(tgz)*6/10], true},
		{"gzip-trailer", tgz[:len(tgz)-4], true},
		{"gzip-header", tgz[:5], false},
		{"tar-mid-content", tarData[:len(tarData)/2], true},
		{"tar-mid-header", tarData[:512*3+100], true},
	} {
		for _, how := range []string{"file", "stream"} {
			t.Run(tc.name+"/"+how, func(t *testing.T) {
				tmp := t.TempDir()
				var a *Archive
				var err error
				if how == "file" {
					a, err = Open(writeFile(t, "cut", tc.data), Options{TempDir: tmp})
				} else {
					a, err = OpenReader(&onePass{data: tc.data}, Options{TempDir: tmp})
				}
				if a != nil {
					defer a.Close()
				}
				if err == nil {
					t.Fatal("no error for a truncated archive")
				}
				if !tc.wantSome {
					return
				}
				if !errors.Is(err, ErrIncomplete) || a == nil {
					t.Fatalf("Open = %v, %v; want the partial archive and ErrIncomplete", a, err)
				}
				if !strings.Contains(err.Error(), "archive byte") {
					t.Errorf("the error does not say how far it got: %v", err)
				}
				files, _ := a.Find("", "logs/*")
				if len(files) == 0 {
					t.Fatal("nothing read before the break")
				}
				for _, f := range files {
					if r, err := a.Open(f); err == nil {
						n, _ := io.Copy(io.Discard, r)
						r.Close()
						if n != 40_000 {
							t.Errorf("%s: %d bytes readable of 40000", f.Path, n)
						}
					} else if !errors.Is(err, ErrRefused) || !hasProblem(a, "broke off") {
						t.Errorf("%s: %v, problems %q", f.Path, err, a.Problems())
					}
				}
				assertOnlyExtraction(t, tmp)
			})
		}
	}
}

func TestTrailingGzipBytes(t *testing.T) {
	data := append(tgzBytes(t, sysdiag("")), make([]byte, 100)...)
	a := open(t, writeFile(t, "padded.tgz", data), Options{})
	if !hasProblem(a, "after the end of the gzip stream") {
		t.Errorf("trailing bytes not reported: %q", a.Problems())
	}
	if !slices.Contains(walkPaths(t, a), "ps.txt") {
		t.Error("entries lost")
	}
}

func TestTarTimes(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "Library/SMS/sms.db", Typeflag: tar.TypeReg, Mode: 0o4755, Uid: 501,
		ModTime: stamp, ChangeTime: stamp.Add(time.Hour), Format: tar.FormatPAX,
		PAXRecords: map[string]string{"LIBARCHIVE.creationtime": "1700000000.5"}})
	tw.Close()
	a, err := OpenReader(&buf, Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	f := findOne(t, a, "Library/SMS/sms.db")
	if !f.Modified.Equal(stamp) || !f.Changed.Equal(stamp.Add(time.Hour)) ||
		!f.Birth.Equal(time.Unix(1700000000, 5e8)) || f.ModeBits != 0o4755 || f.UserID != 501 {
		t.Errorf("metadata = %+v", f)
	}
}
