// Package formattest holds what the parsers' tests share: fuzz seed corpora kept in
// step with the seeds in code, and generated input streams for benchmarks.
package formattest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// SeedFile is the content of a Go fuzz corpus file for arguments of type []byte or string.
func SeedFile(args ...any) []byte {
	var b bytes.Buffer
	b.WriteString("go test fuzz v1\n")
	for _, a := range args {
		switch v := a.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%q)\n", v)
		case string:
			fmt.Fprintf(&b, "string(%q)\n", v)
		default:
			panic(fmt.Sprintf("formattest: seed argument of type %T", a))
		}
	}
	return b.Bytes()
}

// CheckCorpus checks that testdata/fuzz/<name> holds each file's content (names such as
// "FuzzParse/seed-empty"); with update it writes them instead. The checked-in corpus then
// always holds the seeds the code defines, and runs as plain tests.
func CheckCorpus(t testing.TB, files map[string][]byte, update bool) {
	t.Helper()
	for name, want := range files {
		path := filepath.Join("testdata", "fuzz", filepath.FromSlash(name))
		if update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
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

// LineSource streams generated lines up to size bytes, so that benchmarks on a hundred
// megabytes of input hold none of it in memory. line appends line i to b and returns it.
func LineSource(size int, line func(i int, b []byte) []byte) io.Reader {
	return &source{line: line, left: size}
}

type source struct {
	line func(i int, b []byte) []byte
	back []byte // reused for every generated line
	buf  []byte // the unread rest of the current line
	i    int
	left int
}

func (s *source) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && s.left > 0 {
		if len(s.buf) == 0 {
			s.back = s.line(s.i, s.back[:0])
			s.buf = s.back
			s.i++
		}
		c := copy(p[n:min(len(p), n+s.left)], s.buf)
		s.buf, n, s.left = s.buf[c:], n+c, s.left-c
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}
