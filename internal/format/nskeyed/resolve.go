package nskeyed

import (
	"errors"
	"fmt"
	"time"

	"howett.net/plist"
)

// resolver turns UID references into values. It memoises each object so a
// graph that shares objects costs its size, not the size of its unfolding,
// and tracks the objects on the current path to catch cycles.
type resolver struct {
	objects []any
	done    map[uint64]any
	active  map[uint64]bool
	nodes   int
}

func newResolver(objects []any) *resolver {
	return &resolver{objects: objects, done: map[uint64]any{}, active: map[uint64]bool{}}
}

// objectError names the archived object where decoding failed. It is added
// once, at the innermost object, so a deep failure does not repeat every
// enclosing object in its message.
type objectError struct {
	uid   uint64
	class string
	err   error
}

func (e *objectError) Error() string {
	if e.class == "" {
		return fmt.Sprintf("object %d: %v", e.uid, e.err)
	}
	return fmt.Sprintf("object %d (%s): %v", e.uid, e.class, e.err)
}

func (e *objectError) Unwrap() error { return e.err }

// value resolves v, which is a reference, an inline container or a scalar.
func (r *resolver) value(v any, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d: %w", maxDepth, ErrLimit)
	}
	r.nodes++
	if r.nodes > maxNodes {
		return nil, fmt.Errorf("more than %d values: %w", maxNodes, ErrLimit)
	}
	switch v := v.(type) {
	case plist.UID:
		return r.object(uint64(v), depth+1)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			x, err := r.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case map[string]any:
		if _, ok := v["$class"]; ok {
			// An object written inline rather than through $objects; it has
			// no UID, so it is neither memoised nor part of a cycle.
			return r.instance(v, depth)
		}
		return r.dict(v, depth)
	case float32:
		return float64(v), nil
	case string, []byte, bool, int64, uint64, float64, time.Time, nil:
		return v, nil
	}
	return nil, fmt.Errorf("unexpected plist value %T: %w", v, ErrMalformed)
}

// object resolves the $objects entry uid.
func (r *resolver) object(uid uint64, depth int) (any, error) {
	if uid >= uint64(len(r.objects)) {
		return nil, fmt.Errorf("reference to object %d of %d: %w", uid, len(r.objects), ErrMalformed)
	}
	if v, ok := r.done[uid]; ok {
		return v, nil
	}
	if r.active[uid] {
		return nil, &objectError{uid: uid, err: fmt.Errorf("refers to itself: %w", ErrCycle)}
	}
	raw := r.objects[uid]
	if s, ok := raw.(string); ok && s == "$null" {
		return nil, nil
	}
	r.active[uid] = true
	v, err := r.value(raw, depth)
	delete(r.active, uid)
	if err != nil {
		var named *objectError
		if errors.As(err, &named) {
			return nil, err
		}
		return nil, &objectError{uid: uid, class: r.className(raw), err: err}
	}
	r.done[uid] = v
	return v, nil
}

// dict resolves a plain plist dictionary (one without $class).
func (r *resolver) dict(m map[string]any, depth int) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for _, k := range sortedKeys(m) {
		x, err := r.value(m[k], depth+1)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = x
	}
	return out, nil
}

// className returns the class name of an object dictionary, or "" when it
// has none; it is for error messages and never fails.
func (r *resolver) className(raw any) string {
	m, ok := raw.(map[string]any)
	if !ok {
		return ""
	}
	names, err := r.classOf(m)
	if err != nil {
		return ""
	}
	return names[0]
}

// classOf returns the class chain of an object: $classname first, then the
// $classes entries. The class dictionary is read directly rather than
// resolved, because it describes the object instead of being part of it.
func (r *resolver) classOf(m map[string]any) ([]string, error) {
	ref, ok := m["$class"].(plist.UID)
	if !ok {
		return nil, fmt.Errorf("$class is %s: %w", typeName(m["$class"]), ErrMalformed)
	}
	if uint64(ref) >= uint64(len(r.objects)) {
		return nil, fmt.Errorf("$class refers to object %d of %d: %w", ref, len(r.objects), ErrMalformed)
	}
	class, ok := r.objects[ref].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("class object %d is %s: %w", ref, typeName(r.objects[ref]), ErrMalformed)
	}
	name, ok := class["$classname"].(string)
	if !ok {
		return nil, fmt.Errorf("class object %d: $classname is %s: %w", ref, typeName(class["$classname"]), ErrMalformed)
	}
	names := []string{name}
	// $classes is informative (it lets a subclass decode as its base); a
	// damaged list costs that fallback, not the object.
	if list, ok := class["$classes"].([]any); ok {
		for _, c := range list {
			if s, ok := c.(string); ok && s != name {
				names = append(names, s)
			}
		}
	}
	return names, nil
}
