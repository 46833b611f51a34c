package ips

import (
	"bytes"
	"fmt"
	"strings"
)

// readText reads the legacy text body:
//
//	Process:             MobileSafari [1234]
//	Path:                /Applications/MobileSafari.app/MobileSafari
//	Identifier:          com.apple.mobilesafari
//	Parent Process:      launchd [1]
//	Coalition:           com.apple.mobilesafari [456]
//	Date/Time:           2020-03-01 10:00:00.123 +0100
//	Exception Type:      EXC_CRASH (SIGKILL)
//	Binary Images:
//	0x100f3c000 - 0x100f9ffff MobileSafari arm64  <0a1b…> /Applications/MobileSafari.app/MobileSafari
//
// A line "Key: value" sets a key; a key with no value opens a section whose lines
// (up to a blank line) belong to it; indented lines continue the previous key.
// Lines that fit none of these are ignored, and count against the body only when no
// key at all was found.
func (rep *Report) readText(body []byte) {
	names, paths := map[string]bool{}, map[string]bool{}
	section := ""
	keys := 0
	for _, raw := range bytes.Split(body, []byte("\n")) {
		line := strings.TrimRight(string(raw), " \t\r")
		if strings.TrimSpace(line) == "" {
			section = ""
			continue
		}
		if section == "Binary Images" {
			rep.addPath(imagePath(line), paths)
			continue
		}
		if line[0] == ' ' || line[0] == '\t' || section != "" {
			continue // continuation or section line; only images are needed
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok || strings.ContainsAny(key, "{}[]\"") {
			continue
		}
		keys++
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if val == "" {
			section = key
			continue
		}
		rep.textKey(key, val, names)
	}
	if keys == 0 {
		rep.Body, rep.BodyErr = BodyUnknown, fmt.Errorf("text body: no \"Key: value\" line")
		return
	}
	rep.Body = BodyText
}

// textKey applies one key of the text form.
func (rep *Report) textKey(key, val string, names map[string]bool) {
	c := &rep.Crash
	switch key {
	case "Process":
		name, pid := nameAndPID(val)
		setStr(&c.ProcName, name)
		setInt(&c.PID, pid)
	case "Path":
		setStr(&c.ProcPath, val)
	case "Identifier":
		setStr(&c.BundleID, val)
	case "Parent Process":
		name, pid := nameAndPID(val)
		setStr(&c.ParentProc, name)
		setInt(&c.ParentPID, pid)
	case "Coalition":
		name, _ := nameAndPID(val)
		setStr(&c.CoalitionName, name)
	case "Responsible Process", "Responsible", "Command":
		name, _ := nameAndPID(val)
		rep.addName(name, names)
	case "User ID":
		setInt(&c.UserID, atoiOr(val, -1))
	case "Date/Time":
		if c.CaptureTime.IsZero() {
			c.CaptureTime = parseTime(val)
		}
	case "Launch Time":
		if c.ProcLaunch.IsZero() {
			c.ProcLaunch = parseTime(val)
		}
	case "Exception Type":
		typ, sig, _ := strings.Cut(val, " (")
		setStr(&c.ExceptionType, strings.TrimSpace(typ))
		setStr(&c.ExceptionSignal, strings.TrimSuffix(sig, ")"))
	case "Termination Reason":
		if len(c.TerminationReasons) < MaxReasons {
			c.TerminationReasons = append(c.TerminationReasons, val)
		}
	}
}

// nameAndPID reads "MobileSafari [1234]"; the PID is -1 when absent.
func nameAndPID(s string) (string, int64) {
	open := strings.LastIndexByte(s, '[')
	if open < 0 || !strings.HasSuffix(s, "]") {
		return s, -1
	}
	return strings.TrimSpace(s[:open]), atoiOr(s[open+1:len(s)-1], -1)
}

// imagePath reads a Binary Images line: the path follows the "<uuid>" or, without
// one, starts at the first " /".
func imagePath(line string) string {
	if i := strings.IndexByte(line, '>'); i >= 0 {
		return strings.TrimSpace(line[i+1:])
	}
	if i := strings.Index(line, " /"); i >= 0 {
		return line[i+1:]
	}
	return ""
}
