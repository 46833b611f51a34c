// Package logdstats reads logd's statistics files from a sysdiagnose's
// system_logs.logarchive/Extra: logdata.statistics.N.jsonl (iOS 16.4 and later) and
// logdata.statistics.N.txt. They list, at each log-file rotation, the processes that
// wrote the most to the unified log — a cheap, timestamped process history that needs
// no tracev3 parser.
//
// What logd writes (from its own format strings):
//
//   - JSONL, one object per File Rotate: {"record":"logd statistics","type":"File
//     Rotate","file":"<dir>/<16 hex>.tracev3","unixTime":<s>,"totalBytes":<n>,
//     "processList":[{"sizeBytes":<n>,"process":"<path>"}, …]} with the top 50
//     writers; the file rolls to .1.jsonl at 5 MiB.
//   - Text, at each File Rotate or Memory Rollover (the latter without a file line):
//     "--- !logd statistics record", "type  : File Rotate", "file  : …",
//     "time  : 2025-04-07 07:42:54-0700", "total : <n>", "procs :", then up to 20
//     lines "    - [ <bytes>, <percent>, <path> ]"; it rolls to .1.txt at 1 MiB.
//   - logd also writes quarantine records for a client that floods the log:
//     JSON {"record":"logd quarantine","superQuarantine":<bool>,"file","client",
//     "unixTime","timeCovered","sizeBytes","totalBytes"} and text
//     "--- !logd quarantine record" with "type         : Quaratine" (sic) or
//     "Super Quarantine", file, client, time, "time covered", "client total" and
//     "overall total". The client is a process path, so both forms are read here.
package logdstats

import "time"

// Bounds on hostile or damaged input.
const (
	// MaxLineLen bounds one line. A JSONL record of 50 processes with long paths
	// stays under 64 KiB; longer lines are skipped (a cut JSON object cannot be read).
	MaxLineLen = 1 << 20
	// MaxProcesses bounds the processes kept per record; logd writes at most 50.
	MaxProcesses = 1024
)

// Record kinds.
const (
	KindStatistics = "logd statistics"
	KindQuarantine = "logd quarantine"
)

// Record is one statistics or quarantine record.
type Record struct {
	Line int    // 1-based line where the record starts
	Kind string // KindStatistics or KindQuarantine
	// Time is when logd wrote the record, in UTC; zero when the record had no
	// readable time.
	Time time.Time
	// Type is "File Rotate" or "Memory Rollover" for statistics, "Quarantine" or
	// "Super Quarantine" for quarantine records (logd's text spells it "Quaratine";
	// it is normalised here).
	Type string
	File string // the tracev3 file rotated or quarantined, as logd wrote it
	// Processes are the process paths of a statistics record in logd's order (most
	// bytes first), or the client of a quarantine record.
	Processes []string
	// DroppedProcesses counts processes past MaxProcesses.
	DroppedProcesses int
	Total            int64 // totalBytes / total / overall total; 0 when absent
}

// Stats describes what a parse read and what it skipped.
type Stats struct {
	Lines   int
	Records int
	// Skipped counts lines that could not be read (bad JSON, a stray line outside a
	// record, an unreadable process line ...); FirstSkipped is the first one's line.
	Skipped      int
	FirstSkipped int
	// NoTime counts records passed on without a readable time.
	NoTime int
	// Long counts lines longer than MaxLineLen.
	Long int
}

func (s *Stats) skip(line int) {
	s.Skipped++
	if s.FirstSkipped == 0 {
		s.FirstSkipped = line
	}
}

// normalType spells quarantine types one way whichever form they came from.
func normalType(t string) string {
	if t == "Quaratine" {
		return "Quarantine"
	}
	return t
}
