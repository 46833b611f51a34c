package typedstream

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// writer produces typedstreams the way NSArchiver does, keeping the same
// shared-string and object tables a reader rebuilds, so fixtures can be made
// for any text instead of copied from devices.
type writer struct {
	buf     []byte
	order   binary.AppendByteOrder
	strs    map[string]int // shared strings by index
	objs    int            // object slots handed out
	classes map[string]int // class slots by name
	cstrs   map[string]int // C string slots by content
}

// Attribute keys iMessage writes.
const (
	keyPart = "__kIMMessagePartAttributeName"
	keyLink = "__kIMLinkAttributeName"
)

// link is an attribute value archived as an NSURL.
type link string

// run is one attribute run: a length in UTF-16 code units and its
// attributes (int values become NSNumbers, strings NSStrings, links NSURLs).
type run struct {
	length int
	attrs  map[string]any
}

func newWriter(bigEndian bool) *writer {
	w := &writer{order: binary.LittleEndian, strs: map[string]int{}, classes: map[string]int{}, cstrs: map[string]int{}}
	sig := "streamtyped"
	if bigEndian {
		w.order, sig = binary.BigEndian, "typedstream"
	}
	w.buf = append([]byte{4, byte(len(sig))}, sig...)
	w.int(1000)
	return w
}

// int writes an integer in its shortest form: one byte when it fits a
// signed byte outside the tag range, else 0x81 + 2 bytes, else 0x82 + 4.
func (w *writer) int(v int) {
	switch {
	case v >= -110 && v <= 127:
		w.buf = append(w.buf, byte(int8(v)))
	case v >= -1<<15 && v < 1<<15:
		w.buf = w.order.AppendUint16(append(w.buf, tagInt16), uint16(v))
	default:
		w.buf = w.order.AppendUint32(append(w.buf, tagInt32), uint32(v))
	}
}

func (w *writer) unshared(s string) {
	w.int(len(s))
	w.buf = append(w.buf, s...)
}

func (w *writer) shared(s string) {
	if i, ok := w.strs[s]; ok {
		w.int(i - refBias)
		return
	}
	w.buf = append(w.buf, tagNew)
	w.unshared(s)
	w.strs[s] = len(w.strs)
}

// object writes a literal object of the class chain (most derived first)
// whose fields body writes.
func (w *writer) object(chain []string, body func()) {
	w.buf = append(w.buf, tagNew)
	w.objs++
	for _, name := range chain {
		if slot, ok := w.classes[name]; ok {
			w.int(slot - refBias)
			body()
			w.buf = append(w.buf, tagEnd)
			return
		}
		w.buf = append(w.buf, tagNew)
		w.shared(name)
		if name == "NSString" || name == "NSMutableString" {
			w.int(1)
		} else {
			w.int(0)
		}
		w.classes[name] = w.objs
		w.objs++
	}
	w.buf = append(w.buf, tagNil)
	body()
	w.buf = append(w.buf, tagEnd)
}

func (w *writer) cString(s string) {
	if slot, ok := w.cstrs[s]; ok {
		w.int(slot - refBias)
		return
	}
	w.buf = append(w.buf, tagNew)
	w.shared(s)
	w.cstrs[s] = w.objs
	w.objs++
}

func (w *writer) nsString(s string, mutable bool) {
	chain := []string{"NSString", "NSObject"}
	if mutable {
		chain = append([]string{"NSMutableString"}, chain...)
	}
	w.shared("@")
	w.object(chain, func() {
		w.shared("+")
		w.unshared(s)
	})
}

// value writes one attribute value as an "@" group.
func (w *writer) value(v any) {
	switch v := v.(type) {
	case string:
		w.nsString(v, false)
	case int:
		w.shared("@")
		w.object([]string{"NSNumber", "NSValue", "NSObject"}, func() {
			w.shared("*")
			w.cString("i")
			w.shared("i")
			w.int(v)
		})
	case link:
		w.shared("@")
		w.object([]string{"NSURL", "NSObject"}, func() {
			w.shared("c")
			w.buf = append(w.buf, 0) // no base URL
			w.nsString(string(v), false)
		})
	default:
		panic(fmt.Sprintf("writer: no archiving for %T", v))
	}
}

// attributedBody archives text with its attribute runs as Messages does:
// the string, then per run (dictionary index, length) and each dictionary
// the first time it is used.
func attributedBody(text string, runs []run, mutable bool) []byte {
	w := newWriter(false)
	w.attributed(text, runs, mutable)
	return w.buf
}

func (w *writer) attributed(text string, runs []run, mutable bool) {
	chain := []string{"NSAttributedString", "NSObject"}
	if mutable {
		chain = append([]string{"NSMutableAttributedString"}, chain...)
	}
	w.shared("@")
	w.object(chain, func() {
		w.nsString(text, mutable)
		var seen []string
		for _, r := range runs {
			id := fmt.Sprint(r.attrs) // fmt sorts map keys: a stable identity
			index := slices.Index(seen, id)
			w.shared("iI")
			if index >= 0 {
				w.int(index + 1)
				w.int(r.length)
				continue
			}
			seen = append(seen, id)
			w.int(len(seen))
			w.int(r.length)
			w.dictionary(r.attrs)
		}
	})
}

func (w *writer) dictionary(attrs map[string]any) {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.shared("@")
	w.object([]string{"NSDictionary", "NSObject"}, func() {
		w.shared("i")
		w.int(len(keys))
		for _, k := range keys {
			w.nsString(k, false)
			w.value(attrs[k])
		}
	})
}
