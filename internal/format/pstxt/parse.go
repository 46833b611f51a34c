package pstxt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Parse reads a ps.txt or ps_thread.txt listing and calls fn for each process, in file
// order, once its thread rows (if any) have been read. The first non-blank line must
// be a ps header, or Parse fails with an error wrapping ErrHeader that names the line.
// Rows that cannot be read are skipped and counted in Stats. Parse returns fn's first
// error or a read error; no other content makes it fail.
func Parse(r io.Reader, fn func(Process) error) (Stats, error) {
	p := parser{br: bufio.NewReaderSize(r, 64<<10), fn: fn}
	err := p.run()
	return p.stats, err
}

type parser struct {
	br      *bufio.Reader
	fn      func(Process) error
	stats   Stats
	hdr     *Header
	pending Process
	held    bool // pending holds a process not yet passed to fn
	toks    []span
	cut     bool // the current line was truncated
}

func (p *parser) run() error {
	for {
		raw, err := p.readLine()
		if len(raw) > 0 || err == nil {
			p.stats.Lines++
			if ferr := p.line(raw); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("ps listing line %d: %w", p.stats.Lines+1, err)
		}
	}
	if p.hdr == nil {
		return fmt.Errorf("ps listing: empty, %w", ErrHeader)
	}
	return p.flush()
}

// line handles one line; its error is fn's or a header error.
func (p *parser) line(raw []byte) error {
	raw = bytes.TrimRight(raw, " \t\r")
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	n := p.stats.Lines
	if p.hdr == nil {
		h, err := parseHeader(string(raw))
		if err != nil {
			return fmt.Errorf("ps listing line %d: %w", n, err)
		}
		p.hdr = &h
		p.stats.Header = h
		return nil
	}
	if p.cut {
		p.stats.Truncated++
	}
	line := string(raw)
	if p.hdr.Threads && (line[0] == ' ' || line[0] == '\t') {
		p.thread(line, n)
		return nil
	}
	proc, ok := p.process(line)
	if !ok {
		p.stats.skip(n)
		return nil
	}
	proc.Line, proc.Truncated = n, p.cut
	if err := p.flush(); err != nil {
		return err
	}
	p.pending, p.held = proc, true
	return nil
}

func (p *parser) flush() error {
	if !p.held {
		return nil
	}
	p.held = false
	p.stats.Processes++
	return p.fn(p.pending)
}

// parseHeader checks that line is a ps header: upper-case column names (digits, %,
// and _ allowed), PID among them and COMMAND last.
func parseHeader(line string) (Header, error) {
	cols := strings.Fields(line)
	if len(cols) < 2 || len(cols) > MaxColumns {
		return Header{}, fmt.Errorf("%d columns in %.80q: %w", len(cols), line, ErrHeader)
	}
	h := Header{Columns: cols, index: make(map[string]int, len(cols))}
	inner := 0
	for i, c := range cols {
		for j := 0; j < len(c); j++ {
			if b := c[j]; !(b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '%' || b == '_') {
				return Header{}, fmt.Errorf("column %q in %.80q: %w", c, line, ErrHeader)
			}
		}
		if c == "COMMAND" && i < len(cols)-1 {
			inner++
		}
		h.index[c] = i
	}
	if _, ok := h.index["PID"]; !ok || cols[len(cols)-1] != "COMMAND" || inner > 1 {
		return Header{}, fmt.Errorf("want PID and a final COMMAND column in %.80q: %w", line, ErrHeader)
	}
	h.Threads = inner == 1
	return h, nil
}

// readLine returns the next line without its newline, at most MaxLineLen bytes of it,
// and records whether it was cut. The slice is valid until the next call.
func (p *parser) readLine() ([]byte, error) {
	line, err := p.br.ReadSlice('\n')
	p.cut = false
	if !errors.Is(err, bufio.ErrBufferFull) {
		return bytes.TrimSuffix(line, []byte("\n")), err
	}
	buf := append([]byte(nil), line[:min(len(line), MaxLineLen)]...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = p.br.ReadSlice('\n')
		line = bytes.TrimSuffix(line, []byte("\n"))
		keep := min(len(line), MaxLineLen-len(buf))
		buf = append(buf, line[:keep]...)
		p.cut = p.cut || keep < len(line)
	}
	return buf, err
}
