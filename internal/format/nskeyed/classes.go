package nskeyed

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"time"
)

// decodeFunc turns the fields of an object of a known class into a Go value.
type decodeFunc func(r *resolver, m map[string]any, depth int) (any, error)

// decoderFor returns the decoder of a Foundation class and the field every
// archive of that class carries. The field decides whether an unknown
// subclass (say __NSCFDictionary, or an app's NSArray subclass) can be read
// as its known base: only when it was archived the base's way.
func decoderFor(class string) (string, decodeFunc) {
	switch class {
	case "NSDictionary", "NSMutableDictionary":
		return "NS.keys", decodeDictionary
	case "NSArray", "NSMutableArray", "NSSet", "NSMutableSet", "NSOrderedSet", "NSMutableOrderedSet":
		return "NS.objects", decodeList
	case "NSString", "NSMutableString":
		return "NS.string", decodeString
	case "NSData", "NSMutableData":
		return "NS.data", decodeData
	case "NSDate":
		return "NS.time", decodeDate
	case "NSUUID":
		return "NS.uuidbytes", decodeUUID
	case "NSURL":
		return "NS.relative", decodeURL
	case "NSNull":
		return "", func(*resolver, map[string]any, int) (any, error) { return nil, nil }
	}
	return "", nil
}

// instance decodes an object dictionary, one with a $class.
func (r *resolver) instance(m map[string]any, depth int) (any, error) {
	names, err := r.classOf(m)
	if err != nil {
		return nil, err
	}
	if _, decode := decoderFor(names[0]); decode != nil {
		return decode(r, m, depth)
	}
	for _, base := range names[1:] {
		key, decode := decoderFor(base)
		if _, archivedAsBase := m[key]; decode != nil && key != "" && archivedAsBase {
			return decode(r, m, depth)
		}
	}
	out := make(map[string]any, len(m))
	for _, k := range sortedKeys(m) {
		if k == "$class" {
			continue
		}
		v, err := r.value(m[k], depth+1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = v
	}
	out["$class"] = names[0]
	return out, nil
}

// field resolves m[key]; ok is false when the key is absent.
func (r *resolver) field(m map[string]any, key string, depth int) (v any, ok bool, err error) {
	raw, ok := m[key]
	if !ok {
		return nil, false, nil
	}
	v, err = r.value(raw, depth+1)
	if err != nil {
		return nil, true, fmt.Errorf("%s: %w", key, err)
	}
	return v, true, nil
}

// list resolves an array-valued field. Archives from older systems spell
// collections as numbered keys (NS.object.0, NS.object.1, ...) instead of
// one array, so those are read when key is absent.
func (r *resolver) list(m map[string]any, key, numbered string, depth int) ([]any, error) {
	v, ok, err := r.field(m, key, depth)
	if err != nil {
		return nil, err
	}
	if ok {
		list, isList := v.([]any)
		if !isList {
			return nil, fmt.Errorf("%s is %s: %w", key, typeName(v), ErrMalformed)
		}
		return list, nil
	}
	out := []any{}
	for i := 0; i < len(m); i++ {
		v, ok, err := r.field(m, numbered+strconv.Itoa(i), depth)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		out = append(out, v)
	}
	return out, nil
}

func decodeList(r *resolver, m map[string]any, depth int) (any, error) {
	return r.list(m, "NS.objects", "NS.object.", depth)
}

func decodeDictionary(r *resolver, m map[string]any, depth int) (any, error) {
	keys, err := r.list(m, "NS.keys", "NS.key.", depth)
	if err != nil {
		return nil, err
	}
	values, err := r.list(m, "NS.objects", "NS.object.", depth)
	if err != nil {
		return nil, err
	}
	if len(keys) != len(values) {
		return nil, fmt.Errorf("%d keys for %d values: %w", len(keys), len(values), ErrMalformed)
	}
	out := make(map[string]any, len(keys))
	for i, k := range keys {
		var name string
		switch k := k.(type) {
		case string:
			name = k
		case int64, uint64, float64, bool:
			name = fmt.Sprint(k)
		default:
			return nil, fmt.Errorf("key %d is %s: %w", i, typeName(k), ErrMalformed)
		}
		out[name] = values[i]
	}
	return out, nil
}

func decodeString(r *resolver, m map[string]any, depth int) (any, error) {
	key := "NS.string"
	if _, ok := m[key]; !ok {
		key = "NS.bytes" // some writers store the UTF-8 bytes instead
	}
	v, ok, err := r.field(m, key, depth)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("no NS.string: %w", ErrMalformed)
	}
	switch s := v.(type) {
	case string:
		return s, nil
	case []byte:
		return string(s), nil
	}
	return nil, fmt.Errorf("%s is %s: %w", key, typeName(v), ErrMalformed)
}

func decodeData(r *resolver, m map[string]any, depth int) (any, error) {
	v, _, err := r.field(m, "NS.data", depth)
	if err != nil {
		return nil, err
	}
	b, ok := v.([]byte)
	if !ok {
		return nil, fmt.Errorf("NS.data is %s: %w", typeName(v), ErrMalformed)
	}
	return b, nil
}

// appleEpoch is the Unix time of 2001-01-01 00:00:00 UTC, NSDate's zero.
const appleEpoch = 978307200

// maxDateSeconds keeps NS.time far from int64 overflow (it is about 30
// million years); anything beyond is corrupt, not a date.
const maxDateSeconds = 1e15

func decodeDate(r *resolver, m map[string]any, depth int) (any, error) {
	v, _, err := r.field(m, "NS.time", depth)
	if err != nil {
		return nil, err
	}
	var secs float64
	switch n := v.(type) {
	case float64:
		secs = n
	case int64:
		secs = float64(n)
	case uint64:
		secs = float64(n)
	default:
		return nil, fmt.Errorf("NS.time is %s: %w", typeName(v), ErrMalformed)
	}
	if math.IsNaN(secs) || math.Abs(secs) > maxDateSeconds {
		return nil, fmt.Errorf("NS.time %v out of range: %w", secs, ErrMalformed)
	}
	whole := math.Floor(secs)
	nanos := math.Round((secs - whole) * 1e9)
	return time.Unix(appleEpoch+int64(whole), int64(nanos)).UTC(), nil
}

func decodeUUID(r *resolver, m map[string]any, depth int) (any, error) {
	v, _, err := r.field(m, "NS.uuidbytes", depth)
	if err != nil {
		return nil, err
	}
	b, ok := v.([]byte)
	if !ok || len(b) != 16 {
		return nil, fmt.Errorf("NS.uuidbytes is %s of length %d: %w", typeName(v), len(b), ErrMalformed)
	}
	return fmt.Sprintf("%X-%X-%X-%X-%X", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

func decodeURL(r *resolver, m map[string]any, depth int) (any, error) {
	base, _, err := r.field(m, "NS.base", depth)
	if err != nil {
		return nil, err
	}
	rel, _, err := r.field(m, "NS.relative", depth)
	if err != nil {
		return nil, err
	}
	relative, ok := rel.(string)
	if !ok {
		return nil, fmt.Errorf("NS.relative is %s: %w", typeName(rel), ErrMalformed)
	}
	switch b := base.(type) {
	case nil:
		return relative, nil
	case string:
		return joinURL(b, relative), nil
	}
	return nil, fmt.Errorf("NS.base is %s: %w", typeName(base), ErrMalformed)
}

// joinURL resolves relative against base as NSURL's absoluteString does. A
// pair that does not parse is joined as text, so the link is kept for
// indicator matching rather than dropped.
func joinURL(base, relative string) string {
	b, err := url.Parse(base)
	if err != nil {
		return base + relative
	}
	ref, err := url.Parse(relative)
	if err != nil {
		return base + relative
	}
	return b.ResolveReference(ref).String()
}
