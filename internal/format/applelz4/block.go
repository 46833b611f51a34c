package applelz4

import (
	"fmt"
	"slices"
)

// block appends the n bytes that the LZ4 block src encodes. Each sequence is a token
// (literal length, match length), literals, then a 16-bit offset back into what was
// decoded so far and the match; the last sequence has literals only.
func block(out, src []byte, n int) ([]byte, error) {
	end := len(out) + n
	out = slices.Grow(out, n)
	for i := 0; i < len(src); {
		token := src[i]
		i++
		lit, next, err := length(src, i, int(token>>4))
		if err != nil {
			return nil, err
		}
		i = next
		if lit > len(src)-i || lit > end-len(out) {
			return nil, fmt.Errorf("%d literals overrun the block: %w", lit, ErrFormat)
		}
		out = append(out, src[i:i+lit]...)
		i += lit
		if i == len(src) {
			break
		}
		if len(src)-i < 2 {
			return nil, fmt.Errorf("truncated match offset: %w", ErrFormat)
		}
		off := int(src[i]) | int(src[i+1])<<8
		i += 2
		ml, next, err := length(src, i, int(token&0x0F))
		if err != nil {
			return nil, err
		}
		i = next
		ml += 4
		if off == 0 || off > len(out) || ml > end-len(out) {
			return nil, fmt.Errorf("match of %d bytes at offset %d after %d bytes: %w", ml, off, len(out), ErrFormat)
		}
		out = match(out, off, ml)
	}
	if len(out) != end {
		return nil, fmt.Errorf("block decodes to %d bytes, header says %d: %w", len(out)-(end-n), n, ErrFormat)
	}
	return out, nil
}

// length completes a 4-bit length field: 15 means more bytes follow, each added, until one
// is below 255.
func length(src []byte, i, n int) (int, int, error) {
	if n != 15 {
		return n, i, nil
	}
	for {
		if i >= len(src) {
			return 0, 0, fmt.Errorf("truncated length: %w", ErrFormat)
		}
		b := src[i]
		i++
		n += int(b)
		if n > 1<<30 {
			return 0, 0, fmt.Errorf("length over 1 GiB: %w", ErrFormat)
		}
		if b != 255 {
			return n, i, nil
		}
	}
}

// match appends ml bytes copied from off bytes back; capacity was reserved by block, so a
// non-overlapping copy is one append and an overlapping one (a repeated pattern) goes byte
// by byte.
func match(out []byte, off, ml int) []byte {
	from := len(out) - off
	if off >= ml {
		return append(out, out[from:from+ml]...)
	}
	for k := 0; k < ml; k++ {
		out = append(out, out[from+k])
	}
	return out
}
