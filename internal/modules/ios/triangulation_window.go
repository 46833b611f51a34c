package ios

import (
	"slices"
	"time"
)

// triangle_check's window: from each event, the next ten events no later than five
// minutes after it.
const (
	windowEvents = 10
	windowSpan   = 300 * time.Second
)

// triangulationWindows applies triangle_check's rule to time-sorted marks and returns
// the suspicious windows, overlapping ones merged so one burst is reported once.
func triangulationWindows(marks []TriangulationMark) []TriangulationWindow {
	var out []TriangulationWindow
	for i := range marks {
		end := i + 1
		for end < len(marks) && end <= i+windowEvents && marks[end].Time.Sub(marks[i].Time) <= windowSpan {
			end++
		}
		classes, ok := windowClasses(marks[i:end])
		if !ok || len(classes) < 2 {
			continue
		}
		w := TriangulationWindow{Start: marks[i].Time, End: marks[end-1].Time, Classes: classes,
			Marks: slices.Clone(marks[i:end])}
		if n := len(out); n > 0 && !w.Start.After(out[n-1].End) {
			out[n-1] = mergeWindows(out[n-1], w)
			continue
		}
		out = append(out, w)
	}
	return out
}

// windowClasses returns the classes of a window, or false when the window does not count:
// a deep attachment path, or an attachment folder that shows only one of M and C.
func windowClasses(ms []TriangulationMark) ([]string, bool) {
	seen := map[string]bool{}
	folders := map[string]map[string]bool{}
	for _, m := range ms {
		switch m.Class {
		case "sms-deep":
			return nil, false
		case "sms":
			if folders[m.What] == nil {
				folders[m.What] = map[string]bool{}
			}
			folders[m.What][m.Label] = true
		}
		seen[m.Class] = true
	}
	for _, labels := range folders {
		if !labels["M"] || !labels["C"] {
			return nil, false
		}
	}
	var classes []string
	for _, c := range []string{"sms", "file", "net", "location"} {
		if seen[c] {
			classes = append(classes, c)
		}
	}
	return classes, true
}

func mergeWindows(a, b TriangulationWindow) TriangulationWindow {
	if b.End.After(a.End) {
		a.End = b.End
	}
	for _, m := range b.Marks {
		if !slices.Contains(a.Marks, m) {
			a.Marks = append(a.Marks, m)
		}
	}
	for _, c := range b.Classes {
		if !slices.Contains(a.Classes, c) {
			a.Classes = append(a.Classes, c)
		}
	}
	slices.Sort(a.Classes)
	return a
}
