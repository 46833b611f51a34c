// Package pstxt reads the ps listings of a sysdiagnose: ps.txt and ps_thread.txt.
//
// ps.txt is `ps axwww -o user,uid,prsna,pid,ppid,flags,%cpu,%mem,pri,ni,vsz,rss,wchan,
// tt,stat,start,time,command`: a header line, then one row per process whose columns
// are separated by runs of spaces and whose last column, COMMAND, is argv joined by
// spaces. Columns are found by header name, so older (no PRSNA, no F) and unknown
// column sets read the same way.
//
// ps_thread.txt is `ps -M` with extra columns; its header reads
// USER PID TT %CPU STAT PRI STIME UTIME COMMAND PPID F %MEM PRI NI VSZ RSS WCHAN STARTED
// TIME COMMAND. Each process row (flush left) is followed by one indented row per
// further thread, which repeats the PID and leaves USER, TT and both COMMANDs blank.
// The first COMMAND is cut to the header's width and may hold spaces; the last one is
// the full command. BSD ps prints no thread names: the rows give per-thread state,
// priority and CPU times only (thread names are in spindump-nosymbols.txt).
//
// Neither listing has a per-process time; callers use the sysdiagnose creation time.
package pstxt

import (
	"errors"
	"strconv"
)

// Bounds on hostile or damaged input.
const (
	// MaxLineLen bounds one line; the rest of a longer line is dropped and counted.
	MaxLineLen = 64 << 10
	// MaxThreads bounds the threads kept per process; more are counted, not kept.
	MaxThreads = 4096
	// MaxColumns bounds the header; real headers have about twenty columns.
	MaxColumns = 64
)

// ErrHeader means the listing does not start with a ps header line.
var ErrHeader = errors.New("no ps header")

// Process is one process row.
type Process struct {
	Line    int    // 1-based line of the row
	User    string // "" when the listing has no USER column
	UID     int64  // -1 when the listing has no UID column
	PID     int64
	PPID    int64  // -1 when the listing has no PPID column
	Stat    string // STAT, e.g. "?s", "Ss"
	Started string // STARTED as ps prints it: "7:56AM", "Tue09PM", "14Jan19"
	Time    string // cumulative CPU TIME, e.g. "0:02.37"
	// Command is the full COMMAND value: argv joined by spaces.
	Command string
	// Executable and Args split Command by SplitCommand's rule, without a file system.
	Executable string
	Args       string
	// Truncated is set when the line exceeded MaxLineLen and was cut.
	Truncated bool
	// Threads holds ps_thread.txt's further thread rows; the process row itself
	// describes the first thread. DroppedThreads counts rows past MaxThreads.
	Threads        []Thread
	DroppedThreads int

	header *Header
	fields []string
}

// Field returns the raw value of a header column by name ("VSZ", "%CPU" ...). For a
// name that occurs twice (ps_thread.txt's PRI and COMMAND) it returns the last one.
func (p Process) Field(name string) (string, bool) {
	if p.header == nil {
		return "", false
	}
	i, ok := p.header.index[name]
	if !ok || i >= len(p.fields) {
		return "", false
	}
	return p.fields[i], true
}

// Thread is one indented thread row of ps_thread.txt.
type Thread struct {
	Line  int
	CPU   string // %CPU
	Stat  string // STAT
	Pri   string // the first PRI, e.g. "31T"
	STime string // system CPU time
	UTime string // user CPU time
}

// Header is the parsed header line.
type Header struct {
	Columns []string // column names in order
	// Threads is set for a ps_thread.txt layout: a COMMAND column before the last.
	Threads bool
	index   map[string]int // name → last position
}

// Stats describes what a parse read and what it skipped.
type Stats struct {
	Header    Header
	Lines     int // lines read, header included
	Processes int
	Threads   int // thread rows kept or dropped
	// Skipped counts rows that could not be read (too few columns, a non-numeric PID,
	// an orphan thread row ...); FirstSkipped is the line of the first of them.
	Skipped      int
	FirstSkipped int
	// Truncated counts lines cut at MaxLineLen.
	Truncated int
}

func (s *Stats) skip(line int) {
	s.Skipped++
	if s.FirstSkipped == 0 {
		s.FirstSkipped = line
	}
}

// atoi parses a ps integer column; ok is false for anything but an optional sign and
// ASCII digits that fit int64.
func atoi(s string) (int64, bool) {
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}
