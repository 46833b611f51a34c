package ips

import (
	"path"
	"strings"
	"time"
)

// ParseFileName reads the name and local time that a report's file name encodes:
// "<name>-YYYY-MM-DD-HHMMSS.ips" or "<name>-YYYY-MM-DD-HH-MM-SS.ips", optionally
// with a ".<digits>" counter before the extension and anything after it
// (".ips.ca.synced"). A directory part is ignored.
//
// name is the part before the time: usually the process ("MobileSafari"), but for
// some kinds a report type or a prefixed process ("JetsamEvent", "stacks+
// com.apple.WebKit.WebContent", "ExcUserFault_MobileSafari"); it is returned as
// written. local is the device's wall clock without a zone, carried in time.UTC;
// apply the device's offset before using it as an instant.
func ParseFileName(file string) (name string, local time.Time, ok bool) {
	base := path.Base(strings.ReplaceAll(file, `\`, "/"))
	stem := base
	if i := strings.Index(base, ".ips"); i >= 0 && (i+4 == len(base) || base[i+4] == '.') {
		stem = base[:i]
	} else if i := strings.LastIndexByte(base, '.'); i > 0 {
		stem = base[:i]
	}
	// Drop a ".0002"-style counter.
	if i := strings.LastIndexByte(stem, '.'); i >= 0 && allDigits(stem[i+1:]) {
		stem = stem[:i]
	}
	for _, f := range []struct {
		layout string
		size   int
	}{{"2006-01-02-150405", 17}, {"2006-01-02-15-04-05", 19}} {
		if len(stem) < f.size+2 || stem[len(stem)-f.size-1] != '-' {
			continue
		}
		stamp := stem[len(stem)-f.size:]
		if !stampShape(stamp, f.layout) {
			continue
		}
		t, err := time.Parse(f.layout, stamp)
		if err != nil {
			continue
		}
		return stem[:len(stem)-f.size-1], t, true
	}
	return "", time.Time{}, false
}

// stampShape checks that s has digits where layout has digits and the same
// separators elsewhere; time.Parse alone accepts some looser input.
func stampShape(s, layout string) bool {
	if len(s) != len(layout) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if layout[i] == '-' {
			if s[i] != '-' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
