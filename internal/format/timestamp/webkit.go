package timestamp

import "time"

// webKitEpochOffsetMicros is 1601-01-01T00:00:00Z to the Unix epoch, in microseconds: the
// origin Chrome (and WebKit's Windows heritage) counts from.
const webKitEpochOffsetMicros = 11644473600 * 1e6

// maxChromeMicros keeps conversions inside year 9999; larger values are damage, not dates.
const maxChromeMicros = webKitEpochOffsetMicros + 253402300799*1e6

// Chrome converts WebKit/Chrome time, microseconds since 1601-01-01 UTC (Chrome's History
// and Favicons databases), to UTC. Zero, negative and absurd values are unknown.
func Chrome(us int64) time.Time {
	if us <= webKitEpochOffsetMicros || us > maxChromeMicros {
		return time.Time{}
	}
	return time.UnixMicro(us - webKitEpochOffsetMicros).UTC()
}

// ToChrome is the inverse of Chrome, used by fixture builders; the zero time gives 0.
func ToChrome(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro() + webKitEpochOffsetMicros
}
