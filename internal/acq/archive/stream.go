package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

const bufSize = 1 << 20

// readStream indexes a tar or tar.gz in one pass and extracts the wanted files.
func readStream(c *counter, opts Options) (*Archive, error) {
	c.progress = opts.Progress
	br := bufio.NewReaderSize(c, bufSize)
	head, _ := br.Peek(sniffLen)
	var tarIn io.Reader
	var gz *gzip.Reader
	format := sniff(head)
	switch format {
	case formatGzip:
		var err error
		if gz, err = gzip.NewReader(br); err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		inner := bufio.NewReaderSize(gz, bufSize)
		if h, _ := inner.Peek(sniffLen); sniff(h) != formatTar {
			return nil, fmt.Errorf("gzip stream does not hold a tar archive: %w", ErrFormat)
		}
		tarIn = inner
	case formatTar:
		tarIn = br
		if c.seeker != nil {
			tarIn = &forwardSeeker{br: br, c: c}
		}
	case formatZip:
		return nil, fmt.Errorf("zip needs random access: open it from a file: %w", ErrFormat)
	default:
		return nil, fmt.Errorf("first bytes % x: %w", head[:min(len(head), 8)], ErrFormat)
	}
	a := newArchive(format, opts)
	err := a.readTar(tar.NewReader(tarIn), c)
	if err == nil && gz != nil {
		err = drainGzip(a, gz, c)
	}
	a.idx.finish()
	if a.ext != nil {
		a.ext.buf = nil // the copy buffer is not needed once the stream is read
	}
	if opts.Progress != nil {
		opts.Progress(c.n)
	}
	if err != nil && !errors.Is(err, ErrIncomplete) {
		a.Close()
		return nil, err
	}
	return a, err
}

// drainGzip reads what follows the tar's end marker, because only the end of the gzip
// stream tells whether the bytes were intact (its CRC) and the download complete.
func drainGzip(a *Archive, gz *gzip.Reader, c *counter) error {
	n, err := io.Copy(io.Discard, gz)
	switch {
	case errors.Is(err, gzip.ErrHeader):
		a.idx.probs.add("bytes after the end of the gzip stream, at archive byte %d, ignored", c.n)
	case err != nil:
		return fmt.Errorf("%w at the end of the gzip stream (archive byte %d): %w", ErrIncomplete, c.n, err)
	case n > 0:
		a.idx.probs.add("%d bytes after the end of the tar inside the gzip stream, ignored", n)
	}
	return nil
}

// readTar indexes every entry, extracting the wanted regular files as they pass.
func (a *Archive) readTar(tr *tar.Reader, c *counter) error {
	for {
		hdr, err := tr.Next()
		if errors.Is(err, tar.ErrInsecurePath) {
			err = nil // only under GODEBUG=tarinsecurepath=0; names are checked below anyway
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w after %d entries (archive byte %d): %w",
				ErrIncomplete, a.idx.explicit, c.n, err)
		}
		if err := a.addTar(tr, hdr, c); err != nil {
			return err
		}
	}
}

func (a *Archive) addTar(tr *tar.Reader, hdr *tar.Header, c *counter) error {
	if hdr.Typeflag == tar.TypeXGlobalHeader {
		return nil // pax metadata for the following entries, not an entry
	}
	name, why := entryName(hdr.Name)
	if why != "" {
		a.idx.probs.add("%q: %s: refused", hdr.Name, why)
		return nil
	}
	if name == "" {
		return nil // "./": the archive's own root
	}
	e := entry{path: name, size: hdr.Size, mode: hdr.FileInfo().Mode(), uid: int64(hdr.Uid)}
	e.setModified(hdr.ModTime)
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeGNUSparse:
		e.kind = kindFile
	case tar.TypeDir:
		e.kind, e.size = kindDir, 0
	case tar.TypeSymlink, tar.TypeLink:
		e.kind, e.size = kindSymlink, 0
		e.more().target = hdr.Linkname
		if hdr.Typeflag == tar.TypeLink {
			e.kind = kindHardlink
			e.mode = e.mode.Perm() | irregular
		}
	default:
		a.idx.probs.add("%q: %s entry (tar type %q) skipped", name, typeName(hdr.Typeflag), hdr.Typeflag)
		return nil
	}
	if t := paxTime(hdr, "LIBARCHIVE.creationtime"); !t.IsZero() {
		e.more().birth = t
	}
	if !hdr.ChangeTime.IsZero() {
		e.more().changed = hdr.ChangeTime.UTC()
	}
	i, old, err := a.idx.add(e)
	if err != nil || i < 0 {
		return err
	}
	if old.content != 0 && a.ext != nil {
		if err := a.ext.drop(old.content, old.size); err != nil {
			return err
		}
	}
	if e.kind != kindFile {
		return nil
	}
	return a.extractEntry(tr, i, c)
}

func typeName(t byte) string {
	switch t {
	case tar.TypeChar, tar.TypeBlock:
		return "device"
	case tar.TypeFifo:
		return "fifo"
	}
	return "unknown"
}

// paxTime reads a "seconds[.fraction]" PAX record, as bsdtar writes for birth times.
func paxTime(hdr *tar.Header, key string) time.Time {
	v, ok := hdr.PAXRecords[key]
	if !ok {
		return time.Time{}
	}
	secs, frac, _ := strings.Cut(v, ".")
	s, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return time.Time{}
	}
	ns, err := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
	if err != nil || ns < 0 {
		ns = 0
	}
	return time.Unix(s, ns).UTC()
}
