package ios

import (
	"fmt"
	"time"
)

// unknownZone is what records say when the acquisition gave no UTC offset and a zone-less
// time was read as UTC.
const unknownZone = "unknown (read as UTC)"

// localToUTC turns a wall-clock time of a zone-less log (carried in time.UTC, as the
// parsers return it) into the instant, using the device's offset from UTC in seconds
// (acq.Facts.UTCOffset). It also returns the zone it applied, "+01:00" or unknownZone,
// for the record to say how its time was read.
func localToUTC(local time.Time, offset *int) (time.Time, string) {
	if local.IsZero() {
		return time.Time{}, ""
	}
	if offset == nil {
		return local.UTC(), unknownZone
	}
	off := *offset
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	zone := fmt.Sprintf("%c%02d:%02d", sign, off/3600, off%3600/60)
	return local.Add(-time.Duration(*offset) * time.Second).UTC(), zone
}
