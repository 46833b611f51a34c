package ips

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ErrNoHeader means line 1 is not a JSON object.
var ErrNoHeader = errors.New("no JSON header on line 1")

// Parse reads a report of at most MaxSize bytes (the rest is not read, and the
// report is marked Truncated). It fails on a read error; when line 1 is not a JSON
// header it returns an error wrapping ErrNoHeader together with a Report holding
// what the body gave, since legacy reports may have only the text form. A body of
// an unknown shape is never an error: the Report keeps the header and says why in
// BodyErr.
func Parse(r io.Reader) (Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Report{}, fmt.Errorf("ips: %w", err)
	}
	rep := Report{Crash: Crash{PID: -1, ParentPID: -1, UserID: -1, TerminationCode: -1}}
	if len(data) > MaxSize {
		data, rep.Truncated = data[:MaxSize], true
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	head, body, _ := bytes.Cut(data, []byte("\n"))
	herr := rep.readHeader(bytes.TrimSpace(head))
	if herr != nil {
		// Without a header, line 1 may be the body's own first line.
		body = data
	}
	rep.readBody(body)
	if rep.Truncated && rep.BodyErr != nil {
		rep.BodyErr = fmt.Errorf("report cut at %d bytes: %w", MaxSize, rep.BodyErr)
	}
	return rep, herr
}

// readHeader decodes line 1 key by key, so that one odd value spoils only itself.
func (rep *Report) readHeader(line []byte) error {
	if len(line) > MaxHeaderLen {
		return fmt.Errorf("ips line 1: %d bytes: %w", len(line), ErrNoHeader)
	}
	var m map[string]json.RawMessage
	if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &m) != nil {
		return fmt.Errorf("ips line 1: %.60q: %w", line, ErrNoHeader)
	}
	h := &rep.Header
	for key, dst := range map[string]*string{
		"app_name": &h.AppName, "app_version": &h.AppVersion, "build_version": &h.BuildVersion,
		"bundleID": &h.BundleID, "bug_type": &h.BugType, "name": &h.Name, "os_version": &h.OSVersion,
		"incident_id": &h.IncidentID, "slice_uuid": &h.SliceUUID, "adam_id": &h.AdamID,
		"timestamp": &h.TimestampRaw,
	} {
		*dst = rawString(m[key])
	}
	for key, dst := range map[string]*int64{
		"platform": &h.Platform, "is_first_party": &h.IsFirstParty,
		"roots_installed": &h.RootsInstalled, "share_with_app_devs": &h.ShareWithAppDevs,
	} {
		*dst = rawInt(m[key])
	}
	h.Timestamp = parseTime(h.TimestampRaw)
	return nil
}

// rawString reads a JSON string, or a number's literal text; "" otherwise.
func rawString(raw json.RawMessage) string {
	var s string
	switch {
	case len(raw) == 0:
	case raw[0] == '"':
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		s = string(raw)
	}
	return s
}

// rawInt reads a JSON integer, or a string holding one in decimal or 0x hex; -1
// otherwise. Floats are truncated.
func rawInt(raw json.RawMessage) int64 {
	return looseInt(rawString(raw))
}

// looseInt reads a decimal or 0x hex integer, or a float truncated; -1 otherwise.
func looseInt(s string) int64 {
	if hex, ok := strings.CutPrefix(s, "0x"); ok {
		if v, err := strconv.ParseUint(hex, 16, 63); err == nil {
			return int64(v)
		}
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > -1e18 && f < 1e18 {
		return int64(f)
	}
	return -1
}

// parseTime reads Apple's report times, "2021-12-08 14:17:36.00 -0500" (any number
// of fraction digits, or none), and converts them to UTC; zero when unreadable.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	// Go accepts a fraction after the seconds even though the layout has none.
	for _, layout := range []string{"2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 Z0700", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// readBody picks the body's shape by its first bytes.
func (rep *Report) readBody(body []byte) {
	// Only the left is trimmed for plists: a binary plist's trailer may end in
	// bytes that look like white space.
	left := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(bytes.TrimSpace(left)) == 0:
		rep.Body = BodyNone
	case left[0] == '{':
		rep.readJSON(left)
	case bytes.HasPrefix(left, []byte("<?xml")), bytes.HasPrefix(left, []byte("<plist")),
		bytes.HasPrefix(left, []byte("bplist")):
		rep.readPlist(left)
	default:
		rep.readText(body)
	}
}

// addName and addPath keep a value within the bounds, once.
func (rep *Report) addName(s string, seen map[string]bool) {
	if s == "" || seen[s] {
		return
	}
	if len(rep.Processes) >= MaxNames {
		rep.Dropped++
		return
	}
	seen[s] = true
	rep.Processes = append(rep.Processes, s)
}

func (rep *Report) addPath(s string, seen map[string]bool) {
	if s == "" || seen[s] {
		return
	}
	if len(rep.ImagePaths) >= MaxPaths {
		rep.Dropped++
		return
	}
	seen[s] = true
	rep.ImagePaths = append(rep.ImagePaths, s)
}
