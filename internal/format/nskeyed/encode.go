package nskeyed

import (
	"fmt"
	"strings"
	"time"

	"howett.net/plist"
)

// Object is an instance of an archived class, for Encode: the shape of the
// MBFile records in Manifest.db and of most app archives.
type Object struct {
	// Class is the $classname, e.g. "MBFile".
	Class string
	// Classes is the class chain, most derived first, as in $classes; nil
	// means {Class, "NSObject"}.
	Classes []string
	// Fields are the object's keys. Integers, floats and booleans are stored
	// inline, as -encodeInt:forKey: and its kin do; every other value becomes
	// its own $objects entry referred to by UID, as -encodeObject:forKey: does.
	Fields map[string]any
}

// URL is a string that Encode archives as an NSURL with no base.
type URL string

// Encode writes root as a binary-plist NSKeyedArchiver archive under the
// $top key "root". It exists to build test fixtures shaped like the archives
// iOS writes, so it covers the values those hold:
//
//	Object              an object of that class
//	string              a string
//	[]byte              NSMutableData (as iOS archives MBFile encryption keys)
//	[]any               NSArray
//	map[string]any      NSDictionary
//	time.Time           NSDate
//	URL                 NSURL
//	integers, floats, bools: inline in an Object's fields, NSNumber elsewhere
//	nil                 $null
//
// Output is deterministic: keys are written in sorted order and equal
// strings and classes are stored once. Decode(Encode(v)) gives back v, with
// Objects as maps holding "$class" and integers as int64 or uint64.
func Encode(root any) ([]byte, error) {
	e := &encoder{
		objects: []any{"$null"},
		strings: map[string]plist.UID{},
		classes: map[string]plist.UID{},
	}
	uid, err := e.ref(root, 0)
	if err != nil {
		return nil, fmt.Errorf("nskeyed: encode: %w", err)
	}
	doc := map[string]any{
		"$archiver": "NSKeyedArchiver",
		"$version":  int64(100000),
		"$top":      map[string]any{"root": uid},
		"$objects":  e.objects,
	}
	out, err := plist.Marshal(doc, plist.BinaryFormat)
	if err != nil {
		return nil, fmt.Errorf("nskeyed: encode: %w", err)
	}
	return out, nil
}

// encoder appends objects to $objects in the order NSKeyedArchiver does: an
// object's slot is taken before its fields are encoded and its class comes
// after them.
type encoder struct {
	objects []any
	strings map[string]plist.UID
	classes map[string]plist.UID
}

// ref stores v as an $objects entry and returns its UID.
func (e *encoder) ref(v any, depth int) (plist.UID, error) {
	// A Go map or slice can contain itself; the bound turns that into an
	// error instead of a stack overflow.
	if depth > maxDepth {
		return 0, fmt.Errorf("nesting deeper than %d: %w", maxDepth, ErrLimit)
	}
	if n, ok := number(v); ok {
		return e.add(n), nil
	}
	switch v := v.(type) {
	case nil:
		return 0, nil
	case string:
		return e.str(v), nil
	case []byte:
		return e.instance([]string{"NSMutableData", "NSData", "NSObject"}, map[string]any{"NS.data": v}), nil
	case time.Time:
		secs := float64(v.Unix()-appleEpoch) + float64(v.Nanosecond())/1e9
		return e.instance([]string{"NSDate", "NSObject"}, map[string]any{"NS.time": secs}), nil
	case URL:
		uid := e.reserve()
		rel := e.str(string(v))
		e.objects[uid] = map[string]any{"NS.base": plist.UID(0), "NS.relative": rel, "$class": e.class([]string{"NSURL", "NSObject"})}
		return uid, nil
	case Object:
		return e.object(v, depth)
	case *Object:
		if v == nil {
			return 0, nil
		}
		return e.object(*v, depth)
	case []any:
		return e.array(v, depth)
	case map[string]any:
		return e.dictionary(v, depth)
	}
	return 0, fmt.Errorf("cannot archive %T", v)
}

// object stores an Object: scalars inline, everything else by reference.
func (e *encoder) object(o Object, depth int) (plist.UID, error) {
	if o.Class == "" {
		return 0, fmt.Errorf("object without a class")
	}
	uid := e.reserve()
	fields := make(map[string]any, len(o.Fields)+1)
	for _, k := range sortedKeys(o.Fields) {
		if strings.HasPrefix(k, "$") {
			return 0, fmt.Errorf("%s field %q: names starting with $ are reserved", o.Class, k)
		}
		if n, ok := number(o.Fields[k]); ok {
			fields[k] = n
			continue
		}
		ref, err := e.ref(o.Fields[k], depth+1)
		if err != nil {
			return 0, fmt.Errorf("%s.%s: %w", o.Class, k, err)
		}
		fields[k] = ref
	}
	chain := o.Classes
	if chain == nil {
		chain = []string{o.Class, "NSObject"}
	}
	if chain[0] != o.Class {
		chain = append([]string{o.Class}, chain...)
	}
	fields["$class"] = e.class(chain)
	e.objects[uid] = fields
	return uid, nil
}

// array stores an NSArray.
func (e *encoder) array(v []any, depth int) (plist.UID, error) {
	uid := e.reserve()
	refs, err := e.refs(v, depth)
	if err != nil {
		return 0, err
	}
	e.objects[uid] = map[string]any{"NS.objects": refs, "$class": e.class([]string{"NSArray", "NSObject"})}
	return uid, nil
}

// dictionary stores an NSDictionary, its keys in sorted order.
func (e *encoder) dictionary(v map[string]any, depth int) (plist.UID, error) {
	uid := e.reserve()
	keys := make([]any, 0, len(v))
	values := make([]any, 0, len(v))
	for _, k := range sortedKeys(v) {
		keys = append(keys, k)
		values = append(values, v[k])
	}
	keyRefs, err := e.refs(keys, depth)
	if err != nil {
		return 0, err
	}
	valueRefs, err := e.refs(values, depth)
	if err != nil {
		return 0, err
	}
	e.objects[uid] = map[string]any{"NS.keys": keyRefs, "NS.objects": valueRefs, "$class": e.class([]string{"NSDictionary", "NSObject"})}
	return uid, nil
}

// refs stores each value and returns the UIDs as plist values.
func (e *encoder) refs(values []any, depth int) ([]any, error) {
	out := make([]any, len(values))
	for i, v := range values {
		uid, err := e.ref(v, depth+1)
		if err != nil {
			return nil, fmt.Errorf("element %d: %w", i, err)
		}
		out[i] = uid
	}
	return out, nil
}

// instance stores an object of a Foundation class whose fields are plain
// plist values.
func (e *encoder) instance(chain []string, fields map[string]any) plist.UID {
	uid := e.reserve()
	fields["$class"] = e.class(chain)
	e.objects[uid] = fields
	return uid
}

// class returns the UID of the class dictionary for chain, storing it once.
func (e *encoder) class(chain []string) plist.UID {
	key := strings.Join(chain, "\x00")
	if uid, ok := e.classes[key]; ok {
		return uid
	}
	names := make([]any, len(chain))
	for i, c := range chain {
		names[i] = c
	}
	uid := e.add(map[string]any{"$classname": chain[0], "$classes": names})
	e.classes[key] = uid
	return uid
}

// str stores a string once, however often it is used.
func (e *encoder) str(s string) plist.UID {
	if uid, ok := e.strings[s]; ok {
		return uid
	}
	uid := e.add(s)
	e.strings[s] = uid
	return uid
}

func (e *encoder) reserve() plist.UID { return e.add(nil) }

func (e *encoder) add(v any) plist.UID {
	e.objects = append(e.objects, v)
	return plist.UID(len(e.objects) - 1)
}

// number normalises the scalar kinds that archives store as plist numbers.
func number(v any) (any, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int8:
		return int64(n), true
	case int16:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint:
		return uint64(n), true
	case uint8:
		return uint64(n), true
	case uint16:
		return uint64(n), true
	case uint32:
		return uint64(n), true
	case uint64:
		return n, true
	case float32:
		return float64(n), true
	case float64, bool:
		return n, true
	}
	return nil, false
}
