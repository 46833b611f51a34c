// Package typedstream reads the text out of NSArchiver "typedstream"
// archives, the legacy format of the attributedBody column in iMessage's
// sms.db. Recent iOS versions may leave message.text empty and keep the
// message only there, links included, so a spyware check that skipped it
// would miss the very URLs it looks for.
//
// The reader walks the stream's typed values generically (it needs no
// knowledge of the archived classes beyond their names), bounded in depth,
// in work and by the input's length: malformed or hostile bytes give an
// error, never a panic or a hang.
package typedstream

import (
	"errors"
	"fmt"
	"strings"
)

// Errors that Text and Strings wrap.
var (
	// ErrNotTypedStream means the header is not that of a typedstream.
	ErrNotTypedStream = errors.New("not a typedstream")
	// ErrTruncated means the stream ends inside a value.
	ErrTruncated = errors.New("truncated typedstream")
	// ErrMalformed means the stream breaks the format: an unknown tag or
	// type, a reference to nothing, a value of the wrong kind.
	ErrMalformed = errors.New("malformed typedstream")
	// ErrLimit means the stream nests too deeply or holds more values than
	// its length allows for.
	ErrLimit = errors.New("typedstream exceeds decoding limits")
	// ErrNoText means the stream holds no attributed string with text.
	ErrNoText = errors.New("no text in typedstream")
)

// errStop ends a walk once the caller has what it wants.
var errStop = errors.New("stop")

// Text returns the plain text of the NSAttributedString (or
// NSMutableAttributedString, or bare NSString) archived in b, such as a
// message.attributedBody. It reads no further than the text, so damage in
// the attribute runs that follow does not hide it. Invalid UTF-8 is replaced
// by U+FFFD rather than refused, so a corrupt row still yields its links.
func Text(b []byte) (string, error) {
	r := newReader(b)
	if err := r.header(); err != nil {
		return "", fmt.Errorf("typedstream: %w", err)
	}
	var text string
	found := false
	r.onString = func(s []byte, depth int) error {
		root := r.objs[r.objs[r.open[0]].class].family
		// The text is the root's own string (depth 1) or the string that is
		// the attributed string's first field (depth 2); strings nested
		// deeper are attribute keys and values.
		if depth == 1 && root&familyString != 0 || depth == 2 && root&familyAttributed != 0 {
			text, found = valid(s), true
			return errStop
		}
		return nil
	}
	err := r.walk()
	switch {
	case found:
		return text, nil
	case err != nil:
		return "", fmt.Errorf("typedstream: %w", err)
	}
	return "", fmt.Errorf("typedstream: %w", ErrNoText)
}

// Strings returns every NSString and NSMutableString body in b, in stream
// order: for an attributedBody, the text first, then attribute keys and
// values such as the URL behind an __kIMLinkAttributeName link. When the
// stream is damaged it returns the strings read before the damage together
// with the error, since those may still hold the link that matters.
func Strings(b []byte) ([]string, error) {
	r := newReader(b)
	if err := r.header(); err != nil {
		return nil, fmt.Errorf("typedstream: %w", err)
	}
	var out []string
	r.onString = func(s []byte, _ int) error {
		out = append(out, valid(s))
		return nil
	}
	if err := r.walk(); err != nil {
		return out, fmt.Errorf("typedstream: %w", err)
	}
	return out, nil
}

func valid(s []byte) string { return strings.ToValidUTF8(string(s), "\uFFFD") }
