// Package sysdiagname reads what a sysdiagnose archive's name says: when it was taken
// (local time and UTC offset), on which platform, model and build. The same stamp is
// the only source of a time zone for the sysdiagnose's zone-less text logs.
//
// Names look like sysdiagnose_2023.05.24_13-29-15-0700_iPhone-OS_iPhone_19H349, with
// or without .tar.gz; while being written they carry an IN_PROGRESS_ prefix and a .tmp
// suffix. Seen platforms: iPhone-OS (iPhones and iPads), macOS, Watch-OS. Models have
// commas written as hyphens (MacBookPro18-2); builds may end in a letter (23A5328b).
package sysdiagname

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotName means a string does not follow the sysdiagnose naming scheme.
var ErrNotName = errors.New("not a sysdiagnose name")

// Name is a parsed sysdiagnose archive or folder name.
type Name struct {
	// Time is the creation time as the device's clock showed it, in a fixed zone
	// carrying the name's UTC offset; Time.UTC() is the instant.
	Time time.Time
	// Offset is the device's UTC offset in seconds east of UTC.
	Offset   int
	Platform string // "iPhone-OS", "macOS", "Watch-OS" ...
	Model    string // "iPhone", "iPad", "MacBookPro18-2" ...
	Build    string // "19H349"
	// InProgress is set for IN_PROGRESS_ names, left by an unfinished collection.
	InProgress bool
}

// Zone returns the fixed zone of the name's offset, for logs that carry no zone.
func (n Name) Zone() *time.Location { return n.Time.Location() }

const prefix = "sysdiagnose_"

// suffixes are removed before parsing; the order matters (.tar.gz before .gz).
var suffixes = []string{".tar.gz", ".tgz", ".tar", ".gz", ".tmp"}

// Parse reads a sysdiagnose name. Any directory part is ignored, so a path to the
// archive or to its top folder works too.
func Parse(name string) (Name, error) {
	base := name[strings.LastIndexAny(name, `/\`)+1:]
	s := base
	for _, suf := range suffixes {
		if strings.HasSuffix(s, suf) {
			s = strings.TrimSuffix(s, suf)
			break
		}
	}
	var n Name
	if rest, ok := strings.CutPrefix(s, "IN_PROGRESS_"); ok {
		n.InProgress, s = true, rest
	}
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return Name{}, fmt.Errorf("sysdiagnose name %q: no %q prefix: %w", base, prefix, ErrNotName)
	}
	t, off, tail, err := parseStamp(rest)
	if err != nil {
		return Name{}, fmt.Errorf("sysdiagnose name %q: %w", base, err)
	}
	n.Time, n.Offset = t, off
	if err := n.device(tail); err != nil {
		return Name{}, fmt.Errorf("sysdiagnose name %q: %w", base, err)
	}
	return n, nil
}

// device reads "_<platform>_<model>_<build>". Platform, model and build hold no
// underscore in any name seen; should a model ever hold one, the first field is still
// the platform and the last the build, and the model keeps what lies between.
func (n *Name) device(tail string) error {
	rest, ok := strings.CutPrefix(tail, "_")
	if !ok {
		return fmt.Errorf("no platform after the time: %w", ErrNotName)
	}
	parts := strings.Split(rest, "_")
	if len(parts) < 3 {
		return fmt.Errorf("want platform_model_build, got %q: %w", rest, ErrNotName)
	}
	n.Platform = parts[0]
	n.Model = strings.Join(parts[1:len(parts)-1], "_")
	n.Build = parts[len(parts)-1]
	if n.Platform == "" || n.Model == "" || n.Build == "" {
		return fmt.Errorf("empty platform, model or build in %q: %w", rest, ErrNotName)
	}
	return nil
}

// stampLen is len("2023.05.24_13-29-15-0700").
const stampLen = 24

// parseStamp reads "YYYY.MM.DD_HH-MM-SS±hhmm" at the start of s and returns the rest.
func parseStamp(s string) (time.Time, int, string, error) {
	if len(s) < stampLen {
		return time.Time{}, 0, "", fmt.Errorf("time stamp too short: %w", ErrNotName)
	}
	st := s[:stampLen]
	var f [7]int // year, month, day, hour, minute, second, offset hhmm
	spans := [7][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}, {20, 24}}
	for i, sp := range spans {
		v, ok := digits(st[sp[0]:sp[1]])
		if !ok {
			return time.Time{}, 0, "", fmt.Errorf("time stamp %q: %w", st, ErrNotName)
		}
		f[i] = v
	}
	if st[4] != '.' || st[7] != '.' || st[10] != '_' || st[13] != '-' || st[16] != '-' ||
		(st[19] != '+' && st[19] != '-') {
		return time.Time{}, 0, "", fmt.Errorf("time stamp %q: %w", st, ErrNotName)
	}
	offH, offM := f[6]/100, f[6]%100
	if f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 || f[4] > 59 || f[5] > 60 ||
		offH > 14 || offM > 59 {
		return time.Time{}, 0, "", fmt.Errorf("time stamp %q out of range: %w", st, ErrNotName)
	}
	off := offH*3600 + offM*60
	if st[19] == '-' {
		off = -off
	}
	loc := time.FixedZone(st[19:], off)
	t := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, loc)
	if t.Day() != f[2] {
		return time.Time{}, 0, "", fmt.Errorf("time stamp %q names no real day: %w", st, ErrNotName)
	}
	return t, off, s[stampLen:], nil
}

// digits parses a run of ASCII digits; strconv would accept signs.
func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}
