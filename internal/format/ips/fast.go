package ips

import "unicode/utf8"

// fastDecoder fills jsonBody values in one pass over the body, validating as it
// goes, instead of going through encoding/json, whose flex UnmarshalJSON methods
// re-validate the nested bytes at every level (O(depth × size)).
//
// It reproduces encoding/json's results for the inputs it accepts (same merging of
// repeated keys, same case-insensitive key match, same leniency as the flex types),
// and it is stricter than encoding/json where reproducing it would take more code:
// on a syntax error, a top-level value that is not an object or null, a struct-level
// key with escapes or non-ASCII bytes, or deep nesting it gives up, and readJSON
// decodes the whole body again through encoding/json, so that the result (errors
// included) is what the lenient types give.
type fastDecoder struct {
	b []byte
	i int
}

// fastMaxDepth is below encoding/json's own limit (10000), so that what this
// decoder accepts, encoding/json accepts too.
const fastMaxDepth = 1000

// errFast is the decoder's only failure: "use encoding/json instead".
type errFast struct{}

func (errFast) Error() string { return "ips: fast JSON decoder gave up" }

// fastReadJSON decodes body as readJSON does; false means it gave up, with rep
// possibly changed.
func (rep *Report) fastReadJSON(body []byte) (ok bool) {
	d := &fastDecoder{b: body}
	names, paths := map[string]bool{}, map[string]bool{}
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(errFast); !is {
				panic(r)
			}
			ok = false
		}
	}()
	for {
		d.ws()
		if d.i >= len(d.b) {
			return true
		}
		var jb jsonBody
		switch d.b[d.i] {
		case '{':
			d.object(0, func(key []byte, depth int) { d.bodyField(&jb, key, depth) })
		case 'n':
			d.literal("null")
		default:
			d.fail() // a non-object value: encoding/json reports a type error
		}
		rep.Body = BodyJSON
		rep.applyJSON(&jb, names, paths)
	}
}

func (d *fastDecoder) fail() { panic(errFast{}) }

func (d *fastDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space; it fails at the end of input.
func (d *fastDecoder) peek() byte {
	d.ws()
	if d.i >= len(d.b) {
		d.fail()
	}
	return d.b[d.i]
}

func (d *fastDecoder) literal(s string) {
	if len(d.b)-d.i < len(s) || string(d.b[d.i:d.i+len(s)]) != s {
		d.fail()
	}
	d.i += len(s)
}

// object reads an object (the next value must be one), calling field for each
// key with the decoder positioned at the key's value; field must consume it.
func (d *fastDecoder) object(depth int, field func(key []byte, depth int)) {
	if depth++; depth > fastMaxDepth {
		d.fail()
	}
	if d.peek() != '{' {
		d.fail()
	}
	d.i++
	if d.peek() == '}' {
		d.i++
		return
	}
	for {
		if d.peek() != '"' {
			d.fail()
		}
		key := d.str()
		if d.peek() != ':' {
			d.fail()
		}
		d.i++
		d.peek()
		field(key, depth)
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return
		default:
			d.fail()
		}
	}
}

// array reads an array (the next value must be one), calling elem for each
// element with the decoder positioned at it; elem must consume it.
func (d *fastDecoder) array(depth int, elem func(depth int)) {
	if depth++; depth > fastMaxDepth {
		d.fail()
	}
	if d.peek() != '[' {
		d.fail()
	}
	d.i++
	if d.peek() == ']' {
		d.i++
		return
	}
	for {
		d.peek()
		elem(depth)
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return
		default:
			d.fail()
		}
	}
}

// skip reads any value.
func (d *fastDecoder) skip(depth int) {
	switch c := d.peek(); {
	case c == '{':
		d.object(depth, func(_ []byte, depth int) { d.skip(depth) })
	case c == '[':
		d.array(depth, d.skip)
	case c == '"':
		d.str()
	case c == '-' || c >= '0' && c <= '9':
		d.number()
	case c == 't':
		d.literal("true")
	case c == 'f':
		d.literal("false")
	case c == 'n':
		d.literal("null")
	default:
		d.fail()
	}
}

// str reads a string and returns it with its quotes.
func (d *fastDecoder) str() []byte {
	start := d.i
	d.i++ // the opening quote
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return d.b[start:d.i]
		case c < 0x20:
			d.fail()
		case c == '\\':
			if d.i+1 >= len(d.b) {
				d.fail()
			}
			switch d.b[d.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				d.i += 2
			case 'u':
				if d.i+6 > len(d.b) {
					d.fail()
				}
				for _, h := range d.b[d.i+2 : d.i+6] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						d.fail()
					}
				}
				d.i += 6
			default:
				d.fail()
			}
		default:
			d.i++
		}
	}
	d.fail()
	return nil
}

// number reads a number and returns its text.
func (d *fastDecoder) number() []byte {
	start := d.i
	digits := func() int {
		n := 0
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.b[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.b) && d.b[d.i] == '0':
		d.i++
	case digits() == 0:
		d.fail()
	}
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		if digits() == 0 {
			d.fail()
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			d.fail()
		}
	}
	return d.b[start:d.i]
}

// unquote returns a string token's value as encoding/json does.
func unquote(tok []byte) string {
	in := tok[1 : len(tok)-1]
	for _, c := range in {
		if c == '\\' || c >= utf8.RuneSelf {
			if c == '\\' || !utf8.Valid(in) {
				return rawString(tok) // escapes or bad UTF-8: encoding/json's rules
			}
			break
		}
	}
	return string(in)
}

// flexString reads any value as flexString.UnmarshalJSON does: a string, a
// number's text, "" otherwise.
func (d *fastDecoder) flexString(depth int) flexString {
	switch c := d.peek(); {
	case c == '"':
		return flexString(unquote(d.str()))
	case c == '-' || c >= '0' && c <= '9':
		return flexString(d.number())
	}
	d.skip(depth)
	return ""
}

// flexInt reads any value as flexInt.UnmarshalJSON does.
func (d *fastDecoder) flexInt(depth int) flexInt {
	return flexInt{v: looseInt(string(d.flexString(depth))), set: true}
}

// structKey checks that a struct-level key can be matched byte-wise: keys with
// escapes or non-ASCII bytes (which encoding/json matches with Unicode case
// folding) make the decoder give up.
func (d *fastDecoder) structKey(key []byte) []byte {
	key = key[1 : len(key)-1]
	for _, c := range key {
		if c == '\\' || c >= utf8.RuneSelf {
			d.fail()
		}
	}
	return key
}

// is matches a key against a field name as encoding/json does for ASCII keys.
func is(key []byte, name string) bool {
	if len(key) != len(name) {
		return false
	}
	for i, c := range key {
		n := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'A' <= n && n <= 'Z' {
			n += 'a' - 'A'
		}
		if c != n {
			return false
		}
	}
	return true
}

// isObject and isArray say whether the next value opens an object or an array;
// flexObject, flexList and flexMap ignore other values.
func (d *fastDecoder) isObject() bool { return d.peek() == '{' }
func (d *fastDecoder) isArray() bool  { return d.peek() == '[' }

func (d *fastDecoder) bodyField(jb *jsonBody, rawKey []byte, depth int) {
	key := d.structKey(rawKey)
	switch {
	case is(key, "procName"):
		jb.ProcName = d.flexString(depth)
	case is(key, "procPath"):
		jb.ProcPath = d.flexString(depth)
	case is(key, "pid"):
		jb.PID = d.flexInt(depth)
	case is(key, "parentProc"):
		jb.ParentProc = d.flexString(depth)
	case is(key, "parentPid"):
		jb.ParentPID = d.flexInt(depth)
	case is(key, "coalitionName"):
		jb.CoalitionName = d.flexString(depth)
	case is(key, "userID"):
		jb.UserID = d.flexInt(depth)
	case is(key, "procLaunch"):
		jb.ProcLaunch = d.flexString(depth)
	case is(key, "captureTime"):
		jb.CaptureTime = d.flexString(depth)
	case is(key, "reason"):
		jb.Reason = d.flexString(depth)
	case is(key, "largestProcess"):
		jb.LargestProcess = d.flexString(depth)
	case is(key, "bundleInfo") && d.isObject():
		d.object(depth, func(k []byte, depth int) {
			if is(d.structKey(k), "CFBundleIdentifier") {
				jb.BundleInfo.v.ID = d.flexString(depth)
			} else {
				d.skip(depth)
			}
		})
	case is(key, "exception") && d.isObject():
		e := &jb.Exception.v
		d.object(depth, func(k []byte, depth int) {
			switch k := d.structKey(k); {
			case is(k, "type"):
				e.Type = d.flexString(depth)
			case is(k, "signal"):
				e.Signal = d.flexString(depth)
			default:
				d.skip(depth)
			}
		})
	case is(key, "termination") && d.isObject():
		t := &jb.Termination.v
		d.object(depth, func(k []byte, depth int) {
			switch k := d.structKey(k); {
			case is(k, "namespace"):
				t.Namespace = d.flexString(depth)
			case is(k, "code"):
				t.Code = d.flexInt(depth)
			case is(k, "indicator"):
				t.Indicator = d.flexString(depth)
			case is(k, "reasons") && d.isArray():
				v := flexList[flexString]{}
				d.array(depth, func(depth int) { v = append(v, d.flexString(depth)) })
				t.Reasons = v
			default:
				d.skip(depth)
			}
		})
	case is(key, "usedImages") && d.isArray():
		v := flexList[flexObject[image]]{}
		d.array(depth, func(depth int) {
			var im flexObject[image]
			if d.isObject() {
				d.object(depth, func(k []byte, depth int) {
					if is(d.structKey(k), "path") {
						im.v.Path = d.flexString(depth)
					} else {
						d.skip(depth)
					}
				})
			} else {
				d.skip(depth)
			}
			v = append(v, im)
		})
		jb.UsedImages = v
	case is(key, "processByPid") && d.isObject():
		v := flexMap[flexObject[process]]{}
		d.object(depth, func(k []byte, depth int) {
			v[unquote(k)] = d.process(depth)
		})
		jb.ProcessByPid = v
	case is(key, "processes") && d.isArray():
		v := flexList[flexObject[process]]{}
		d.array(depth, func(depth int) { v = append(v, d.process(depth)) })
		jb.Processes = v
	default:
		d.skip(depth)
	}
}

// process reads an entry of processByPid or processes.
func (d *fastDecoder) process(depth int) flexObject[process] {
	var p flexObject[process]
	if !d.isObject() {
		d.skip(depth)
		return p
	}
	d.object(depth, func(k []byte, depth int) {
		switch k := d.structKey(k); {
		case is(k, "procname"):
			p.v.Procname = d.flexString(depth)
		case is(k, "name"):
			p.v.Name = d.flexString(depth)
		default:
			d.skip(depth)
		}
	})
	return p
}
