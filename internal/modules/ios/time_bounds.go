package ios

import "time"

// jsonTime returns t, or the zero time (unknown) when t lies past year 9999: a crafted
// or damaged value can decode to such a date, which encoding/json refuses, and the whole
// record would be lost from the output.
func jsonTime(t time.Time) time.Time {
	if t.Year() > 9999 || t.Year() < 0 {
		return time.Time{}
	}
	return t
}
