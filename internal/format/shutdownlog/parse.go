package shutdownlog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/format/timestamp"
)

// Parse reads a shutdown.log and calls fn for each reboot block, in file order; an
// unterminated trailing block that lists anything is passed last. It returns fn's first
// error, or a read error; content never causes an error.
func Parse(r io.Reader, fn func(Reboot) error) error {
	p := parser{}
	p.reset()
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := readLine(br)
		if len(line) > 0 || err == nil {
			p.n++
			if done, block := p.line(line); done {
				if ferr := fn(block); ferr != nil {
					return ferr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("shutdown.log: %w", err)
		}
	}
	if p.cur.Delays > 0 || len(p.cur.Clients) > 0 || p.cur.DroppedClients > 0 {
		p.cur.Line = p.n
		return fn(p.cur)
	}
	return nil
}

// readLine returns the next line without its end of line, at most MaxLineLen bytes of it;
// the rest of a longer line is read and dropped.
func readLine(br *bufio.Reader) (string, error) {
	var sb strings.Builder
	for {
		chunk, isPrefix, err := br.ReadLine()
		if sb.Len() < MaxLineLen {
			sb.Write(chunk[:min(len(chunk), MaxLineLen-sb.Len())])
		}
		if err != nil || !isPrefix {
			return sb.String(), err
		}
	}
}

type parser struct {
	n       int // lines read
	cur     Reboot
	index   map[clientKey]int // position in cur.Clients
	elapsed float64           // the current wait's "After" value
}

type clientKey struct {
	pid  int64
	path string
}

func (p *parser) reset() {
	p.cur = Reboot{}
	p.index = map[clientKey]int{}
	p.elapsed = 0
}

// line handles one line; it returns the finished block when the line ends one.
func (p *parser) line(raw string) (bool, Reboot) {
	line := strings.TrimSpace(raw)
	switch {
	case strings.HasPrefix(line, "remaining client pid:"):
		p.client(line)
	case strings.HasPrefix(line, "After ") && strings.Contains(line, "still here"):
		p.cur.Delays++
		p.elapsed = afterSeconds(line)
		p.cur.Elapsed = max(p.cur.Elapsed, p.elapsed)
	case strings.HasPrefix(line, "SIGTERM:"):
		done := p.cur
		done.Terminated, done.Line, done.Time = true, p.n, sigtermTime(line)
		p.reset()
		return true, done
	}
	return false, Reboot{}
}

func (p *parser) client(line string) {
	pid, path := clientFields(line)
	k := clientKey{pid, path}
	i, ok := p.index[k]
	if !ok {
		if len(p.cur.Clients) >= MaxClients {
			p.cur.DroppedClients++
			return
		}
		i = len(p.cur.Clients)
		p.index[k] = i
		p.cur.Clients = append(p.cur.Clients, Client{PID: pid, Path: path})
	}
	c := &p.cur.Clients[i]
	c.Listed++
	c.StillThereAfter = p.elapsed
}

// clientFields reads "remaining client pid: <pid> (<path>)". The path runs to the last
// ')': executable paths may hold parentheses themselves.
func clientFields(line string) (int64, string) {
	rest := strings.TrimSpace(strings.TrimPrefix(line, "remaining client pid:"))
	num := rest
	var path string
	if open := strings.IndexByte(rest, '('); open >= 0 {
		num = rest[:open]
		path = rest[open+1:]
		if end := strings.LastIndexByte(path, ')'); end >= 0 {
			path = path[:end]
		}
	}
	pid, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || pid < 0 {
		pid = 0
	}
	return pid, strings.ToValidUTF8(path, "\uFFFD")
}

// afterSeconds reads <x> of "After <x>s, ..."; 0 when it is not a number.
func afterSeconds(line string) float64 {
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0
	}
	v, err := strconv.ParseFloat(strings.TrimRight(f[1], "s,"), 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 1e9 {
		return 0
	}
	return v
}

// sigtermTime reads the Unix time of "SIGTERM: [<t>]"; MVT also accepts ten digits after
// " @", which some versions wrote instead.
func sigtermTime(line string) time.Time {
	if open := strings.IndexByte(line, '['); open >= 0 {
		if end := strings.IndexByte(line[open:], ']'); end > 0 {
			if v, err := strconv.ParseInt(strings.TrimSpace(line[open+1:open+end]), 10, 64); err == nil {
				return timestamp.Unix(float64(v))
			}
		}
	}
	if at := strings.Index(line, " @"); at >= 0 {
		digits := line[at+2:]
		digits = digits[:min(len(digits), 10)]
		if v, err := strconv.ParseInt(digits, 10, 64); err == nil {
			return timestamp.Unix(float64(v))
		}
	}
	return time.Time{}
}
