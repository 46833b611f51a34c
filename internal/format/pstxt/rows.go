package pstxt

import "strings"

// span is a token's [start, end) in its line.
type span struct{ start, end int }

// tokens splits line on runs of spaces and tabs, reusing buf.
func tokens(line string, buf []span) []span {
	buf = buf[:0]
	for i := 0; i < len(line); {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i == len(line) {
			break
		}
		s := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' {
			i++
		}
		buf = append(buf, span{s, i})
	}
	return buf
}

// maxInnerWords bounds the words of ps_thread.txt's first, width-cut COMMAND: it is
// seven characters wide, so it cannot hold more than four space-separated words.
const maxInnerWords = 4

// process reads a process row: every column is one word except the last COMMAND,
// which takes the rest of the line, and ps_thread.txt's first COMMAND, which may take
// several words. Each way of sizing that column is tried until the typed columns
// after it check out; a row that fits none is not read.
func (p *parser) process(line string) (Process, bool) {
	h := p.hdr
	p.toks = tokens(line, p.toks)
	n := len(h.Columns)
	inner, words := -1, 1
	if h.Threads {
		words = maxInnerWords
		for i, c := range h.Columns {
			if c == "COMMAND" {
				inner = i
				break
			}
		}
	}
	for w := 1; w <= words; w++ {
		if len(p.toks) < n-1+w {
			break
		}
		fields := make([]string, n)
		t := 0
		valid := true
		for i, col := range h.Columns {
			switch {
			case i == n-1:
				fields[i] = line[p.toks[t].start:]
			case i == inner:
				fields[i] = line[p.toks[t].start:p.toks[t+w-1].end]
				t += w
			default:
				fields[i] = line[p.toks[t].start:p.toks[t].end]
				t++
			}
			if !validValue(col, fields[i]) {
				valid = false
				break
			}
		}
		if valid {
			return p.build(fields)
		}
	}
	return Process{}, false
}

// build types a row whose columns have been checked.
func (p *parser) build(fields []string) (Process, bool) {
	h := p.hdr
	get := func(name string) string {
		if i, ok := h.index[name]; ok {
			return fields[i]
		}
		return ""
	}
	proc := Process{UID: -1, PPID: -1, header: h, fields: fields}
	var ok bool
	if proc.PID, ok = atoi(get("PID")); !ok || proc.PID < 0 {
		return Process{}, false
	}
	if _, has := h.index["UID"]; has {
		proc.UID, _ = atoi(get("UID"))
	}
	if _, has := h.index["PPID"]; has {
		proc.PPID, _ = atoi(get("PPID"))
	}
	proc.User, proc.Stat, proc.Time = get("USER"), get("STAT"), get("TIME")
	if proc.Started = get("STARTED"); proc.Started == "" {
		proc.Started = get("START")
	}
	proc.Command = fields[len(fields)-1]
	proc.Executable, proc.Args = SplitCommand(proc.Command, nil)
	return proc, true
}

// thread reads an indented ps_thread.txt row: the header's columns minus USER, TT and
// both COMMANDs, which ps leaves blank for threads. It must repeat the PID of the
// process row above it.
func (p *parser) thread(line string, n int) {
	p.toks = tokens(line, p.toks)
	var t Thread
	k := 0
	for _, col := range p.hdr.Columns {
		if col == "USER" || col == "TT" || col == "COMMAND" {
			continue
		}
		if k >= len(p.toks) {
			p.stats.skip(n)
			return
		}
		v := line[p.toks[k].start:p.toks[k].end]
		k++
		if !validValue(col, v) {
			p.stats.skip(n)
			return
		}
		switch col {
		case "PID":
			if pid, _ := atoi(v); !p.held || pid != p.pending.PID {
				p.stats.skip(n)
				return
			}
		case "%CPU":
			t.CPU = v
		case "STAT":
			t.Stat = v
		case "PRI":
			if t.Pri == "" {
				t.Pri = v
			}
		case "STIME":
			t.STime = v
		case "UTIME":
			t.UTime = v
		}
	}
	if k != len(p.toks) {
		p.stats.skip(n)
		return
	}
	p.stats.Threads++
	cur := &p.pending
	if len(cur.Threads) >= MaxThreads {
		cur.DroppedThreads++
		return
	}
	t.Line = n
	cur.Threads = append(cur.Threads, t)
}

// validValue checks the columns whose shape is known, so that a row missing a value
// (which shifts every later column left) is refused rather than mis-typed.
func validValue(col, v string) bool {
	switch col {
	case "PID", "PPID", "UID", "RUID", "GID", "RGID", "PGID", "SESS", "VSZ", "RSS":
		return isDigits(v)
	case "NI":
		return isDigits(strings.TrimPrefix(v, "-"))
	case "%CPU", "%MEM":
		return isDecimal(v)
	case "F":
		return isHex(v)
	case "TIME", "UTIME", "STIME":
		return isDuration(v)
	}
	return v != ""
}

func isDigits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isDecimal(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	return isDigits(whole) && (frac == "" || isDigits(frac))
}

func isHex(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// isDuration accepts ps CPU times: "0:02.37", "12345:00.11", "1-02:03:04".
func isDuration(s string) bool {
	if !strings.Contains(s, ":") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c == ':' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}
