package timestamp

import (
	"math"
	"time"
)

// UnixMicro converts Unix microseconds (Firefox for iOS visits) to UTC.
func UnixMicro(us float64) time.Time {
	if us <= 0 || math.IsNaN(us) || math.IsInf(us, 0) {
		return time.Time{}
	}
	return Unix(us / 1e6)
}

// Magnitudes separating Unix seconds from milliseconds and microseconds: 10^11 seconds is
// year 5138, while any millisecond value after 1973-03-03 and any microsecond value after
// 1973-03-03 pass the thresholds.
const (
	unixMillisThreshold = 1e11
	unixMicrosThreshold = 1e14
)

// UnixAuto converts a Unix time that may be seconds, milliseconds or microseconds, deciding
// by magnitude, for columns whose unit apps changed or never documented (Firefox for iOS
// favicons).
func UnixAuto(v float64) time.Time {
	switch {
	case v > unixMicrosThreshold:
		return UnixMicro(v)
	case v > unixMillisThreshold:
		return Unix(v / 1e3)
	}
	return Unix(v)
}
