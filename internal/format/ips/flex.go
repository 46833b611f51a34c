package ips

import (
	"encoding/json"
	"strconv"
)

// The body's values are decoded through these lenient types: a key holding an
// unexpected JSON type (a number where a string was expected, a string where an
// object was) is left unset instead of failing the whole body, as encoding/json
// would for a plain struct field.

// flexString holds a JSON string, or a number's literal text.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	*f = flexString(rawString(b))
	return nil
}

// flexInt holds a JSON integer, or a string holding one; -1 when absent or odd.
type flexInt struct {
	v   int64
	set bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	f.v, f.set = rawInt(b), true
	return nil
}

// get returns the value, or -1 when the key was absent.
func (f flexInt) get() int64 {
	if !f.set {
		return -1
	}
	return f.v
}

// flexObject decodes into T only when the value is an object.
type flexObject[T any] struct{ v T }

func (f *flexObject[T]) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		_ = json.Unmarshal(b, &f.v) // lenient: T's fields are flex types
	}
	return nil
}

// flexList decodes into []T only when the value is an array.
type flexList[T any] []T

func (f *flexList[T]) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		var v []T
		_ = json.Unmarshal(b, &v)
		*f = v
	}
	return nil
}

// flexMap decodes into map[string]T only when the value is an object.
type flexMap[T any] map[string]T

func (f *flexMap[T]) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		var v map[string]T
		_ = json.Unmarshal(b, &v)
		*f = v
	}
	return nil
}

// exception is "exception": an object in crashes, a hex string in stackshots.
type exception struct {
	Type   flexString `json:"type"`
	Signal flexString `json:"signal"`
}

// termination is a crash's "termination" object.
type termination struct {
	Namespace flexString           `json:"namespace"`
	Code      flexInt              `json:"code"`
	Indicator flexString           `json:"indicator"`
	Reasons   flexList[flexString] `json:"reasons"`
}

// process is an entry of processByPid (procname) or of a Jetsam report's processes
// (name).
type process struct {
	Procname flexString `json:"procname"`
	Name     flexString `json:"name"`
}

// image is an entry of usedImages.
type image struct {
	Path flexString `json:"path"`
}

// jsonBody holds the body keys detection reads, from every report kind.
type jsonBody struct {
	ProcName      flexString `json:"procName"`
	ProcPath      flexString `json:"procPath"`
	PID           flexInt    `json:"pid"`
	ParentProc    flexString `json:"parentProc"`
	ParentPID     flexInt    `json:"parentPid"`
	CoalitionName flexString `json:"coalitionName"`
	UserID        flexInt    `json:"userID"`
	ProcLaunch    flexString `json:"procLaunch"`
	CaptureTime   flexString `json:"captureTime"`
	BundleInfo    flexObject[struct {
		ID flexString `json:"CFBundleIdentifier"`
	}] `json:"bundleInfo"`
	Exception      flexObject[exception]         `json:"exception"`
	Termination    flexObject[termination]       `json:"termination"`
	UsedImages     flexList[flexObject[image]]   `json:"usedImages"`
	Reason         flexString                    `json:"reason"`
	ProcessByPid   flexMap[flexObject[process]]  `json:"processByPid"`
	LargestProcess flexString                    `json:"largestProcess"`
	Processes      flexList[flexObject[process]] `json:"processes"`
}

// atoiOr is strconv.ParseInt with a default, for text-form numbers.
func atoiOr(s string, def int64) int64 {
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v
	}
	return def
}
