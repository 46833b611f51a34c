// Package timestamp converts the time encodings found in iOS and Android artifacts to UTC.
// Zero and negative values mean "unknown" and convert to the zero time, never to 1970 or 2001.
package timestamp

import (
	"math"
	"time"
)

// MacEpochUnix is 2001-01-01T00:00:00Z in Unix seconds, the origin of Mac absolute time.
const MacEpochUnix = 978307200

// nanosThreshold separates Mac absolute seconds from nanoseconds: 10^11 seconds is
// year 5170, while nanosecond values of any date after 2001-01-02 exceed it.
const nanosThreshold = 1e11

// MacAbsolute converts Mac absolute seconds (Core Data, Safari, DataUsage ...) to UTC.
func MacAbsolute(sec float64) time.Time {
	if sec <= 0 || math.IsNaN(sec) || math.IsInf(sec, 0) || sec > nanosThreshold {
		return time.Time{}
	}
	whole, frac := math.Modf(sec)
	return time.Unix(int64(whole)+MacEpochUnix, int64(math.Round(frac*1e6))*1e3).UTC()
}

// MacAbsoluteAuto converts a Mac absolute value that may be seconds (old iOS) or
// nanoseconds (sms.db on iOS 11 and later), deciding by magnitude.
func MacAbsoluteAuto(v int64) time.Time {
	if v <= 0 {
		return time.Time{}
	}
	if v > nanosThreshold {
		return time.Unix(v/1e9+MacEpochUnix, v%1e9).UTC()
	}
	return time.Unix(v+MacEpochUnix, 0).UTC()
}

// Unix converts Unix seconds (possibly fractional) to UTC.
func Unix(sec float64) time.Time {
	if sec <= 0 || math.IsNaN(sec) || math.IsInf(sec, 0) || sec > 1e12 {
		return time.Time{}
	}
	whole, frac := math.Modf(sec)
	return time.Unix(int64(whole), int64(math.Round(frac*1e6))*1e3).UTC()
}

// ToMacAbsolute is the inverse of MacAbsolute, used by fixture builders.
func ToMacAbsolute(t time.Time) float64 {
	return float64(t.UnixMicro())/1e6 - MacEpochUnix
}
