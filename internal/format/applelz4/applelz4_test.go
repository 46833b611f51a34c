package applelz4

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// frame wraps an LZ4 block in a "bv41" header.
func frame(raw int, blk []byte) []byte {
	out := []byte(magicCompressed)
	out = binary.LittleEndian.AppendUint32(out, uint32(raw))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(blk)))
	return append(out, blk...)
}

// storedBlock is a "bv4-" block holding data.
func storedBlock(data []byte) []byte {
	out := binary.LittleEndian.AppendUint32([]byte(magicStored), uint32(len(data)))
	return append(out, data...)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

var end = []byte(magicEnd)

// abcBlock is "abc", then a 9-byte overlapping match at offset 3, then the literals "xyz".
var abcBlock = []byte{0x35, 'a', 'b', 'c', 3, 0, 0x30, 'x', 'y', 'z'}

// longLiterals is 20 literals, the length continued in a second byte (15 + 5).
var longLiterals = append([]byte{0xF0, 5}, []byte("0123456789abcdefghij")...)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty stream", end, ""},
		{"stored block", cat(storedBlock([]byte("plain")), end), "plain"},
		{"overlapping match", cat(frame(15, abcBlock), end), "abcabcabcabcxyz"},
		{"long literal run", cat(frame(20, longLiterals), end), "0123456789abcdefghij"},
		{"match reaches into the previous block", cat(storedBlock([]byte("hello")), frame(6, []byte{0x11, ' ', 6, 0}), end), "hello hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in, 1<<20)
			if err != nil || string(got) != tt.want {
				t.Errorf("Decode = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		limit int
		want  error
	}{
		{"no end marker", storedBlock([]byte("x")), 100, ErrFormat},
		{"unknown magic", []byte("bplist00"), 100, ErrFormat},
		{"stored block past the end", cat([]byte(magicStored), []byte{200, 0, 0, 0}, []byte("ab")), 1000, ErrFormat},
		{"compressed block past the end", cat([]byte(magicCompressed), []byte{3, 0, 0, 0, 99, 0, 0, 0}, []byte("x")), 100, ErrFormat},
		{"offset before the start", cat(frame(8, []byte{0x10, 'a', 9, 0}), end), 100, ErrFormat},
		{"zero offset", cat(frame(8, []byte{0x10, 'a', 0, 0}), end), 100, ErrFormat},
		{"decodes short of its header", cat(frame(9, []byte{0x20, 'a', 'b'}), end), 100, ErrFormat},
		{"decodes past its header", cat(frame(2, abcBlock), end), 100, ErrFormat},
		{"truncated length", cat(frame(300, []byte{0xF0, 255}), end), 1000, ErrFormat},
		{"truncated header", []byte("bv41\x01\x00"), 100, ErrFormat},
		{"over the limit", cat(frame(15, abcBlock), end), 10, ErrLimit},
		{"huge declared size", cat([]byte(magicCompressed), []byte{255, 255, 255, 127, 0, 0, 0, 0}, end), 1 << 20, ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in, tt.limit)
			if !errors.Is(err, tt.want) || got != nil {
				t.Errorf("Decode = %q, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestIsFramed(t *testing.T) {
	if !IsFramed(end) || !IsFramed(frame(1, []byte{0x10, 'a'})) || IsFramed([]byte("bplist00")) || IsFramed(nil) {
		t.Error("IsFramed misjudged")
	}
}
