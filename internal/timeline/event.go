// Package timeline holds the one event shape every module emits and every sink writes.
package timeline

import (
	"cmp"
	"time"
)

// Event is one timestamped fact from an artifact, always in UTC.
type Event struct {
	Time        time.Time `json:"time"`
	Module      string    `json:"module"`
	Event       string    `json:"event"`
	Description string    `json:"description"`
}

// Format is the timestamp layout of the MVT-compatible CSV exports.
const Format = "2006-01-02 15:04:05.000000"

// Compare orders events by instant, then module, event and description, so that
// sorted output is the same whatever order modules finished in.
func Compare(a, b Event) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Module, b.Module); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Event, b.Event); c != 0 {
		return c
	}
	return cmp.Compare(a.Description, b.Description)
}
