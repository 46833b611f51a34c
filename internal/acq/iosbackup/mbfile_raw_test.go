package iosbackup

import (
	"encoding/binary"
	"maps"
	"math"
	"slices"
)

// rawPlist writes binary plists byte by byte, for the encodings
// howett.net/plist never produces: other reference and offset widths,
// long-form counts, wide integers, lone UTF-16 surrogates.
type rawPlist struct {
	refSize, offSize int
	long             bool // write every count in the 0x_F long form
	pad              int  // filler bytes before the first object, to push offsets up
	objs             [][]byte
}

func (p *rawPlist) add(obj []byte) uint64 {
	p.objs = append(p.objs, obj)
	return uint64(len(p.objs) - 1)
}

// marker writes a type marker with its count.
func (p *rawPlist) marker(kind byte, n int) []byte {
	if n < 15 && !p.long {
		return []byte{kind<<4 | byte(n)}
	}
	switch {
	case n < 1<<8:
		return []byte{kind<<4 | 0xF, 0x10, byte(n)}
	case n < 1<<16:
		return binary.BigEndian.AppendUint16([]byte{kind<<4 | 0xF, 0x11}, uint16(n))
	}
	return binary.BigEndian.AppendUint32([]byte{kind<<4 | 0xF, 0x12}, uint32(n))
}

func (p *rawPlist) ascii(s string) uint64 {
	return p.add(append(p.marker(0x5, len(s)), s...))
}

func (p *rawPlist) utf16(units ...uint16) uint64 {
	b := p.marker(0x6, len(units))
	for _, u := range units {
		b = binary.BigEndian.AppendUint16(b, u)
	}
	return p.add(b)
}

// int writes v in 1<<log2 bytes; for 16 bytes v is the low half.
func (p *rawPlist) int(log2 int, v uint64) uint64 {
	b := []byte{0x10 | byte(log2)}
	if log2 == 4 {
		b = append(b, 0, 0, 0, 0, 0, 0, 0, 0)
	}
	return p.add(appendWidth(b, v, 1<<min(log2, 3)))
}

func (p *rawPlist) date(secs float64) uint64 {
	return p.add(binary.BigEndian.AppendUint64([]byte{0x33}, math.Float64bits(secs)))
}

func (p *rawPlist) real(v float64) uint64 {
	return p.add(binary.BigEndian.AppendUint64([]byte{0x23}, math.Float64bits(v)))
}

func (p *rawPlist) uid(width int, v uint64) uint64 {
	return p.add(appendWidth([]byte{0x80 | byte(width-1)}, v, width))
}

func (p *rawPlist) array(ids ...uint64) uint64 {
	b := p.marker(0xA, len(ids))
	for _, id := range ids {
		b = appendWidth(b, id, p.refSize)
	}
	return p.add(b)
}

// dict takes keys and values alternating.
func (p *rawPlist) dict(kv ...uint64) uint64 {
	b := p.marker(0xD, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		b = appendWidth(b, kv[i], p.refSize)
	}
	for i := 1; i < len(kv); i += 2 {
		b = appendWidth(b, kv[i], p.refSize)
	}
	return p.add(b)
}

func (p *rawPlist) bytes(top uint64) []byte {
	out := append([]byte("bplist00"), make([]byte, p.pad)...)
	offsets := make([]uint64, len(p.objs))
	for i, o := range p.objs {
		offsets[i] = uint64(len(out))
		out = append(out, o...)
	}
	table := uint64(len(out))
	for _, off := range offsets {
		out = appendWidth(out, off, p.offSize)
	}
	out = append(out, 0, 0, 0, 0, 0, 0, byte(p.offSize), byte(p.refSize))
	out = binary.BigEndian.AppendUint64(out, uint64(len(p.objs)))
	out = binary.BigEndian.AppendUint64(out, top)
	return binary.BigEndian.AppendUint64(out, table)
}

func appendWidth(b []byte, v uint64, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

// rawMBFile is an MBFile archive whose root dictionary holds fields, a map
// from key to object index that fill adds to p; fill may also return objects
// it wants in $objects, and it learns their positions from first.
func rawMBFile(p *rawPlist, fill func(p *rawPlist, first uint64) (fields map[string]uint64, extra []uint64)) []byte {
	null := p.ascii("$null")
	fields, extra := fill(p, 2)
	var kv []uint64
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		kv = append(kv, p.ascii(k), fields[k])
	}
	kv = append(kv, p.ascii("$class"), p.uid(1, uint64(2+len(extra))))
	root := p.dict(kv...)
	class := p.dict(p.ascii("$classname"), p.ascii("MBFile"),
		p.ascii("$classes"), p.array(p.ascii("MBFile"), p.ascii("NSObject")))
	objects := p.array(append(append([]uint64{null, root}, extra...), class)...)
	top := p.dict(p.ascii("root"), p.uid(1, 1))
	return p.bytes(p.dict(p.ascii("$archiver"), p.ascii("NSKeyedArchiver"),
		p.ascii("$version"), p.int(2, 100000), p.ascii("$top"), top, p.ascii("$objects"), objects))
}
