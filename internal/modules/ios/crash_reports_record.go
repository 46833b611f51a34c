package ios

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/format/ips"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Where a crash report's time came from, best first.
const (
	crashTimeCapture  = "captureTime"      // the body's capture time, to the 0.1 ms
	crashTimeHeader   = "header timestamp" // line 1's timestamp, to the second
	crashTimeFileName = "file name"        // the local time in the file's name
)

// bugTypes names the report kinds a user is likely to meet.
var bugTypes = map[string]string{
	"109": "crash", "309": "crash", "288": "stackshot", "298": "memory pressure (Jetsam)",
	"210": "kernel panic", "211": "analytics",
}

// CrashReport is one crash or diagnostic report (.ips).
type CrashReport struct {
	File       string    `json:"file"`
	BugType    string    `json:"bug_type,omitempty"` // "309"; a number written as a string
	Kind       string    `json:"kind,omitempty"`     // the bug type in words, when known
	Name       string    `json:"name,omitempty"`     // the header's name
	AppName    string    `json:"app_name,omitempty"`
	AppVersion string    `json:"app_version,omitempty"`
	OSVersion  string    `json:"os_version,omitempty"`
	IncidentID string    `json:"incident_id,omitempty"`
	Time       time.Time `json:"time,omitzero"`
	// TimeSource says which of crashTimeCapture, crashTimeHeader or crashTimeFileName
	// gave Time; TimeZone the offset applied to a file-name time.
	TimeSource    string `json:"time_source,omitempty"`
	TimeZone      string `json:"time_zone,omitempty"`
	ProcessName   string `json:"process_name,omitempty"`
	ProcessPath   string `json:"process_path,omitempty"`
	PID           *int64 `json:"pid,omitempty"`
	ParentProcess string `json:"parent_process,omitempty"`
	ParentPID     *int64 `json:"parent_pid,omitempty"`
	// BundleID is the crashed app's; HeaderBundleID line 1's when it differs.
	BundleID       string `json:"bundle_id,omitempty"`
	HeaderBundleID string `json:"header_bundle_id,omitempty"`
	Coalition      string `json:"coalition,omitempty"`
	Exception      string `json:"exception,omitempty"`   // "EXC_CRASH (SIGKILL)"
	Termination    string `json:"termination,omitempty"` // namespace and reasons
	Reason         string `json:"reason,omitempty"`      // a stackshot's or Jetsam report's
	// Processes are the processes a stackshot or Jetsam report lists.
	Processes  []string `json:"processes,omitempty"`
	ImagePaths []string `json:"image_paths,omitempty"` // loaded images
	Dropped    int      `json:"dropped,omitempty"`     // names and paths beyond the parser's bounds
	Body       string   `json:"body"`                  // json, plist, text, none, unknown
	BodyError  string   `json:"body_error,omitempty"`
	Truncated  bool     `json:"truncated,omitempty"`
}

// Events implements module.Record.
func (c CrashReport) Events() []timeline.Event {
	if c.Time.IsZero() {
		return nil
	}
	what := "Report"
	if c.Kind != "" {
		what = "Report (" + c.Kind + ")"
	}
	desc := fmt.Sprintf("%s %s", what, c.File)
	if p := c.subject(); p != "" {
		desc = fmt.Sprintf("%s for %s", what, p)
	}
	if c.Exception != "" {
		desc += ": " + c.Exception
	}
	return []timeline.Event{{Time: c.Time, Event: "crash_report", Description: desc}}
}

// subject names what the report is about.
func (c CrashReport) subject() string {
	for _, s := range []string{c.ProcessName, c.AppName, c.Name} {
		if s != "" {
			return s
		}
	}
	return ""
}

// Observables implements module.Record: every process name the report gives (as the
// parser's Names orders them), every path, and the bundle ids.
func (c CrashReport) Observables() []ioc.Observable {
	var obs []ioc.Observable
	for _, n := range append([]string{c.AppName, c.Name, c.ProcessName, c.ParentProcess, c.Coalition}, c.Processes...) {
		obs = appendUnique(obs, ioc.Observable{Type: ioc.Process, Value: n})
	}
	if strings.HasPrefix(c.ProcessPath, "/") {
		obs = appendUnique(obs, ioc.Observable{Type: ioc.ProcessPath, Value: c.ProcessPath})
	}
	for _, p := range append([]string{c.ProcessPath}, c.ImagePaths...) {
		if strings.HasPrefix(p, "/") {
			obs = appendUnique(obs, ioc.Observable{Type: ioc.FilePath, Value: p})
		}
	}
	obs = appendUnique(obs, bundleObservables(c.BundleID)...)
	return appendUnique(obs, bundleObservables(c.HeaderBundleID)...)
}

// newCrashReport turns a parsed report into its record; offset is the device's UTC
// offset for a time read from the file name.
func newCrashReport(file string, rep ips.Report, offset *int) CrashReport {
	h, cr := rep.Header, rep.Crash
	c := CrashReport{File: file, BugType: h.BugType, Kind: bugTypes[h.BugType], Name: h.Name, AppName: h.AppName,
		AppVersion: h.AppVersion, OSVersion: h.OSVersion, IncidentID: h.IncidentID, ProcessName: cr.ProcName,
		ProcessPath: cr.ProcPath, ParentProcess: cr.ParentProc, BundleID: cr.BundleID, Coalition: cr.CoalitionName,
		Reason: rep.Reason, Processes: rep.Processes, ImagePaths: rep.ImagePaths, Dropped: rep.Dropped,
		Body: string(rep.Body), Truncated: rep.Truncated}
	if c.BundleID == "" {
		c.BundleID = h.BundleID
	} else if h.BundleID != c.BundleID {
		c.HeaderBundleID = h.BundleID
	}
	if cr.PID >= 0 {
		c.PID = &cr.PID
	}
	if cr.ParentPID >= 0 {
		c.ParentPID = &cr.ParentPID
	}
	c.Exception = strings.TrimSpace(cr.ExceptionType + " (" + cr.ExceptionSignal + ")")
	switch {
	case cr.ExceptionType == "":
		c.Exception = cr.ExceptionSignal
	case cr.ExceptionSignal == "":
		c.Exception = cr.ExceptionType
	}
	if cr.TerminationNamespace != "" || len(cr.TerminationReasons) > 0 {
		c.Termination = strings.TrimSpace(cr.TerminationNamespace + ": " + strings.Join(cr.TerminationReasons, "; "))
	}
	if rep.BodyErr != nil {
		c.BodyError = rep.BodyErr.Error()
	}
	c.setTime(cr.CaptureTime, h.Timestamp, file, offset)
	return c
}

// setTime takes the most precise time the report gives.
func (c *CrashReport) setTime(capture, header time.Time, file string, offset *int) {
	switch {
	case !capture.IsZero():
		c.Time, c.TimeSource = capture, crashTimeCapture
	case !header.IsZero():
		c.Time, c.TimeSource = header, crashTimeHeader
	default:
		if _, local, ok := ips.ParseFileName(file); ok {
			c.Time, c.TimeZone = localToUTC(local, offset)
			c.TimeSource = crashTimeFileName
		}
	}
}
