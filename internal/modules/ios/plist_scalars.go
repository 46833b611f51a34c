package ios

import (
	"time"

	"github.com/vigil-project/vigil/internal/format/timestamp"
)

// Plist values decode to `any`; these read the scalars modules expect without trusting the
// file's types (a hostile or damaged plist may hold a string where a date belongs).

// plistAsTime reads a plist date in UTC; anything else, and 2001-01-01 itself (an unset
// date), is unknown.
func plistAsTime(v any) time.Time {
	if t, ok := v.(time.Time); ok && t.Unix() > timestamp.MacEpochUnix {
		return t.UTC()
	}
	return time.Time{}
}

// plistAsMacTime reads Mac absolute seconds stored as a number, or a plist date.
func plistAsMacTime(v any) time.Time {
	switch n := v.(type) {
	case float64:
		return timestamp.MacAbsolute(n)
	case int64:
		return timestamp.MacAbsolute(float64(n))
	case uint64:
		return timestamp.MacAbsolute(float64(n))
	}
	return plistAsTime(v)
}

// plistAsInt reads any plist number or boolean as an integer, 0 for other types.
func plistAsInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case uint64:
		return int64(n)
	case float64:
		return int64(n)
	case bool:
		if n {
			return 1
		}
	}
	return 0
}

// plistAsString reads a string, "" for other types.
func plistAsString(v any) string {
	s, _ := v.(string)
	return s
}
