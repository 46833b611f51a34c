package plistsafe

import (
	"encoding/binary"
	"fmt"
)

// bplist is the part of a binary plist that checkBinary needs.
type bplist struct {
	data        []byte
	offsetSize  int
	refSize     int
	numObjects  uint64
	tableOffset uint64
	// size memoises each object's expanded size; 0 means not yet visited and
	// inProgress marks objects on the current path.
	size []uint64
}

const inProgress = ^uint64(0)

// checkBinary walks a binary plist's object graph the way howett.net/plist
// will and refuses graphs it cannot decode safely. The library caches
// objects by index while parsing, so containers may share children, but it
// then copies every shared child into the []any/map result: twenty nested
// arrays that each hold the previous one twice are a 200-byte file and a
// million-node result. The walk bounds that expansion and the nesting depth,
// and rejects the offsets that would make the library index out of range.
func checkBinary(data []byte) error {
	if len(data) < 8+32 {
		return fmt.Errorf("binary plist of %d bytes is truncated: %w", len(data), ErrInvalid)
	}
	t := data[len(data)-32:]
	b := &bplist{
		data:        data,
		offsetSize:  int(t[6]),
		refSize:     int(t[7]),
		numObjects:  binary.BigEndian.Uint64(t[8:]),
		tableOffset: binary.BigEndian.Uint64(t[24:]),
	}
	top := binary.BigEndian.Uint64(t[16:])
	body := uint64(len(data) - 32)
	switch {
	case b.offsetSize < 1 || b.offsetSize > 8 || b.refSize < 1 || b.refSize > 8:
		return fmt.Errorf("binary plist: offset size %d, reference size %d: %w", b.offsetSize, b.refSize, ErrMalformed)
	case b.tableOffset < 8 || b.tableOffset > body:
		return fmt.Errorf("binary plist: offset table at %d: %w", b.tableOffset, ErrMalformed)
	case b.numObjects > (body-b.tableOffset)/uint64(b.offsetSize):
		return fmt.Errorf("binary plist: %d objects do not fit the offset table: %w", b.numObjects, ErrMalformed)
	case top >= b.numObjects:
		return fmt.Errorf("binary plist: top object %d of %d: %w", top, b.numObjects, ErrMalformed)
	}
	b.size = make([]uint64, b.numObjects)
	_, err := b.visit(top, 0)
	return err
}

// visit returns the number of values object idx expands into.
func (b *bplist) visit(idx uint64, depth int) (uint64, error) {
	if idx >= b.numObjects {
		return 0, fmt.Errorf("binary plist: reference to object %d of %d: %w", idx, b.numObjects, ErrMalformed)
	}
	switch b.size[idx] {
	case inProgress:
		return 0, fmt.Errorf("binary plist: object %d contains itself: %w", idx, ErrCycle)
	case 0:
	default:
		return b.size[idx], nil
	}
	if depth > MaxDepth {
		return 0, fmt.Errorf("binary plist: nesting deeper than %d: %w", MaxDepth, ErrLimit)
	}
	off := b.uint(b.tableOffset+idx*uint64(b.offsetSize), b.offsetSize)
	// Offsets inside the 8-byte header make the library read before the
	// buffer when it decodes odd-sized integers.
	if off < 8 || off >= b.tableOffset {
		return 0, fmt.Errorf("binary plist: object %d at offset %d: %w", idx, off, ErrMalformed)
	}
	refs, start, err := b.children(off)
	if err != nil {
		return 0, fmt.Errorf("binary plist: object %d: %w", idx, err)
	}
	b.size[idx] = inProgress
	total := uint64(1)
	for i := range refs {
		n, err := b.visit(b.uint(start+i*uint64(b.refSize), b.refSize), depth+1)
		if err != nil {
			return 0, err
		}
		total += n
		if total > MaxNodes {
			return 0, fmt.Errorf("binary plist expands to more than %d values: %w", MaxNodes, ErrLimit)
		}
	}
	b.size[idx] = total
	return total, nil
}

// children returns how many object references the object at off holds (0
// for scalars) and where they start.
func (b *bplist) children(off uint64) (count, start uint64, err error) {
	tag := b.data[off]
	var perEntry uint64
	switch tag >> 4 {
	case 0xA: // array
		perEntry = 1
	case 0xD: // dictionary: keys then values
		perEntry = 2
	default:
		return 0, 0, nil
	}
	count, start = uint64(tag&0x0F), off+1
	if count == 0x0F {
		// A long count is an integer object right after the marker.
		if start >= b.tableOffset {
			return 0, 0, fmt.Errorf("count past the object area: %w", ErrMalformed)
		}
		width := uint64(1) << (b.data[start] & 0x0F)
		if width > 8 || start+1+width > b.tableOffset {
			return 0, 0, fmt.Errorf("count of %d bytes: %w", width, ErrMalformed)
		}
		count = b.uint(start+1, int(width))
		start += 1 + width
	}
	room := (b.tableOffset - start) / uint64(b.refSize)
	if count > room || count*perEntry > room {
		return 0, 0, fmt.Errorf("%d entries overrun the object area: %w", count, ErrMalformed)
	}
	return count * perEntry, start, nil
}

// uint reads a big-endian unsigned integer of width bytes; callers have
// checked that it lies inside the data.
func (b *bplist) uint(off uint64, width int) uint64 {
	var n uint64
	for _, c := range b.data[off : off+uint64(width)] {
		n = n<<8 | uint64(c)
	}
	return n
}
