package archive

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// extraction is the private folder tar entries are copied into. Files are named by number,
// never by entry path: the names come from the suspect device, and numbered files cannot
// collide ("A" and "a" on a case-insensitive disk, a file "a" and an entry "a/b"), escape,
// or be links.
type extraction struct {
	dir      string
	root     *os.Root // our folder only, whatever happens to it meanwhile
	count    int32
	total    int64
	buf      []byte
	hasEmpty bool
}

// bucketBits spreads the numbered files over folders, because one folder with millions of
// files is slow on most filesystems.
const bucketBits = 12

func newExtraction(parent string) (*extraction, error) {
	dir, err := os.MkdirTemp(parent, "vigil-archive-") // 0700
	if err != nil {
		return nil, fmt.Errorf("extraction folder: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("extraction folder: %w", err)
	}
	return &extraction{dir: dir, root: root, buf: make([]byte, 256<<10)}, nil
}

// emptyFile stands for every empty entry: dumps hold many (locks, empty logs), and one
// shared file spares creating each, which costs far more than the index entry.
const emptyFile int32 = -1

func relName(n int32) string {
	if n == emptyFile {
		return "empty"
	}
	return fmt.Sprintf("%03x/%d", n>>bucketBits, n)
}

func (x *extraction) path(n int32) string {
	return filepath.Join(x.dir, filepath.FromSlash(relName(n)))
}

// create opens the next numbered file for writing.
func (x *extraction) create() (int32, *os.File, error) {
	x.count++
	n := x.count
	if n == 1 || n&(1<<bucketBits-1) == 0 {
		if err := x.root.Mkdir(fmt.Sprintf("%03x", n>>bucketBits), 0o700); err != nil {
			return 0, nil, fmt.Errorf("extraction folder: %w", err)
		}
	}
	f, err := x.root.OpenFile(relName(n), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, nil, fmt.Errorf("extraction folder: %w", err)
	}
	return n, f, nil
}

// shareEmpty returns the number of the shared empty file, creating it the first time.
func (x *extraction) shareEmpty() (int32, error) {
	if !x.hasEmpty {
		f, err := x.root.OpenFile(relName(emptyFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o400)
		if err != nil {
			return 0, fmt.Errorf("extraction folder: %w", err)
		}
		if err := f.Close(); err != nil {
			return 0, fmt.Errorf("extraction folder: %w", err)
		}
		x.hasEmpty = true
	}
	return emptyFile, nil
}

// drop deletes an extracted file that a later duplicate replaced or that was refused.
func (x *extraction) drop(n int32, size int64) error {
	x.total -= size
	if n == emptyFile {
		return nil
	}
	if err := x.root.Remove(relName(n)); err != nil {
		return fmt.Errorf("extraction folder: %w", err)
	}
	return nil
}

func (x *extraction) remove() error {
	return errors.Join(x.root.Close(), os.RemoveAll(x.dir))
}

// extractEntry copies entry i's content from the tar stream, within the caps.
func (a *Archive) extractEntry(r io.Reader, i int32, c *counter) error {
	e := &a.idx.entries[i]
	if a.opts.Want != nil && !a.opts.Want(e.path) {
		e.state = stateNotWanted
		return nil
	}
	if e.size > a.opts.MaxEntryBytes {
		a.idx.refuse(i, fmt.Sprintf("declares %d bytes, over the %d-byte cap per entry", e.size, a.opts.MaxEntryBytes))
		return nil
	}
	if a.ExtractedBytes()+e.size > a.opts.MaxTotalBytes {
		return fmt.Errorf("%q: %d more bytes would pass the %d-byte cap on extraction: %w",
			e.path, e.size, a.opts.MaxTotalBytes, ErrLimit)
	}
	if a.ext == nil {
		x, err := newExtraction(a.opts.TempDir)
		if err != nil {
			return err
		}
		a.ext = x
	}
	if e.size == 0 {
		n, err := a.ext.shareEmpty()
		e.content = n
		return err
	}
	n, f, err := a.ext.create()
	if err != nil {
		return err
	}
	written, rerr, werr := copyCapped(f, r, e.size, a.ext.buf)
	werr = errors.Join(werr, f.Close())
	a.ext.total += written
	if werr != nil || rerr != nil || written != e.size {
		if err := a.ext.drop(n, written); err != nil {
			return err
		}
	}
	switch {
	case werr != nil:
		return fmt.Errorf("extract %q: %w", e.path, werr)
	case rerr != nil || written < e.size:
		if rerr == nil {
			rerr = io.ErrUnexpectedEOF
		}
		a.idx.refuse(i, fmt.Sprintf("content broke off after %d of %d bytes", written, e.size))
		return fmt.Errorf("%w in %q after %d of %d bytes (archive byte %d): %w",
			ErrIncomplete, e.path, written, e.size, c.n, rerr)
	case written > e.size:
		a.idx.refuse(i, fmt.Sprintf("content runs past its declared %d bytes", e.size))
		return nil
	}
	e.content = n
	return nil
}

// copyCapped copies at most limit+1 bytes, so that content longer than declared shows,
// and tells read errors (a broken archive) from write errors (our disk).
func copyCapped(w io.Writer, r io.Reader, limit int64, buf []byte) (n int64, rerr, werr error) {
	lr := io.LimitReader(r, limit+1)
	for {
		k, err := lr.Read(buf)
		if k > 0 {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return n, nil, werr
			}
			n += int64(k)
		}
		if err == io.EOF {
			return n, nil, nil
		}
		if err != nil {
			return n, err, nil
		}
	}
}
