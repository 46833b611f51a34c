package logdstats

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ParseText reads a logdata.statistics.*.txt file and calls fn for each record in
// file order. A record runs from its "--- !logd … record" line to the next "--- !"
// line. Stray and unreadable lines are skipped and counted; records of unknown kinds
// are skipped whole. Parse returns fn's first error or a read error.
func ParseText(r io.Reader, fn func(Record) error) (Stats, error) {
	return parseText(bufio.NewReaderSize(r, 64<<10), fn)
}

type textParser struct {
	st    Stats
	cur   Record
	open  bool // cur holds a record being read
	other bool // inside a "--- !" block of another kind
	procs bool // past the "procs :" line
}

func parseText(br *bufio.Reader, fn func(Record) error) (Stats, error) {
	var p textParser
	lr := lineReader{br: br}
	for {
		line, err := lr.next()
		if len(line) > 0 || err == nil {
			p.st.Lines++
			if done, rec := p.line(line); done {
				if ferr := fn(rec); ferr != nil {
					return p.st, ferr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return p.st, fmt.Errorf("logd statistics line %d: %w", p.st.Lines+1, err)
		}
	}
	if done, rec := p.finish(); done {
		return p.st, fn(rec)
	}
	return p.st, nil
}

// line handles one line; it returns the finished record when the line ends one.
func (p *textParser) line(raw []byte) (bool, Record) {
	n := p.st.Lines
	if len(raw) > MaxLineLen {
		p.st.Long++
		raw = raw[:MaxLineLen]
	}
	if !utf8.Valid(raw) {
		raw = bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	}
	s := strings.TrimSpace(string(raw))
	if s == "" {
		return false, Record{}
	}
	if strings.HasPrefix(s, "--- !") {
		done, rec := p.finish()
		switch strings.TrimSpace(strings.TrimPrefix(s, "--- !")) {
		case KindStatistics + " record":
			p.cur, p.open = Record{Line: n, Kind: KindStatistics}, true
		case KindQuarantine + " record":
			p.cur, p.open = Record{Line: n, Kind: KindQuarantine}, true
		default:
			p.other = true
		}
		return done, rec
	}
	switch {
	case p.other:
	case !p.open:
		p.st.skip(n)
	case p.procs && strings.HasPrefix(s, "- ["):
		if path, ok := procPath(s); ok {
			p.cur.add(path)
		} else {
			p.st.skip(n)
		}
	default:
		p.field(s, n)
	}
	return false, Record{}
}

// field reads a "key : value" line of the current record.
func (p *textParser) field(s string, n int) {
	key, val, ok := strings.Cut(s, ":")
	if !ok {
		p.st.skip(n)
		return
	}
	key, val = strings.TrimSpace(key), strings.TrimSpace(val)
	switch key {
	case "type":
		p.cur.Type = normalType(val)
	case "file":
		p.cur.File = val
	case "client":
		p.cur.add(val)
	case "time":
		p.cur.Time = parseTime(val)
	case "total", "overall total":
		p.cur.Total, _ = strconv.ParseInt(val, 10, 64)
	case "procs":
		p.procs = true
	}
}

// finish closes the current record, if any.
func (p *textParser) finish() (bool, Record) {
	rec, open := p.cur, p.open
	p.cur, p.open, p.other, p.procs = Record{}, false, false, false
	if !open {
		return false, Record{}
	}
	if rec.Time.IsZero() {
		p.st.NoTime++
	}
	p.st.Records++
	return true, rec
}

// procPath reads "- [ <bytes>, <percent>, <path> ]". The path is everything after
// the second comma up to the last "]", so that commas and brackets inside it survive.
func procPath(s string) (string, bool) {
	body := strings.TrimPrefix(s, "- [")
	end := strings.LastIndexByte(body, ']')
	if end < 0 {
		return "", false
	}
	parts := strings.SplitN(body[:end], ",", 3)
	if len(parts) != 3 {
		return "", false
	}
	if _, err := strconv.ParseUint(strings.TrimSpace(parts[0]), 10, 64); err != nil {
		return "", false
	}
	path := strings.TrimSpace(parts[2])
	return path, path != ""
}

// timeLayouts are the forms of the time line: logd writes the first.
var timeLayouts = []string{"2006-01-02 15:04:05-0700", "2006-01-02 15:04:05 -0700", time.RFC3339}

// parseTime reads a record time and converts it to UTC; zero when unreadable.
func parseTime(s string) time.Time {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
