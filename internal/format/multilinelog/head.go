package multilinelog

import (
	"bytes"
	"strings"
	"time"
)

var (
	weekdays = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	months   = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	// The "_d HH:MM:SS YYYY " part: each number's digit count and what follows it.
	stampDigits = [5]int{2, 2, 2, 2, 4}
	stampSeps   = [5]byte{' ', ':', ':', ' ', ' '}
)

// cursor walks a line left to right; every method leaves it unmoved on failure.
type cursor struct {
	b []byte
	i int
}

func (c *cursor) spaces(atLeast int) bool {
	j := c.i
	for j < len(c.b) && c.b[j] == ' ' {
		j++
	}
	if j-c.i < atLeast {
		return false
	}
	c.i = j
	return true
}

func (c *cursor) lit(s string) bool {
	if len(c.b)-c.i < len(s) || string(c.b[c.i:c.i+len(s)]) != s {
		return false
	}
	c.i += len(s)
	return true
}

// num reads 1 to max digits.
func (c *cursor) num(maxDigits int) (int, bool) {
	v, j := 0, c.i
	for j < len(c.b) && j-c.i < maxDigits && c.b[j] >= '0' && c.b[j] <= '9' {
		v = v*10 + int(c.b[j]-'0')
		j++
	}
	if j == c.i {
		return 0, false
	}
	c.i = j
	return v, true
}

// word reads one of words.
func (c *cursor) word(words []string) (int, bool) {
	for k, w := range words {
		if c.lit(w) {
			return k, true
		}
	}
	return 0, false
}

// until reads up to (not including) stop, which must occur.
func (c *cursor) until(stop byte) ([]byte, bool) {
	k := bytes.IndexByte(c.b[c.i:], stop)
	if k < 0 {
		return nil, false
	}
	v := c.b[c.i : c.i+k]
	c.i += k
	return v, true
}

// parseHead reads an entry's first line. It returns the entry's header fields and
// the message text on this line, or ok=false when the line does not start an entry.
func parseHead(b []byte) (e Entry, rest string, ok bool) {
	c := cursor{b: b}
	if _, ok = c.word(weekdays); !ok || !c.spaces(1) {
		return Entry{}, "", false
	}
	mon, ok := c.word(months)
	if !ok || !c.spaces(1) {
		return Entry{}, "", false
	}
	var f [5]int // day, hour, minute, second, year
	for k, sep := range stampSeps {
		if f[k], ok = c.num(stampDigits[k]); !ok {
			return Entry{}, "", false
		}
		if sep == ' ' && !c.spaces(1) || sep == ':' && !c.lit(":") {
			return Entry{}, "", false
		}
	}
	day, hour, minute, sec, year := f[0], f[1], f[2], f[3], f[4]
	if day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 || year < 1970 {
		return Entry{}, "", false
	}
	e.Local = time.Date(year, time.Month(mon+1), day, hour, minute, sec, 0, time.UTC)
	if e.Local.Day() != day {
		return Entry{}, "", false
	}
	if !c.lit("[") {
		return Entry{}, "", false
	}
	pid, ok := c.num(10)
	if !ok || !c.lit("]") || !c.spaces(1) || !c.lit("<") {
		return Entry{}, "", false
	}
	level, ok := c.until('>')
	if !ok || len(level) == 0 || len(level) > 16 {
		return Entry{}, "", false
	}
	c.i++
	if !c.spaces(1) || !c.lit("(") {
		return Entry{}, "", false
	}
	thread, ok := c.until(')')
	if !ok || len(thread) == 0 || len(thread) > 24 {
		return Entry{}, "", false
	}
	c.i++
	e.PID, e.Level, e.Thread = int64(pid), string(level), string(thread)
	c.spaces(0)
	e.Function, rest = splitFunction(string(b[c.i:]))
	return e, rest, true
}

// splitFunction separates the function that prefixes a message: an Objective-C
// method "-[Class sel:]" or "+[Class sel:]", or a C identifier, each followed by ":".
// A message without one comes back whole.
func splitFunction(s string) (fn, msg string) {
	if len(s) > 2 && (s[0] == '-' || s[0] == '+') && s[1] == '[' {
		if end := strings.IndexByte(s, ']'); end > 0 && end+1 < len(s) && s[end+1] == ':' {
			return s[:end+1], trimLeadingSpace(s[end+2:])
		}
		return "", s
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		if c == ':' && i > 0 {
			return s[:i], trimLeadingSpace(s[i+1:])
		}
		return "", s
	}
	return "", s
}

func trimLeadingSpace(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	return s
}
