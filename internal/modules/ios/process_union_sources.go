package ios

import (
	"path"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/module"
)

// Bounds against crafted sources: a device runs a few thousand distinct programs.
const (
	maxUnionProcesses = 1 << 16
	maxUnionPaths     = 16 // distinct paths kept per program
)

// unionSource is a sibling module and how its records become sightings. Reading the
// artifacts through their own modules keeps one parser for each.
type unionSource struct {
	module module.Module
	add    func(*processUnion, module.Record)
}

func unionSources() []unionSource {
	return []unionSource{
		{NewProcesses(), addPSRecord},
		{NewShutdownLog(), addShutdownRecord},
		{NewLogdStatistics(), addLogdRecord},
		{NewCrashReports(), addCrashRecord},
		{NewPowerLog(), addPowerLogRecord},
		{NewUUID2Path(), addUUID2PathRecord},
	}
}

func addPSRecord(u *processUnion, r module.Record) {
	p, ok := r.(PSProcess)
	if !ok {
		return
	}
	src := srcPS
	switch {
	case len(u.psThread)+len(u.psPIDs) >= maxUnionProcesses:
		u.dropped = true
	case path.Base(p.File) == srcPSThread:
		src = srcPSThread
		u.psThread = append(u.psThread, p)
	default:
		u.psPIDs[p.PID] = p.Executable
		u.psNames[unionName(p.Executable)] = true
	}
	pid := p.PID
	u.see(p.Executable, src, p.SeenAt, &pid)
}

func addShutdownRecord(u *processUnion, r module.Record) {
	if c, ok := r.(ShutdownClient); ok {
		u.see(c.Executable, srcShutdown, c.RebootTime, nil) // PIDs of an earlier boot
	}
}

func addLogdRecord(u *processUnion, r module.Record) {
	if l, ok := r.(LogdStatisticsRecord); ok {
		for _, p := range l.Processes {
			u.see(p, srcLogd, l.Time, nil)
		}
	}
}

func addCrashRecord(u *processUnion, r module.Record) {
	c, ok := r.(CrashReport)
	if !ok {
		return
	}
	subject := c.ProcessPath
	if subject == "" {
		subject = c.ProcessName
	}
	if subject != "" {
		u.see(subject, srcCrash, c.Time, c.PID)
		u.crashed(subject, c.Time)
	}
	for _, p := range c.Processes { // a stackshot's or Jetsam report's process list
		u.see(p, srcCrash, c.Time, nil)
		if c.Kind != "stackshot" {
			// A Jetsam report lists the processes in memory when it killed some to
			// free it: any of them may be gone since, for that plain reason.
			u.crashed(p, c.Time)
		}
	}
}

func addPowerLogRecord(u *processUnion, r module.Record) {
	// Coalition rows name launchd jobs, not programs; the other tables name processes.
	if p, ok := r.(PowerLogProcess); ok && p.ProcessName != "" {
		u.see(p.ProcessName, srcPowerLog, p.Time, p.PID)
	}
}

func addUUID2PathRecord(u *processUnion, r module.Record) {
	if b, ok := r.(BinaryLocation); ok && !isLibraryPath(b.Path) {
		u.see(b.Path, srcUUID2Path, time.Time{}, nil)
	}
}

// isLibraryPath tells libraries from programs in tailspin's map, which lists every
// image it symbolicated: dylibs, the binaries of frameworks ("X.framework/X") and what
// lives in /usr/lib are loaded by programs, not run.
func isLibraryPath(p string) bool {
	return strings.HasSuffix(p, ".dylib") || strings.HasSuffix(path.Dir(p), ".framework") ||
		strings.Contains(p, "/usr/lib/")
}

// processUnion accumulates the sightings.
type processUnion struct {
	byName   map[string]*unionEntry
	psPIDs   map[int64]string // ps.txt: PID → executable
	psNames  map[string]bool  // ps.txt: base names
	psThread []PSProcess      // ps_thread.txt rows, for the same-moment comparison
	psCut    map[string]bool  // ps.txt names cut at 15 and 16 characters, built by inPS
	crashes  map[string]time.Time
	dropped  bool
}

type unionEntry struct {
	paths   map[string]bool
	sources map[string]*ProcessSighting
}

func newProcessUnion() *processUnion {
	return &processUnion{byName: map[string]*unionEntry{}, psPIDs: map[int64]string{}, psNames: map[string]bool{},
		crashes: map[string]time.Time{}}
}

// unionName is the name a program is filed under: the executable's base name, without
// the "-" of a login shell or the parentheses ps puts around a process without argv.
func unionName(exe string) string {
	return strings.Trim(path.Base(exe), "-()")
}

// see records that src saw the program exe at t (zero: unknown) with pid (nil: unknown).
func (u *processUnion) see(exe, src string, t time.Time, pid *int64) {
	name := unionName(exe)
	if name == "" || name == "." || name == "/" {
		return
	}
	e := u.byName[name]
	if e == nil {
		if len(u.byName) >= maxUnionProcesses {
			u.dropped = true
			return
		}
		e = &unionEntry{paths: map[string]bool{}, sources: map[string]*ProcessSighting{}}
		u.byName[name] = e
	}
	if strings.HasPrefix(exe, "/") && len(e.paths) < maxUnionPaths {
		e.paths[exe] = true
	}
	s := e.sources[src]
	if s == nil {
		s = &ProcessSighting{Source: src}
		e.sources[src] = s
	}
	s.Count++
	if !t.IsZero() && (s.First.IsZero() || t.Before(s.First)) {
		s.First = t
	}
	if !t.IsZero() && !t.Before(s.Last) {
		s.Last = t
		if pid != nil {
			s.LastPID = pid
		}
	}
}

// crashed remembers the latest report that a program crashed or was killed.
func (u *processUnion) crashed(exe string, t time.Time) {
	name := unionName(exe)
	if t.After(u.crashes[name]) && len(u.crashes) < maxUnionProcesses {
		u.crashes[name] = t
	}
}

// inPS reports whether ps.txt lists the program. Sources that take names from the kernel
// cut them at 15 or 16 characters, so such a name also matches a longer one it begins,
// and the other way round.
func (u *processUnion) inPS(name string) bool {
	if u.psCut == nil {
		u.psCut = map[string]bool{}
		for ps := range u.psNames {
			for _, n := range []int{15, 16} {
				if len(ps) >= n {
					u.psCut[ps[:n]] = true
				}
			}
		}
	}
	if u.psNames[name] || (len(name) == 15 || len(name) == 16) && u.psCut[name] {
		return true
	}
	for _, n := range []int{15, 16} {
		if len(name) > n && u.psNames[name[:n]] {
			return true
		}
	}
	return false
}
