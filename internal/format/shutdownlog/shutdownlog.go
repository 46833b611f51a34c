// Package shutdownlog parses iOS's shutdown.log (private/var/db/diagnostics/shutdown.log,
// also in sysdiagnose archives): for each reboot, the processes that still ran while the
// system waited for them to exit. The file is evidence, and spyware has been seen emptying
// it, so the parser accepts anything: odd lines are skipped, sizes are bounded, and it never
// fails on content, only on reading.
//
// A reboot block is every line up to and including a "SIGTERM: [<unix time>]" line:
//
//	After 0.35s, these clients are still here:
//	remaining client pid: 1234 (/usr/libexec/foo/2C9E5B8A-...)
//	After 1.02s, these clients are still here:
//	remaining client pid: 1234 (/usr/libexec/foo/2C9E5B8A-...)
//	SIGTERM: [1651752473]
package shutdownlog

import (
	"time"
)

// Limits on what one block may cost. Real blocks list a few dozen clients; a crafted file
// must not turn one block into unbounded memory.
const (
	// MaxClients is the number of distinct clients kept per reboot; more are counted in
	// Reboot.DroppedClients.
	MaxClients = 4096
	// MaxLineLen is the longest line read in full; the rest of a longer line is skipped.
	MaxLineLen = 64 << 10
)

// Reboot is one reboot block.
type Reboot struct {
	// Time is the SIGTERM time in UTC; zero when the SIGTERM line holds no readable time,
	// and for an unterminated block.
	Time time.Time
	// Line is the 1-based line of the SIGTERM line, or of the block's last line when
	// the block is unterminated.
	Line int
	// Terminated is false for lines after the last SIGTERM line: a log cut short, or one
	// written while the phone was shutting down.
	Terminated bool
	// Delays counts the "After <x>s, these clients are still here" lines: each is one more
	// wait for clients that did not exit.
	Delays int
	// Elapsed is the largest <x> of those lines, in seconds: the "After" values are
	// times since the shutdown began, so the last one is how long the reboot waited.
	Elapsed float64
	// Clients are the distinct (pid, path) pairs listed, in order of first listing.
	Clients []Client
	// DroppedClients counts listings of clients beyond MaxClients.
	DroppedClients int
}

// Client is one process still running during a reboot.
type Client struct {
	PID  int64  // 0 when unreadable
	Path string // the text between the parentheses: an executable path, often + "/<UUID>"
	// Listed counts the waits that listed this client.
	Listed int
	// StillThereAfter is the elapsed time, in seconds, of the last wait that listed it.
	StillThereAfter float64
}

// Executable is the client's path without a trailing UUID component.
func (c Client) Executable() string {
	exe, _ := SplitUUID(c.Path)
	return exe
}

// UUID is the client path's trailing UUID component, or "".
func (c Client) UUID() string {
	_, id := SplitUUID(c.Path)
	return id
}
