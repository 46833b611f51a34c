package typedstream

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// Head bytes. Heads 0x80..0x91 are tags; every other head is a literal
// one-byte integer or reference.
const (
	tagInt16 = 0x81 // an integer in the next 2 bytes
	tagInt32 = 0x82 // an integer in the next 4 bytes
	tagFloat = 0x83 // a float or double in the next 4 or 8 bytes
	tagNew   = 0x84 // a literal string, object or class follows
	tagNil   = 0x85 // nil
	tagEnd   = 0x86 // end of an object's fields

	firstTag = 0x80
	lastTag  = 0x91
	// refBias turns a stored reference number into a table index: numbers
	// start just above the tags, at -110.
	refBias = 110
)

// reader walks a typedstream. Only the little-endian form ("streamtyped")
// has been seen in Messages, but the big-endian one costs nothing.
type reader struct {
	b     []byte
	pos   int
	order binary.ByteOrder

	strs  [][]byte       // shared strings: type strings, class names
	types map[int][]*typ // parsed type strings, by shared-string index
	objs  []entry        // objects, classes and C strings, in stream order
	open  []int          // the literal objects being read, innermost last

	steps, maxSteps int
	// onString receives the body of every NSString read; returning errStop
	// ends the walk early.
	onString func(s []byte, depth int) error
}

// entry is one slot of the object table.
type entry struct {
	kind   entryKind
	name   string // class name
	super  int    // superclass slot, or -1
	class  int    // an object's class slot
	family family // a class's known base classes, its superclasses' included
}

type entryKind uint8

const (
	kindObject entryKind = iota + 1
	kindClass
	kindCString
)

// family records which Foundation string classes a class descends from.
type family uint8

const (
	familyString family = 1 << iota
	familyAttributed
)

func familyOf(class string) family {
	switch class {
	case "NSString", "NSMutableString":
		return familyString
	case "NSAttributedString", "NSMutableAttributedString":
		return familyAttributed
	}
	return 0
}

func newReader(b []byte) *reader {
	return &reader{b: b, types: map[int][]*typ{}, maxSteps: 2*len(b) + 64}
}

// errorf reports a failure at the current offset.
func (r *reader) errorf(kind error, format string, args ...any) error {
	return fmt.Errorf("byte %d: %s: %w", r.pos, fmt.Sprintf(format, args...), kind)
}

// header reads the streamer version, signature and system version.
func (r *reader) header() error {
	if len(r.b) < 2+11 {
		return r.errorf(ErrNotTypedStream, "%d bytes is too short for a header", len(r.b))
	}
	version, sigLen := r.b[0], r.b[1]
	sig := r.b[2 : 2+11]
	switch {
	case sigLen != 11:
		return r.errorf(ErrNotTypedStream, "signature length %d", sigLen)
	case bytes.Equal(sig, []byte("streamtyped")):
		r.order = binary.LittleEndian
	case bytes.Equal(sig, []byte("typedstream")):
		r.order = binary.BigEndian
	default:
		return r.errorf(ErrNotTypedStream, "signature %q", sig)
	}
	if version != 4 {
		return r.errorf(ErrNotTypedStream, "streamer version %d (only 4 is supported)", version)
	}
	r.pos = 2 + 11
	_, err := r.int(false)
	return err
}

func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.b) {
		return 0, r.errorf(ErrTruncated, "stream ends")
	}
	c := r.b[r.pos]
	r.pos++
	return c, nil
}

// bytes returns the next n bytes, which must all be present.
func (r *reader) bytes(n int64) ([]byte, error) {
	if n < 0 || n > int64(len(r.b)-r.pos) {
		return nil, r.errorf(ErrTruncated, "%d bytes wanted, %d left", n, len(r.b)-r.pos)
	}
	out := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return out, nil
}

func (r *reader) int(signed bool) (int64, error) {
	head, err := r.byte()
	if err != nil {
		return 0, err
	}
	return r.intFrom(head, signed)
}

// intFrom decodes an integer whose head byte has been read. Unsigned
// contexts (lengths, counts) read a literal head as 0..255 and wide forms
// unsigned, so a 40,000-byte text stored as 0x81 + 2 bytes is not negative.
func (r *reader) intFrom(head byte, signed bool) (int64, error) {
	switch {
	case head < firstTag || head > lastTag:
		if signed {
			return int64(int8(head)), nil
		}
		return int64(head), nil
	case head == tagInt16:
		b, err := r.bytes(2)
		if err != nil {
			return 0, err
		}
		if signed {
			return int64(int16(r.order.Uint16(b))), nil
		}
		return int64(r.order.Uint16(b)), nil
	case head == tagInt32:
		b, err := r.bytes(4)
		if err != nil {
			return 0, err
		}
		if signed {
			return int64(int32(r.order.Uint32(b))), nil
		}
		return int64(r.order.Uint32(b)), nil
	}
	r.pos--
	return 0, r.errorf(ErrMalformed, "tag 0x%02x where an integer belongs", head)
}

// float reads an 'f' (size 4) or 'd' (size 8); whole numbers may be stored
// as integers.
func (r *reader) float(size int64) (float64, error) {
	head, err := r.byte()
	if err != nil {
		return 0, err
	}
	if head != tagFloat {
		n, err := r.intFrom(head, true)
		return float64(n), err
	}
	b, err := r.bytes(size)
	if err != nil {
		return 0, err
	}
	if size == 4 {
		return float64(math.Float32frombits(r.order.Uint32(b))), nil
	}
	return math.Float64frombits(r.order.Uint64(b)), nil
}

// unshared reads a length-prefixed byte string; ok is false for nil.
func (r *reader) unshared() (s []byte, ok bool, err error) {
	head, err := r.byte()
	if err != nil {
		return nil, false, err
	}
	if head == tagNil {
		return nil, false, nil
	}
	n, err := r.intFrom(head, false)
	if err != nil {
		return nil, false, err
	}
	s, err = r.bytes(n)
	return s, err == nil, err
}

// shared reads a shared string: literal (and remembered) or a reference to
// one seen before. It returns its table index, or -1 for nil.
func (r *reader) shared() (int, error) {
	head, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch head {
	case tagNil:
		return -1, nil
	case tagNew:
		s, ok, err := r.unshared()
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, r.errorf(ErrMalformed, "literal shared string is nil")
		}
		r.strs = append(r.strs, s)
		return len(r.strs) - 1, nil
	}
	n, err := r.intFrom(head, true)
	if err != nil {
		return 0, err
	}
	if i := n + refBias; i >= 0 && i < int64(len(r.strs)) {
		return int(i), nil
	}
	return 0, r.errorf(ErrMalformed, "reference to shared string %d of %d", n+refBias, len(r.strs))
}

// ref decodes a reference into the object table and checks its kind.
func (r *reader) ref(head byte, want entryKind) (int, error) {
	n, err := r.intFrom(head, true)
	if err != nil {
		return 0, err
	}
	i := n + refBias
	if i < 0 || i >= int64(len(r.objs)) {
		return 0, r.errorf(ErrMalformed, "reference to object %d of %d", i, len(r.objs))
	}
	if r.objs[i].kind != want {
		return 0, r.errorf(ErrMalformed, "reference to object %d of the wrong kind", i)
	}
	return int(i), nil
}
