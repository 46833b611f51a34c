// Package multilinelog reads the text logs that iOS daemons keep under a sysdiagnose's
// logs/ folder: mobile_installation.log.N (installd), containermanagerd.log.N,
// mobileactivationd.log.N, lockdownd.log and the like. Each entry starts with
//
//	Www Mmm _d HH:MM:SS YYYY [<pid>] <<level>> (0x<thread>) <function>: <message>
//
// where the day is space-padded ("Sat Dec  1"), the function is an Objective-C method
// ("-[MIInstaller performInstallationWithError:]", "+[MCMMetadata …]") or a C function
// ("main", "MIFetchUIDForRegistration_block_invoke") and may be missing, and the
// message runs on over the following lines until the next entry: installd and
// mobileactivationd embed XML plists and OpenStep dictionaries that way. Times carry
// no zone; the device's offset comes from the sysdiagnose name.
package multilinelog

import "time"

// Bounds on hostile or damaged input.
const (
	// MaxLineLen bounds one line; the rest of a longer line is dropped and counted.
	MaxLineLen = 64 << 10
	// MaxMessageLen bounds one entry's message, continuation lines included; further
	// lines are dropped and the entry marked Truncated.
	MaxMessageLen = 1 << 20
)

// Entry is one log entry.
type Entry struct {
	Line int // 1-based line where the entry starts
	// Local is the time as written, on the device's clock, without a zone: it is
	// carried in time.UTC only as a container. Apply the device's UTC offset (from the
	// sysdiagnose name) before using it as an instant.
	Local    time.Time
	PID      int64
	Level    string // "notice", "err", "debug" ...
	Thread   string // "0x16bb5f000"
	Function string // "" when the entry names none
	// Message is the text after the function, continuation lines joined with "\n".
	Message   string
	Truncated bool // the message or one of its lines was cut
}

// Stats describes what a parse read and what it skipped.
type Stats struct {
	Lines   int
	Entries int
	// Orphans counts non-blank lines before the first entry, which belong to an
	// entry cut off by log rotation; FirstOrphan is the first one's line.
	Orphans     int
	FirstOrphan int
	// Long counts lines cut at MaxLineLen.
	Long int
}
