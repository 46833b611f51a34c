package archive

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// Zip bomb guard: an entry over bombMinSize that claims more than bombRatio times its
// compressed size is refused. Real acquisitions stay far below (sqlite ~10:1, logs ~30:1);
// deflate itself cannot exceed about 1032:1.
const (
	bombMinSize = 1 << 20
	bombRatio   = 1000
	maxLinkLen  = 4096
)

// zipContent reads zip entries on demand: the central directory is the index, so nothing
// needs extracting.
type zipContent struct {
	f  *os.File
	zr *zip.Reader
}

func openZip(f *os.File, size int64, opts Options) (*Archive, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are checked below
		return nil, fmt.Errorf("zip: %w", err)
	}
	if len(zr.File) > opts.MaxEntries {
		return nil, fmt.Errorf("zip: %d entries, over %d: %w", len(zr.File), opts.MaxEntries, ErrLimit)
	}
	a := newArchive(formatZip, opts)
	a.zip = &zipContent{f: f, zr: zr}
	for k, zf := range zr.File {
		if err := a.addZip(k, zf); err != nil {
			return nil, fmt.Errorf("zip: %w", err)
		}
	}
	a.idx.finish()
	if opts.Progress != nil {
		opts.Progress(size)
	}
	return a, nil
}

func (a *Archive) addZip(k int, zf *zip.File) error {
	name, why := entryName(zf.Name)
	if why != "" {
		a.idx.probs.add("%q: %s: refused", zf.Name, why)
		return nil
	}
	if name == "" {
		return nil
	}
	mode := zf.Mode()
	e := entry{path: name, mode: mode}
	e.setModified(zf.Modified)
	switch {
	case mode.IsDir() || strings.HasSuffix(zf.Name, "/"):
		e.kind, e.mode = kindDir, mode|fs.ModeDir
	case mode&fs.ModeSymlink != 0:
		e.kind = kindSymlink
		e.more().target = a.zip.linkTarget(zf, &a.idx.probs)
	case mode.Type() != 0:
		a.idx.probs.add("%q: special file (%s) skipped", name, mode.Type())
		return nil
	default:
		e.kind, e.content = kindFile, int32(k+1)
		e.size = int64(min(zf.UncompressedSize64, 1<<63-1))
	}
	i, _, err := a.idx.add(e)
	if i < 0 || err != nil || e.kind != kindFile {
		return err
	}
	switch u, c := zf.UncompressedSize64, zf.CompressedSize64; {
	case u > uint64(a.opts.MaxEntryBytes):
		a.idx.refuse(i, fmt.Sprintf("declares %d bytes, over the %d-byte cap per entry", u, a.opts.MaxEntryBytes))
	case u > bombMinSize && u/bombRatio > c:
		a.idx.refuse(i, fmt.Sprintf("declares %d bytes from %d compressed, over %d:1 (zip bomb?)", u, c, bombRatio))
	}
	return nil
}

// linkTarget reads a symlink's target, which zip stores as the entry's content. Reading it
// is not following it.
func (z *zipContent) linkTarget(zf *zip.File, probs *problems) string {
	if zf.UncompressedSize64 > maxLinkLen {
		probs.add("%q: symlink target of %d bytes not read", zf.Name, zf.UncompressedSize64)
		return ""
	}
	r, err := z.open(zf)
	if err != nil {
		probs.add("%q: symlink target unreadable: %v", zf.Name, err)
		return ""
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		probs.add("%q: symlink target unreadable: %v", zf.Name, err)
		return ""
	}
	return string(b)
}

func (z *zipContent) open(zf *zip.File) (io.ReadCloser, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("archive: zip %q: %w", zf.Name, err)
	}
	return &capReader{rc: rc, left: int64(min(zf.UncompressedSize64, 1<<63-2)), name: zf.Name}, nil
}

func (z *zipContent) openEntry(e *entry) (io.ReadCloser, error) {
	return z.open(z.zr.File[e.content-1])
}

// capReader stops at the declared uncompressed size: a bomb's header may lie about it, and
// archive/zip's own check is not the only thing to rely on.
type capReader struct {
	rc   io.ReadCloser
	left int64
	name string
}

func (r *capReader) Read(p []byte) (int, error) {
	if int64(len(p)) > r.left+1 {
		p = p[:r.left+1]
	}
	n, err := r.rc.Read(p)
	if int64(n) > r.left {
		return int(r.left), fmt.Errorf("archive: zip %q: more content than its declared size: %w", r.name, zip.ErrFormat)
	}
	r.left -= int64(n)
	return n, err
}

func (r *capReader) Close() error { return r.rc.Close() }
