package multilinelog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Parse reads a multi-line daemon log and calls fn for each entry in file order, once
// its continuation lines have been read. Lines before the first entry are counted as
// orphans. It returns fn's first error or a read error; content never makes it fail.
func Parse(r io.Reader, fn func(Entry) error) (Stats, error) {
	p := parser{br: bufio.NewReaderSize(r, 64<<10)}
	for {
		raw, cut, err := p.readLine()
		if len(raw) > 0 || err == nil {
			p.st.Lines++
			if cut {
				p.st.Long++
			}
			if done, e := p.line(raw, cut); done {
				if ferr := fn(e); ferr != nil {
					return p.st, ferr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return p.st, fmt.Errorf("log line %d: %w", p.st.Lines+1, err)
		}
	}
	if done, e := p.finish(); done {
		return p.st, fn(e)
	}
	return p.st, nil
}

type parser struct {
	br   *bufio.Reader
	st   Stats
	cur  Entry
	open bool
	msg  strings.Builder
	buf  []byte
}

// line handles one line; it returns the finished entry when the line starts another.
func (p *parser) line(raw []byte, cut bool) (bool, Entry) {
	raw = bytes.TrimSuffix(raw, []byte("\r"))
	if !utf8.Valid(raw) {
		raw = bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	}
	if e, rest, ok := parseHead(raw); ok {
		done, prev := p.finish()
		e.Line, e.Truncated = p.st.Lines, cut
		p.cur, p.open = e, true
		p.msg.WriteString(rest)
		return done, prev
	}
	switch {
	case p.open:
		if p.msg.Len()+1+len(raw) > MaxMessageLen {
			p.cur.Truncated = true
			return false, Entry{}
		}
		p.msg.WriteByte('\n')
		p.msg.Write(raw)
		p.cur.Truncated = p.cur.Truncated || cut
	case len(bytes.TrimSpace(raw)) > 0:
		p.st.Orphans++
		if p.st.FirstOrphan == 0 {
			p.st.FirstOrphan = p.st.Lines
		}
	}
	return false, Entry{}
}

// finish closes the current entry, if any. Trailing blank lines belong to no entry.
func (p *parser) finish() (bool, Entry) {
	if !p.open {
		return false, Entry{}
	}
	e := p.cur
	e.Message = strings.TrimRight(p.msg.String(), "\n\t ")
	p.cur, p.open = Entry{}, false
	p.msg.Reset()
	p.st.Entries++
	return true, e
}

// readLine returns the next line without its newline, at most MaxLineLen bytes of it,
// and whether it was cut. The slice is valid until the next call.
func (p *parser) readLine() ([]byte, bool, error) {
	line, err := p.br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return bytes.TrimSuffix(line, []byte("\n")), false, err
	}
	p.buf = append(p.buf[:0], line[:min(len(line), MaxLineLen)]...)
	cut := false
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = p.br.ReadSlice('\n')
		line = bytes.TrimSuffix(line, []byte("\n"))
		keep := min(len(line), MaxLineLen-len(p.buf))
		p.buf = append(p.buf, line[:keep]...)
		cut = cut || keep < len(line)
	}
	return p.buf, cut, err
}
