package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"testing"
)

// rawZip writes one deflated entry whose header says what the test wants, true or not.
func rawZip(t *testing.T, name string, content []byte, declared uint64) string {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(content)
	fw.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(content),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: declared})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	zw.Close()
	return writeFile(t, "bomb.zip", buf.Bytes())
}

func TestZipBomb(t *testing.T) {
	t.Run("ratio", func(t *testing.T) {
		zeros := make([]byte, 4<<20) // deflates at about 1030:1
		a := open(t, rawZip(t, "zeros.db", zeros, uint64(len(zeros))), Options{})
		if _, err := a.Open(findOne(t, a, "zeros.db")); !errors.Is(err, ErrRefused) {
			t.Errorf("Open of a 1000:1 entry: %v", err)
		}
		if !hasProblem(a, "zip bomb") {
			t.Errorf("not reported: %q", a.Problems())
		}
	})
	t.Run("more than declared", func(t *testing.T) {
		a := open(t, rawZip(t, "liar.txt", bytes.Repeat([]byte("a"), 5000), 100), Options{})
		r, err := a.Open(findOne(t, a, "liar.txt"))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		n, err := io.Copy(io.Discard, r)
		if err == nil || n > 100 {
			t.Errorf("read %d bytes, err %v; want at most the declared 100 and an error", n, err)
		}
	})
}

// v7Tar is a tar from before POSIX: no magic, only the header checksum says what it is.
func v7Tar(t testing.TB, name, body string) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: name, Size: int64(len(body)), Mode: 0o644, Typeflag: tar.TypeReg, Format: tar.FormatUSTAR})
	io.WriteString(tw, body)
	tw.Close()
	b := buf.Bytes()
	clear(b[257:265])
	copy(b[148:156], "        ")
	var sum int64
	for _, c := range b[:512] {
		sum += int64(c)
	}
	copy(b[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

func TestMagic(t *testing.T) {
	if got := sniff(v7Tar(t, "old.txt", "old")); got != formatTar {
		t.Fatalf("v7 tar sniffed as %q", got)
	}
	a := open(t, writeFile(t, "renamed.zip", v7Tar(t, "old.txt", "old")), Options{})
	if read(t, a, findOne(t, a, "old.txt")) != "old" {
		t.Error("v7 tar content")
	}
	empty := open(t, writeFile(t, "empty.zip", zipBytes(t, nil)), Options{})
	if empty.Format() != formatZip || len(walkPaths(t, empty)) != 0 {
		t.Error("empty zip")
	}
	for name, data := range map[string][]byte{
		"text.zip":       []byte("this is not an archive, whatever its name says"),
		"empty.tar.gz":   nil,
		"gzipped.tar.gz": gzipBytes(t, []byte("a gzip stream holding a text file, not a tar")),
		"bad-sum.tar":    append(v7Tar(t, "x", "x")[:148], make([]byte, 1024)...),
	} {
		if _, err := Open(writeFile(t, name, data), Options{TempDir: t.TempDir()}); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", name, err)
		}
	}
	if _, err := OpenReader(bytes.NewReader(zipBytes(t, sysdiag(""))), Options{}); !errors.Is(err, ErrFormat) {
		t.Errorf("zip through OpenReader: %v", err)
	}
}
