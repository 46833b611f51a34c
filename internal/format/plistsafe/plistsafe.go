// Package plistsafe decodes property lists that come from evidence, where
// every byte may have been chosen by an attacker.
//
// It wraps howett.net/plist, which is correct on honest input but unsafe on
// hostile input in three ways: a binary plist whose containers share
// children unfolds exponentially when converted to Go values; its XML and
// text parsers recurse once per nesting level, so a deeply nested document
// overflows the stack, which kills the process (it cannot be recovered);
// and it re-raises runtime panics such as an index out of range on a bad
// offset. Unmarshal checks the input before handing it over, so that each
// of these ends in an error instead.
package plistsafe

import (
	"bytes"
	"errors"
	"fmt"

	"howett.net/plist"
)

// Limits on what one plist may cost to decode. Real plists stay far below
// them: nesting rarely passes ten, and a large Info.plist holds a few
// thousand values.
const (
	// MaxDepth bounds how deeply containers (arrays, dictionaries, and in
	// XML the plist element) may nest, so recursion in the decoder and in
	// code that walks its result stays shallow.
	MaxDepth = 256
	// MaxNodes bounds how many values a binary plist may unfold into.
	MaxNodes = 1 << 20
	// MaxTextSize bounds OpenStep (text) plists that hold more than MaxDepth
	// opening brackets. Their nesting is not measured, so their size bounds
	// it instead: at this size the deepest possible document stays well
	// inside Go's stack limit.
	MaxTextSize = 512 << 10
)

// Errors that Unmarshal wraps, so callers can tell a damaged file from a
// hostile one.
var (
	// ErrInvalid means the data is not a plist the decoder can read: a
	// syntax error, a truncated file, or values that do not fit the target.
	ErrInvalid = errors.New("invalid plist")
	// ErrMalformed means a binary plist breaks its format in a way that
	// would crash the decoder (offsets out of range and the like), or the
	// decoder panicked.
	ErrMalformed = errors.New("malformed plist")
	// ErrCycle means a binary plist container holds itself.
	ErrCycle = errors.New("plist container holds itself")
	// ErrLimit means the plist nests too deeply or unfolds into too many
	// values to decode safely.
	ErrLimit = errors.New("plist exceeds decoding limits")
)

// Unmarshal decodes a binary, XML or OpenStep plist into v the way
// howett.net/plist's Unmarshal does, after checking that decoding it is
// bounded. Every failure is an error wrapping one of this package's errors;
// nothing in data can make it panic, overflow the stack, or unfold a small
// file into a huge value. On error v may be partly set.
func Unmarshal(data []byte, v any) (err error) {
	if err := check(data); err != nil {
		return err
	}
	// howett.net/plist recovers its own parse errors but re-raises runtime
	// errors; at this trust boundary those must become errors too, not end
	// the run.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plist decoder failed: %v: %w", r, ErrMalformed)
		}
	}()
	if _, err := plist.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// check picks the checks for the parser howett.net/plist will run on data.
func check(data []byte) error {
	switch {
	case bytes.HasPrefix(data, []byte("bplist")):
		return checkBinary(data)
	case xmlRoot(data):
		return checkXML(data)
	}
	return checkText(data)
}

// checkText bounds the nesting of an OpenStep plist. A document with at most
// MaxDepth opening brackets cannot nest deeper, whatever its size; counting
// bytes also covers UTF-16 input, where every '(' or '{' holds such a byte.
func checkText(data []byte) error {
	if len(data) <= MaxTextSize {
		return nil
	}
	if n := bytes.Count(data, []byte("(")) + bytes.Count(data, []byte("{")); n > MaxDepth {
		return fmt.Errorf("text plist of %d bytes with %d opening brackets (limits %d bytes, %d brackets): %w",
			len(data), n, MaxTextSize, MaxDepth, ErrLimit)
	}
	return nil
}
