// Package ips reads Apple crash and diagnostic reports (.ips) as a sysdiagnose holds
// them under crashes_and_spins/.
//
// Line 1 is a JSON header ({"bug_type":"309","timestamp":"2021-12-08 14:17:36.00
// -0500","os_version":"iPhone OS 15.1 (19B74)",…}). The rest, the body, is JSON for
// current reports (crashes 309, stackshots 288, Jetsam 298 …), sometimes one JSON
// object per line (analytics 211), an XML plist, or for older reports "Key: value"
// text with indented continuation lines. Parse keeps the header whatever the body
// holds, and extracts from the body what detection needs: process names and paths.
package ips

import "time"

// Bounds on hostile or damaged input.
const (
	// MaxSize bounds the bytes read from one report; a stackshot is about 1 MB.
	MaxSize = 64 << 20
	// MaxHeaderLen bounds line 1.
	MaxHeaderLen = 64 << 10
	// MaxNames and MaxPaths bound the names and image paths kept per report; more
	// are counted in Dropped.
	MaxNames = 1 << 16
	MaxPaths = 1 << 16
	// MaxReasons bounds the termination reasons kept.
	MaxReasons = 64
)

// BodyKind says what the body was read as.
type BodyKind string

// Body kinds.
const (
	BodyNone    BodyKind = "none"    // nothing after the header
	BodyJSON    BodyKind = "json"    // one JSON object, or several one after another
	BodyPlist   BodyKind = "plist"   // an XML (or binary) property list
	BodyText    BodyKind = "text"    // "Key: value" lines
	BodyUnknown BodyKind = "unknown" // none of the above could be read; see BodyErr
)

// Header is the JSON object on line 1. Missing keys leave "" or -1; keys written
// with an unexpected JSON type are read when they convert (a number for a string
// key, a numeric string for a number key) and left unset otherwise.
type Header struct {
	AppName      string // app_name
	AppVersion   string // app_version
	BuildVersion string // build_version
	BundleID     string // bundleID
	BugType      string // bug_type, a number written as a string ("309")
	Name         string // name
	OSVersion    string // os_version, "iPhone OS 17.1.2 (21B101)"
	IncidentID   string // incident_id
	SliceUUID    string // slice_uuid
	AdamID       string // adam_id, the App Store item ID
	// Timestamp is timestamp ("2021-12-08 14:17:36.00 -0500") converted to UTC;
	// TimestampRaw keeps the text. Zero when absent or unreadable.
	Timestamp    time.Time
	TimestampRaw string
	// Platform (2 iOS, 5 bridgeOS …) and the 0/1 flags; -1 when absent.
	Platform         int64
	IsFirstParty     int64 // is_first_party
	RootsInstalled   int64 // roots_installed
	ShareWithAppDevs int64 // share_with_app_devs
}

// Crash holds the fields of a crash-style body (bug_type 309 JSON, or the legacy
// text form). Missing values leave "", zero times, or -1.
type Crash struct {
	ProcName      string
	ProcPath      string
	PID           int64
	ParentProc    string
	ParentPID     int64
	CoalitionName string
	BundleID      string // bundleInfo.CFBundleIdentifier, or the text form's Identifier
	UserID        int64
	// ProcLaunch and CaptureTime are in UTC; captureTime is more precise than the
	// header's timestamp.
	ProcLaunch  time.Time
	CaptureTime time.Time
	// ExceptionType ("EXC_CRASH") and ExceptionSignal ("SIGKILL").
	ExceptionType   string
	ExceptionSignal string
	// Termination: namespace ("FRONTBOARD"), code, indicator and reasons.
	TerminationNamespace string
	TerminationCode      int64
	TerminationIndicator string
	TerminationReasons   []string
}

// Report is a parsed .ips report.
type Report struct {
	Header Header
	Body   BodyKind
	// BodyErr says why the body, or a part of it, could not be read; the header and
	// whatever was read still stand.
	BodyErr error
	Crash   Crash
	// Reason is a stackshot's or Jetsam report's reason ("sysdiagnose (stackshot
	// only) trigger: Power + Volume Up").
	Reason string
	// Processes are the process names a stackshot (processByPid[].procname) or a
	// Jetsam report (largestProcess, processes[].name) lists, in order, without
	// repeats. Jetsam truncates names to 32 bytes.
	Processes []string
	// ImagePaths are the loaded images' paths (usedImages[].path, Binary Images).
	ImagePaths []string
	// Dropped counts names and paths past MaxNames and MaxPaths.
	Dropped int
	// Truncated is set when the report exceeded MaxSize; only its first MaxSize
	// bytes were read.
	Truncated bool
}

// Names returns every process name the report gives, header and body, without
// repeats: app_name, name, procName, parentProc, coalitionName, then Processes.
func (r *Report) Names() []string {
	return dedupe(append([]string{r.Header.AppName, r.Header.Name, r.Crash.ProcName,
		r.Crash.ParentProc, r.Crash.CoalitionName}, r.Processes...))
}

// Paths returns every file path the report gives without repeats: procPath, then
// the image paths.
func (r *Report) Paths() []string {
	return dedupe(append([]string{r.Crash.ProcPath}, r.ImagePaths...))
}

func dedupe(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := in[:0]
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
