package ios

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

// What is comparable. ps.txt and ps_thread.txt are two listings sysdiagnose takes within
// seconds of each other: the same moment. Every other source is history: shutdown.log
// lists processes of earlier boots (absent now is normal, spyware like Pegasus does not
// survive a reboot), crash reports and tailspin's map cover days. logd statistics and
// PowerLog are history too, but they show programs active over time, up to minutes
// before the sysdiagnose; a program active for a long while up to then is expected to be
// still running when ps.txt is taken. Both checks leave out whatever has a plain
// explanation, to keep false alarms rare.
const (
	// psSettle: a process that started less than this before the sysdiagnose may be one of
	// its own helpers, or a short-lived one that exited between the two listings.
	psSettle = 2 * time.Minute
	// unionLiveBefore and unionCollection bound "running when the sysdiagnose was
	// taken" for history sources: active this close before its start time, or during
	// the minutes the collection lasts.
	unionLiveBefore = 15 * time.Minute
	unionCollection = 10 * time.Minute
	// unionHistory: the history source must also have seen the program this long before,
	// so that on-demand helpers that come and go are not taken for running programs.
	unionHistory = time.Hour
)

// collectionTools are the programs sysdiagnose runs to collect itself; they and their
// children come and go during the collection.
var collectionTools = map[string]bool{
	"sysdiagnose": true, "sysdiagnosed": true, "sysdiagnose_helper": true, "ps": true, "spindump": true, "tailspin": true,
}

// hidden compares the sources with ps.txt. Nothing is compared without ps.txt or without
// the sysdiagnose's time.
func (u *processUnion) hidden(facts acq.Facts, entries []UnionProcess) []module.Detection {
	if len(u.psPIDs) == 0 || facts.AcquiredAt.IsZero() {
		return nil
	}
	byName := map[string]UnionProcess{}
	for _, e := range entries {
		byName[e.Name] = e
	}
	flagged := map[string]bool{}
	out := u.hiddenAtOnce(facts, byName, flagged)
	return append(out, u.vanished(facts, entries, flagged)...)
}

// hiddenAtOnce flags a ps_thread.txt process that ps.txt lacks, by PID and by name,
// although it had been running for a while.
func (u *processUnion) hiddenAtOnce(facts acq.Facts, byName map[string]UnionProcess, flagged map[string]bool) []module.Detection {
	tools := map[int64]bool{}
	for pid, exe := range u.psPIDs {
		tools[pid] = collectionTools[unionName(exe)]
	}
	for _, p := range u.psThread {
		tools[p.PID] = tools[p.PID] || collectionTools[unionName(p.Executable)]
	}
	var out []module.Detection
	for _, p := range u.psThread {
		name := unionName(p.Executable)
		if _, listed := u.psPIDs[p.PID]; listed || u.psNames[name] || flagged[name] || tools[p.PID] ||
			p.PPID != nil && tools[*p.PPID] || u.crashedLately(name, facts.AcquiredAt) {
			continue
		}
		if age, ok := psStartedBefore(p.Started, facts.AcquiredAt, facts.UTCOffset); !ok || age < psSettle {
			continue
		}
		flagged[name] = true
		out = append(out, module.Detection{
			Severity: module.Medium,
			Message: fmt.Sprintf("The program %s (PID %d) is in one process list of the sysdiagnose (ps_thread.txt) "+
				"but not in the other, taken at the same moment (ps.txt): it may be hiding, or may just have exited", name, p.PID),
			Time:      facts.AcquiredAt,
			Evidence:  fmt.Sprintf("%s line %d: PID %d %s; absent from %s", p.File, p.Line, p.PID, p.Command, srcPS),
			Reference: processUnionReference,
			Record:    byName[name],
		})
	}
	return out
}

// vanished flags a program that logd statistics or PowerLog show active from at least
// unionHistory before the sysdiagnose until minutes before it, that neither ps listing
// holds, whose last known PID is not alive under another name, and that no crash or
// memory-pressure report explains.
func (u *processUnion) vanished(facts acq.Facts, entries []UnionProcess, flagged map[string]bool) []module.Detection {
	at := facts.AcquiredAt
	var out []module.Detection
	for _, e := range entries {
		if e.InProcessList || flagged[e.Name] || e.sighting(srcPSThread) != nil || u.crashedLately(e.Name, at) {
			continue
		}
		for _, src := range []string{srcLogd, srcPowerLog} {
			s := e.sighting(src)
			if s == nil || s.First.IsZero() || s.First.After(at.Add(-unionHistory)) ||
				s.Last.Before(at.Add(-unionLiveBefore)) || s.Last.After(at.Add(unionCollection)) {
				continue
			}
			if s.LastPID != nil && u.psPIDs[*s.LastPID] != "" {
				continue
			}
			flagged[e.Name] = true
			out = append(out, module.Detection{
				Severity: module.Medium,
				Message: fmt.Sprintf("The program %s was active until minutes before the sysdiagnose (%s) but its "+
					"process list (ps.txt) lacks it: it may be hiding, or may just have exited", e.Name, src),
				Time: s.Last,
				Evidence: fmt.Sprintf("%s: seen %d times from %s to %s; absent from %s", src, s.Count,
					s.First.Format(time.RFC3339), s.Last.Format(time.RFC3339), srcPS),
				Reference: processUnionReference,
				Record:    e,
			})
			break
		}
	}
	return out
}

// crashedLately reports a crash or memory-pressure report about name during the
// comparison window: a plain reason for a program to be gone.
func (u *processUnion) crashedLately(name string, at time.Time) bool {
	t, ok := u.crashes[name]
	return ok && !t.Before(at.Add(-unionLiveBefore))
}

// ps prints STARTED as "h:mmAM" for processes started within a day, "DddHHAM" within a
// week, "ddMmmyy" before (BSD ps, print.c).
var (
	psStartedToday = regexp.MustCompile(`^(\d{1,2}):(\d{2})([AP]M)$`)
	psStartedOlder = regexp.MustCompile(`^([A-Z][a-z]{2}\d{2}[AP]M|\d{1,2}[A-Z][a-z]{2}\d{2})$`)
)

// psStartedBefore reads how long before the sysdiagnose a process started, from its
// STARTED column in the device's local time, to the minute. It fails when the column is
// unreadable or the device's UTC offset is unknown.
func psStartedBefore(started string, taken time.Time, offset *int) (time.Duration, bool) {
	if psStartedOlder.MatchString(started) {
		return 24 * time.Hour, true
	}
	m := psStartedToday.FindStringSubmatch(started)
	if m == nil || offset == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	minute, _ := strconv.Atoi(m[2])
	if h < 1 || h > 12 || minute > 59 {
		return 0, false
	}
	h %= 12
	if m[3] == "PM" {
		h += 12
	}
	local := taken.Add(time.Duration(*offset) * time.Second).UTC()
	now := local.Hour()*60 + local.Minute()
	// Within a day: a start "later" than the clock was yesterday.
	return time.Duration((now-(h*60+minute)+24*60)%(24*60)) * time.Minute, true
}
