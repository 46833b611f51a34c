package ips

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/vigil-project/vigil/internal/format/plistsafe"
)

// readJSON reads a JSON body: one object, or several one after another (analytics
// reports write one per line). Reading stops at the first value that is not an
// object or does not parse; what came before is kept.
func (rep *Report) readJSON(body []byte) {
	saved := *rep
	if rep.fastReadJSON(body) {
		return
	}
	*rep = saved // start again through encoding/json, which also words the error
	rep.slowReadJSON(body)
}

// slowReadJSON is readJSON through encoding/json and the flex types.
func (rep *Report) slowReadJSON(body []byte) {
	dec := json.NewDecoder(bytes.NewReader(body))
	names, paths := map[string]bool{}, map[string]bool{}
	for n := 0; ; n++ {
		var jb jsonBody
		err := dec.Decode(&jb)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			if n == 0 {
				rep.Body = BodyUnknown
			}
			rep.BodyErr = fmt.Errorf("JSON body, value %d: %w", n+1, err)
			return
		}
		rep.Body = BodyJSON
		rep.applyJSON(&jb, names, paths)
	}
}

// applyJSON copies one decoded object into the report; a later object fills only
// what earlier ones left empty.
func (rep *Report) applyJSON(jb *jsonBody, names, paths map[string]bool) {
	c := &rep.Crash
	setStr(&c.ProcName, string(jb.ProcName))
	setStr(&c.ProcPath, string(jb.ProcPath))
	setStr(&c.ParentProc, string(jb.ParentProc))
	setStr(&c.CoalitionName, string(jb.CoalitionName))
	setStr(&c.BundleID, string(jb.BundleInfo.v.ID))
	setStr(&c.ExceptionType, string(jb.Exception.v.Type))
	setStr(&c.ExceptionSignal, string(jb.Exception.v.Signal))
	setStr(&rep.Reason, string(jb.Reason))
	setInt(&c.PID, jb.PID.get())
	setInt(&c.ParentPID, jb.ParentPID.get())
	setInt(&c.UserID, jb.UserID.get())
	if c.ProcLaunch.IsZero() {
		c.ProcLaunch = parseTime(string(jb.ProcLaunch))
	}
	if c.CaptureTime.IsZero() {
		c.CaptureTime = parseTime(string(jb.CaptureTime))
	}
	t := jb.Termination.v
	setStr(&c.TerminationNamespace, string(t.Namespace))
	setStr(&c.TerminationIndicator, string(t.Indicator))
	setInt(&c.TerminationCode, t.Code.get())
	for _, r := range t.Reasons {
		if len(c.TerminationReasons) < MaxReasons && r != "" {
			c.TerminationReasons = append(c.TerminationReasons, string(r))
		}
	}
	for _, im := range jb.UsedImages {
		rep.addPath(string(im.v.Path), paths)
	}
	// processByPid is a map: walk it in PID order so that output is stable.
	pids := make([]string, 0, len(jb.ProcessByPid))
	for pid := range jb.ProcessByPid {
		pids = append(pids, pid)
	}
	sort.Slice(pids, func(i, j int) bool { return pidLess(pids[i], pids[j]) })
	for _, pid := range pids {
		rep.addName(string(jb.ProcessByPid[pid].v.Procname), names)
	}
	rep.addName(string(jb.LargestProcess), names)
	for _, p := range jb.Processes {
		rep.addName(string(p.v.Name), names)
	}
}

// pidLess orders PIDs numerically, non-numbers after numbers.
func pidLess(a, b string) bool {
	x, errA := strconv.ParseInt(a, 10, 64)
	y, errB := strconv.ParseInt(b, 10, 64)
	switch {
	case errA == nil && errB == nil:
		return x < y
	case errA == nil || errB == nil:
		return errA == nil
	}
	return a < b
}

func setStr(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// setInt fills a field still unset: Crash's ints start at -1 (see Parse), so the
// first value given is kept.
func setInt(dst *int64, v int64) {
	if *dst < 0 && v >= 0 {
		*dst = v
	}
}

// readPlist reads a property-list body. Its dictionary carries the JSON body's
// keys, so it goes through the same extraction via a JSON round trip.
func (rep *Report) readPlist(body []byte) {
	var v any
	if err := plistsafe.Unmarshal(body, &v); err != nil {
		rep.Body, rep.BodyErr = BodyUnknown, fmt.Errorf("plist body: %w", err)
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		rep.Body, rep.BodyErr = BodyUnknown, fmt.Errorf("plist body is a %T, not a dictionary", v)
		return
	}
	js, err := json.Marshal(m)
	if err != nil {
		rep.Body, rep.BodyErr = BodyUnknown, fmt.Errorf("plist body: %w", err)
		return
	}
	var jb jsonBody
	_ = json.Unmarshal(js, &jb) // lenient types: only syntax can fail, and js is valid
	rep.Body = BodyPlist
	rep.applyJSON(&jb, map[string]bool{}, map[string]bool{})
}
