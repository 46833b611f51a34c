package moduletest

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/internal/module"
)

// compareFilesystem fails the test unless the run on the filesystem twin found what the
// run on the backup found: the same outcome, the same observables (type and value) and
// detections (severity and evidence), and the same timeline events (time and name), each
// counted as a multiset. Records themselves are not compared: they name their file by
// backup domain and relative path in one layout and by device path in the other.
func compareFilesystem(t testing.TB, backup, fs Result) {
	t.Helper()
	if (backup.Err == nil) != (fs.Err == nil) || errors.Is(backup.Err, module.ErrNoData) != errors.Is(fs.Err, module.ErrNoData) {
		t.Errorf("filesystem dump: Run returned %v, on the backup %v", fs.Err, backup.Err)
	}
	parts := []struct {
		name  string
		count func(Result) map[string]int
	}{
		{"observables", countObservables},
		{"detections", countDetections},
		{"timeline events", countEvents},
	}
	for _, p := range parts {
		if diff := multisetDiff(p.count(backup), p.count(fs)); diff != "" {
			t.Errorf("filesystem dump gives other %s than the backup (- backup only, + dump only):\n%s", p.name, diff)
		}
	}
}

func countObservables(r Result) map[string]int {
	out := map[string]int{}
	for _, o := range r.Observables() {
		out[fmt.Sprintf("%s %q", o.Type, o.Value)]++
	}
	return out
}

func countDetections(r Result) map[string]int {
	out := map[string]int{}
	for _, d := range r.Detections {
		out[fmt.Sprintf("%v %q", d.Severity, d.Evidence)]++
	}
	return out
}

func countEvents(r Result) map[string]int {
	out := map[string]int{}
	for _, e := range r.Events() {
		out[e.Time.UTC().Format("2006-01-02T15:04:05.000000000Z")+" "+e.Event]++
	}
	return out
}

// multisetDiff lists the keys whose counts differ, at most 20 of them, or "" when none do.
func multisetDiff(a, b map[string]int) string {
	keys := slices.Sorted(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out string
	shown := 0
	for _, k := range keys {
		if a[k] == b[k] {
			continue
		}
		if shown++; shown > 20 {
			return out + "  ...\n"
		}
		sign := "-"
		if b[k] > a[k] {
			sign = "+"
		}
		out += fmt.Sprintf("  %s %s (backup %d, dump %d)\n", sign, k, a[k], b[k])
	}
	return out
}
