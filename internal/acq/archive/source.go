package archive

import (
	"bufio"
	"errors"
	"io"
	"os"
)

// progressStep spaces Progress calls: often enough for a progress bar, rare enough to cost
// nothing.
const progressStep = 4 << 20

// counter counts the archive bytes consumed, for Progress and for error messages that say
// how far a broken stream got.
type counter struct {
	r        io.Reader
	seeker   io.Seeker // set for plain files only: lets tar skip unwanted content
	n        int64
	next     int64
	progress func(int64)
	eof      bool
}

func newFileSource(f *os.File) *counter    { return &counter{r: f, seeker: f} }
func newStreamSource(r io.Reader) *counter { return &counter{r: r} }

// Read stops at the first io.EOF: buffered readers ask again after it, and a stream such
// as a pipe or network body must not be read past its end.
func (c *counter) Read(p []byte) (int, error) {
	if c.eof {
		return 0, io.EOF
	}
	n, err := c.r.Read(p)
	c.add(int64(n))
	c.eof = err == io.EOF
	return n, err
}

func (c *counter) add(n int64) {
	c.n += n
	if c.progress != nil && c.n >= c.next {
		c.progress(c.n)
		c.next = c.n + progressStep
	}
}

// skip moves forward by n bytes without reading them.
func (c *counter) skip(n int64) error {
	if _, err := c.seeker.Seek(n, io.SeekCurrent); err != nil {
		return err
	}
	c.add(n)
	return nil
}

// forwardSeeker gives archive/tar a buffered reader it may skip through: archive/tar seeks
// over the content of entries that are not read, which spares reading the unwanted bulk of
// a plain tar dump. Only forward, relative seeks exist, so no byte is ever read twice.
type forwardSeeker struct {
	br  *bufio.Reader
	c   *counter
	pos int64
}

func (s *forwardSeeker) Read(p []byte) (int, error) {
	n, err := s.br.Read(p)
	s.pos += int64(n)
	return n, err
}

var errBackwardSeek = errors.New("archive: only forward seeks within the stream")

func (s *forwardSeeker) Seek(off int64, whence int) (int64, error) {
	if whence != io.SeekCurrent || off < 0 {
		return s.pos, errBackwardSeek
	}
	if b := int64(s.br.Buffered()); off > b {
		if _, err := s.br.Discard(int(b)); err != nil {
			return s.pos, err
		}
		if err := s.c.skip(off - b); err != nil {
			return s.pos, err
		}
		s.br.Reset(s.c)
	} else if _, err := s.br.Discard(int(off)); err != nil {
		return s.pos, err
	}
	s.pos += off
	return s.pos, nil
}
