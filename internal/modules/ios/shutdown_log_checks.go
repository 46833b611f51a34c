package ios

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/internal/module"
)

// iShutdownReference documents the shutdown.log heuristics.
const iShutdownReference = "Kaspersky, iShutdown and \"A lightweight method to detect potential " +
	"iOS malware\" (Securelist, January 2024)"

// slowRebootDelays is iShutdown's threshold: three or more waits for processes that would
// not exit make an anomalous reboot.
const slowRebootDelays = 3

// maxShutdownPaths bounds the distinct suspicious paths remembered per file, against a
// crafted log of millions of them.
const maxShutdownPaths = 1000

// shutdownChecks gathers, for one log file, the clients that ran from folders where no
// system program lives, so that each path is reported once with the reboots it survived.
type shutdownChecks struct {
	file    string
	order   []string
	byPath  map[string]*shutdownPathSeen
	dropped bool
}

type shutdownPathSeen struct {
	first   ShutdownClient
	reboots int
}

func newShutdownChecks(file string) *shutdownChecks {
	return &shutdownChecks{file: file, byPath: map[string]*shutdownPathSeen{}}
}

// reboot flags a reboot that waited slowRebootDelays times or more.
func (c *shutdownChecks) reboot(r ShutdownReboot, emit module.Emitter) {
	if r.Delays < slowRebootDelays {
		return
	}
	emit.Detection(module.Detection{
		Severity: module.Low,
		Message: fmt.Sprintf("At a reboot the phone waited %d times (%.2f s) for processes that would "+
			"not exit: slow reboots are common on infected phones, though not proof", r.Delays, r.WaitSeconds),
		Time:      r.Time,
		Evidence:  fmt.Sprintf("%s line %d: %d delays", r.File, r.Line, r.Delays),
		Reference: iShutdownReference,
		Record:    r,
	})
}

// client remembers a client that ran from /private/var/db or /private/var/tmp.
func (c *shutdownChecks) client(cl ShutdownClient) {
	if _, ok := shutdownPathSeverity(cl.Executable); !ok {
		return
	}
	seen := c.byPath[cl.Executable]
	if seen == nil {
		if len(c.order) >= maxShutdownPaths {
			c.dropped = true
			return
		}
		seen = &shutdownPathSeen{first: cl}
		c.byPath[cl.Executable] = seen
		c.order = append(c.order, cl.Executable)
	}
	seen.reboots++
}

// finish reports the suspicious paths, in order of first appearance, and an empty log.
func (c *shutdownChecks) finish(sum ShutdownLogFile, emit module.Emitter) {
	for _, p := range c.order {
		seen := c.byPath[p]
		sev, _ := shutdownPathSeverity(p)
		emit.Detection(module.Detection{
			Severity: sev,
			Message: fmt.Sprintf("A process from %s was still running at %d reboot(s): system programs "+
				"do not live there, spyware (Pegasus, Predator, QuaDream) has", p, seen.reboots),
			Time:      seen.first.RebootTime,
			Evidence:  seen.first.Client,
			Reference: iShutdownReference,
			Record:    seen.first,
		})
	}
	if c.dropped {
		emit.Problem(fmt.Errorf("%s: more than %d distinct suspicious paths; only the first are reported", c.file, maxShutdownPaths))
	}
	if sum.Reboots == 0 {
		emit.Detection(module.Detection{
			Severity: module.Low,
			Message: "The shutdown log records no reboot at all: it may have been emptied, as " +
				"Pegasus has done to hide its traces",
			Evidence:  c.file,
			Reference: iShutdownReference,
			Record:    sum,
		})
	}
}

// shutdownPathSeverity rates where an executable ran from. Launchd's staging folder for
// role accounts held Pegasus and QuaDream, /private/var/tmp Predator's payloads: high.
// Elsewhere in /private/var/db, medium, as Kaspersky flags the whole folder.
func shutdownPathSeverity(exe string) (module.Severity, bool) {
	p := exe
	if rest, ok := strings.CutPrefix(p, "/var/"); ok {
		p = "/private/var/" + rest
	}
	switch {
	case strings.HasPrefix(p, "/private/var/tmp/"),
		strings.HasPrefix(p, "/private/var/db/com.apple.xpc.roleaccountd.staging/"):
		return module.High, true
	case strings.HasPrefix(p, "/private/var/db/"):
		return module.Medium, true
	}
	return 0, false
}

// shutdownLogIOS26 tells the user, on iOS 26 and later, that the log keeps only the last
// shutdown, so an absence of traces there covers very little time.
func shutdownLogIOS26(version string) (module.Detection, bool) {
	major, _, _ := strings.Cut(version, ".")
	if n, err := strconv.Atoi(major); err != nil || n < 26 {
		return module.Detection{}, false
	}
	return module.Detection{
		Severity: module.Info,
		Message: "From iOS 26 the shutdown log is reportedly rewritten at each reboot: only the " +
			"last shutdown can be checked",
		Evidence:  "iOS " + version,
		Reference: "iVerify research on iOS 26 shutdown.log, press coverage (October 2025)",
	}, true
}
