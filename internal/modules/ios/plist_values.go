package ios

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// plistStrings returns the distinct strings of a decoded plist value, dictionary values in
// key order, depth first, at most limit of them: analytics records are checked string by
// string, and a crafted plist of a million strings must not become a million observables.
func plistStrings(v any, limit int) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		if len(out) >= limit {
			return
		}
		switch x := v.(type) {
		case string:
			if x != "" && !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				walk(x[k])
			}
		}
	}
	walk(v)
	return out
}

// plistJSONSafe returns v with the values encoding/json refuses made printable: NaN and
// infinite numbers, and dates outside years 0-9999, become strings. A record that cannot
// be encoded would otherwise be lost from the module's output.
func plistJSONSafe(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
	case float32:
		return plistJSONSafe(float64(x))
	case time.Time:
		if y := x.Year(); y < 0 || y > 9999 {
			return x.String()
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plistJSONSafe(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plistJSONSafe(e)
		}
		return out
	}
	return v
}
