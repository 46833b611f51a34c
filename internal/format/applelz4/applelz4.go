// Package applelz4 decodes Apple's framed LZ4, the COMPRESSION_LZ4 format of libcompression:
// a run of blocks, each a "bv41" header (decoded size, encoded size, both 32-bit little
// endian) and a standard LZ4 block, or a "bv4-" header (size) and stored bytes, ended by
// "bv4$". Safari compresses the session state of its tabs (BrowserState.db) this way.
//
// Input comes from evidence, so every size is checked against the data and against the
// caller's limit before anything is allocated or copied.
package applelz4

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Errors that Decode wraps.
var (
	// ErrFormat means the data is not a well-formed framed LZ4 stream.
	ErrFormat = errors.New("not a valid Apple framed LZ4 stream")
	// ErrLimit means the stream decodes to more bytes than the caller allowed.
	ErrLimit = errors.New("lz4 stream exceeds the size limit")
)

// Block magics, as they appear in the stream.
const (
	magicCompressed = "bv41"
	magicStored     = "bv4-"
	magicEnd        = "bv4$"
)

// IsFramed reports whether data starts like a framed LZ4 stream.
func IsFramed(data []byte) bool {
	if len(data) < 4 {
		return false
	}
	switch string(data[:4]) {
	case magicCompressed, magicStored, magicEnd:
		return true
	}
	return false
}

// Decode returns the bytes the stream encodes, refusing to produce more than limit bytes.
// Matches may reach back into earlier blocks, as Apple's encoder keeps one history.
func Decode(data []byte, limit int) ([]byte, error) {
	var out []byte
	for {
		if len(data) < 4 {
			return nil, fmt.Errorf("stream ends without its end marker: %w", ErrFormat)
		}
		magic := string(data[:4])
		data = data[4:]
		var err error
		switch magic {
		case magicEnd:
			return out, nil
		case magicStored:
			out, data, err = stored(out, data, limit)
		case magicCompressed:
			out, data, err = compressed(out, data, limit)
		default:
			return nil, fmt.Errorf("unknown block magic %q: %w", magic, ErrFormat)
		}
		if err != nil {
			return nil, err
		}
	}
}

// stored appends a "bv4-" block's bytes and returns the rest of the stream.
func stored(out, data []byte, limit int) ([]byte, []byte, error) {
	n, data, err := size(data)
	if err != nil {
		return nil, nil, err
	}
	if n > len(data) {
		return nil, nil, fmt.Errorf("stored block of %d bytes, %d left: %w", n, len(data), ErrFormat)
	}
	if n > limit-len(out) {
		return nil, nil, fmt.Errorf("%d bytes after %d (limit %d): %w", n, len(out), limit, ErrLimit)
	}
	return append(out, data[:n]...), data[n:], nil
}

// compressed decodes a "bv41" block onto out and returns the rest of the stream.
func compressed(out, data []byte, limit int) ([]byte, []byte, error) {
	raw, data, err := size(data)
	if err != nil {
		return nil, nil, err
	}
	enc, data, err := size(data)
	if err != nil {
		return nil, nil, err
	}
	if enc > len(data) {
		return nil, nil, fmt.Errorf("compressed block of %d bytes, %d left: %w", enc, len(data), ErrFormat)
	}
	if raw > limit-len(out) {
		return nil, nil, fmt.Errorf("%d bytes after %d (limit %d): %w", raw, len(out), limit, ErrLimit)
	}
	out, err = block(out, data[:enc], raw)
	return out, data[enc:], err
}

// size reads a 32-bit little-endian size field.
func size(data []byte) (int, []byte, error) {
	if len(data) < 4 {
		return 0, nil, fmt.Errorf("truncated block header: %w", ErrFormat)
	}
	return int(binary.LittleEndian.Uint32(data)), data[4:], nil
}
