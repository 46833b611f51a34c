package typedstream

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// header is a valid little-endian header.
var header = []byte("\x04\x0bstreamtyped\x81\xe8\x03")

func stream(parts ...string) []byte {
	return append(bytes.Clone(header), strings.Join(parts, "")...)
}

// literal is a new shared string (for a type string) of s.
func literal(s string) string { return "\x84" + string(rune(len(s))) + s }

func TestErrors(t *testing.T) {
	// nested wraps n NSArray-like objects, each holding the next.
	nested := func(n int) []byte {
		w := newWriter(false)
		var open func(int)
		open = func(i int) {
			w.shared("@")
			w.object([]string{"Box", "NSObject"}, func() {
				if i > 0 {
					open(i - 1)
				}
			})
		}
		open(n)
		return w.buf
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotTypedStream},
		{"short", []byte("\x04\x0bstream"), ErrNotTypedStream},
		{"bad signature", []byte("\x04\x0bstreamtypeX\x81\xe8\x03"), ErrNotTypedStream},
		{"signature length", []byte("\x04\x0cstreamtyped!\x81\xe8\x03"), ErrNotTypedStream},
		{"old streamer", []byte("\x03\x0bstreamtyped\x81\xe8\x03"), ErrNotTypedStream},
		{"header only", stream(), ErrNoText},
		{"truncated system version", []byte("\x04\x0bstreamtyped\x81\xe8"), ErrTruncated},
		{"nil type string", stream("\x85"), ErrMalformed},
		{"empty type string", stream("\x84\x00"), ErrMalformed},
		{"unknown type", stream("\x84\x01^\x00"), ErrMalformed},
		{"type reference out of range", stream("\x95"), ErrMalformed},
		{"tag for integer", stream("\x84\x01i\x86"), ErrMalformed},
		{"float tag for integer", stream("\x84\x01i\x83"), ErrMalformed},
		{"truncated int16", stream("\x84\x01i\x81\x01"), ErrTruncated},
		{"length past end", stream("\x84\x01+\x7f abc"), ErrTruncated},
		{"negative length", stream("\x84\x01+\x82\xff\xff\xff\xff"), ErrTruncated},
		{"array past end", stream("\x84\x05[99c]abc"), ErrTruncated},
		{"array without count", stream("\x84\x03[c]"), ErrMalformed},
		{"huge array count", stream(literal("[9999999999999c]")), ErrLimit},
		{"unterminated struct", stream("\x84\x03{ii"), ErrMalformed},
		{"type nested too deep", stream(literal(strings.Repeat("[1", 17) + "i" + strings.Repeat("]", 17))), ErrLimit},
		{"object reference out of range", stream("\x84\x01@\x99"), ErrMalformed},
		{"object without class", stream("\x84\x01@\x84\x85\x86"), ErrMalformed},
		{"class without name", stream("\x84\x01@\x84\x84\x85"), ErrMalformed},
		{"class chain into itself", stream("\x84\x01@\x84\x84\x84\x01A\x00\x93\x86"), ErrMalformed},
		{"class reference to object", stream("\x84\x01@\x84\x92\x86"), ErrMalformed},
		{"object reference to class", stream("\x84\x01@\x84\x84\x84\x01A\x00\x85\x86\x92\x93"), ErrMalformed},
		{"C string reference to object", stream("\x84\x01@\x84\x84\x84\x01A\x00\x85\x86\x84\x01*\x92"), ErrMalformed},
		{"unterminated object", stream("\x84\x01@\x84\x84\x84\x01A\x00\x85"), ErrTruncated},
		{"objects nested too deep", nested(maxDepth + 5), ErrLimit},
		{"empty arrays through references", stream("\x84\x0c[0c][0c][0c]" + strings.Repeat("\x92", 400)), ErrLimit},
		{"no string in stream", nested(3), ErrNoText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, err := Text(tt.data)
			if !errors.Is(err, tt.want) || text != "" {
				t.Errorf("Text = %q, %v; want error %v", text, err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "typedstream: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if _, err := Strings(tt.data); err == nil && tt.want != ErrNoText {
				t.Errorf("Strings accepted what Text refused")
			}
		})
	}
}

// TestTextNotRootString checks that a string deeper in the stream is not
// mistaken for the text when the attributed string's own string is nil.
func TestTextNotRootString(t *testing.T) {
	w := newWriter(false)
	w.shared("@")
	w.object([]string{"NSAttributedString", "NSObject"}, func() {
		w.shared("@")
		w.buf = append(w.buf, tagNil)
		w.shared("iI")
		w.int(1)
		w.int(0)
		w.dictionary(map[string]any{keyPart: "not the text"})
	})
	if got, err := Text(w.buf); !errors.Is(err, ErrNoText) {
		t.Errorf("Text = %q, %v; want ErrNoText", got, err)
	}
	got, err := Strings(w.buf)
	if want := []string{keyPart, "not the text"}; err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Strings = %q, %v; want %q", got, err, want)
	}
}

// TestTruncations cuts a blob at every length: each prefix must give the
// text (once it is complete) or an error, and Strings what it read so far.
func TestTruncations(t *testing.T) {
	const url = "https://example.test/a"
	text := "look " + url
	blob := attributedBody(text, []run{{5, map[string]any{keyPart: 0}}, {len(url), map[string]any{keyPart: 0, keyLink: link(url)}}}, true)
	textEnd := bytes.Index(blob, []byte(text)) + len(text)
	for n := 0; n < len(blob); n++ {
		got, err := Text(blob[:n])
		if n >= textEnd {
			if err != nil || got != text {
				t.Fatalf("prefix %d: Text = %q, %v; want the text", n, got, err)
			}
		} else if err == nil {
			t.Fatalf("prefix %d: Text = %q with no error", n, got)
		}
		strs, err := Strings(blob[:n])
		if err == nil && n != len(header) { // a bare header is an empty stream
			t.Fatalf("prefix %d: Strings = %q with no error", n, strs)
		}
		if n >= textEnd && (len(strs) == 0 || strs[0] != text) {
			t.Fatalf("prefix %d: Strings = %q, want the text first", n, strs)
		}
	}
}
