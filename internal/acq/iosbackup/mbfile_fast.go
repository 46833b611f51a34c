package iosbackup

import (
	"encoding/binary"

	"github.com/vigil-project/vigil/internal/acq"
)

// Bounds of the archives decodeMBFileFast reads itself. An MBFile holds a few
// dozen objects nested four deep; anything larger goes to the general decoder,
// so these bound the fast path's work, not what Vigil accepts.
const (
	fastMaxObjects = 512
	fastMaxDepth   = 16
	fastMaxVisits  = 4096
)

// noObject marks an archive key that was not found.
const noObject = ^uint64(0)

// bplistView reads objects straight out of a binary plist's bytes.
type bplistView struct {
	data    []byte
	table   uint64 // start of the offset table, which is where objects must end
	offSize uint64
	refSize uint64
	count   uint64 // number of objects
	top     uint64
	visits  int
	seen    [fastMaxObjects / 64]uint64 // containers walked so far
}

// decodeMBFileFast is decodeMBFile for the archives iOS writes, without
// building Go values for the whole archive: at 300,000 rows per backup the
// reflection and maps of plistsafe.Unmarshal cost seconds. It reports false,
// leaving f alone, for anything it does not fully understand, and then the
// general decoder decides. So that it never accepts what that decoder
// refuses, it first checks every object the archive reaches at least as
// strictly as plistsafe and howett.net/plist do; FuzzMBFileFast holds it to
// identical results.
func decodeMBFileFast(blob []byte, f *acq.File) bool {
	var v bplistView
	var archive [len(archiveKeys)]uint64
	var top [len(topKeys)]uint64
	var fields [len(rootKeys)]uint64
	if !v.open(blob) || !v.walk(v.top, 0) || !v.lookup(v.top, archiveKeys[:], archive[:]) {
		return false
	}
	nobj, objects, ok := v.container(archive[0], 0xA)
	if !ok || !v.lookup(archive[1], topKeys[:], top[:]) {
		return false
	}
	root, ok := v.uid(top[0])
	if !ok || root >= nobj || !v.lookup(v.ref(objects+root*v.refSize), rootKeys[:], fields[:]) {
		return false
	}
	f.Size = v.integer(fields[0])
	f.ModeBits = uint32(v.integer(fields[1]))
	f.Mode = posixMode(f.ModeBits)
	f.UserID = v.integer(fields[2])
	f.Birth = v.time(fields[3])
	f.Modified = v.time(fields[4])
	f.Changed = v.time(fields[5])
	f.Target = ""
	if uid, ok := v.uid(fields[6]); ok && uid < nobj {
		f.Target = v.str(v.ref(objects + uid*v.refSize))
	}
	return true
}

// The keys decodeMBFileFast looks up, in the order it reads their values.
var (
	archiveKeys = [...]string{"$objects", "$top"}
	topKeys     = [...]string{"root"}
	rootKeys    = [...]string{"Size", "Mode", "UserID", "Birth", "LastModified", "LastStatusChange", "Target"}
)

// lookup sets out[i] to the object under names[i] in dictionary idx, or to
// noObject; with duplicate keys the last one wins, as in the Go map the
// general decoder builds.
func (v *bplistView) lookup(idx uint64, names []string, out []uint64) bool {
	n, start, ok := v.container(idx, 0xD)
	if !ok {
		return false
	}
	for i := range out {
		out[i] = noObject
	}
	for i := range n {
		key := v.key(start, i)
		for j, name := range names {
			if string(key) == name {
				out[j] = v.ref(start + (n+i)*v.refSize)
			}
		}
	}
	return true
}

// open reads the trailer, refusing what howett.net/plist or plistsafe
// would refuse and the widths iOS never writes.
func (v *bplistView) open(data []byte) bool {
	if len(data) < 40 || string(data[:8]) != "bplist00" {
		return false
	}
	end := uint64(len(data) - 32)
	t := data[end:]
	v.data = data
	v.offSize, v.refSize = uint64(t[6]), uint64(t[7])
	v.count = binary.BigEndian.Uint64(t[8:])
	v.top = binary.BigEndian.Uint64(t[16:])
	v.table = binary.BigEndian.Uint64(t[24:])
	switch {
	case v.offSize != 1 && v.offSize != 2 && v.offSize != 4 && v.offSize != 8:
		return false
	// howett.net/plist computes 1<<64 for 8-byte references and so refuses them.
	case v.refSize != 1 && v.refSize != 2 && v.refSize != 4:
		return false
	case v.count == 0 || v.count > fastMaxObjects || v.top >= v.count:
		return false
	case v.refSize == 1 && v.count > 256:
		return false
	case v.table < 9 || v.table >= end || end-v.table != v.count*v.offSize:
		return false
	case v.offSize < 8 && v.table >= 1<<(8*v.offSize):
		return false
	}
	return true
}

// be reads a big-endian unsigned integer of width 1, 2, 4 or 8 bytes.
func be(b []byte, width uint64) uint64 {
	switch width {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.BigEndian.Uint16(b))
	case 4:
		return uint64(binary.BigEndian.Uint32(b))
	}
	return binary.BigEndian.Uint64(b)
}

// offset returns where object idx starts; ok is false outside the object area.
func (v *bplistView) offset(idx uint64) (uint64, bool) {
	if idx >= v.count {
		return 0, false
	}
	off := be(v.data[v.table+idx*v.offSize:], v.offSize)
	return off, off >= 8 && off < v.table
}

// ref reads the object reference at pos, which walk has bounds-checked.
func (v *bplistView) ref(pos uint64) uint64 { return be(v.data[pos:], v.refSize) }

// length reads the element count of the object at off, in its short form
// (the marker's low nibble) or its long form (an integer object after a
// 0x_F marker), and where the elements start.
func (v *bplistView) length(off uint64) (n, start uint64, ok bool) {
	if n := uint64(v.data[off] & 0x0F); n != 0x0F {
		return n, off + 1, true
	}
	if v.table-off < 2 {
		return 0, 0, false
	}
	m := v.data[off+1]
	if m>>4 != 1 || m&0x0F > 3 {
		return 0, 0, false
	}
	width := uint64(1) << (m & 0x0F)
	if v.table-off-2 < width {
		return 0, 0, false
	}
	return be(v.data[off+2:], width), off + 2 + width, true
}

// walk checks object idx and everything it contains. Containers may be
// reached once only: that rules out the cycles and the shared children that
// plistsafe limits, and keeps the work linear in the visits.
func (v *bplistView) walk(idx uint64, depth int) bool {
	v.visits++
	off, ok := v.offset(idx)
	if !ok || v.visits > fastMaxVisits || depth > fastMaxDepth {
		return false
	}
	tag, room := v.data[off], v.table-off
	switch tag >> 4 {
	case 0x0: // null and fill are refused by howett.net/plist
		return tag == 0x08 || tag == 0x09
	case 0x1:
		return tag&0x0F <= 4 && room > 1<<(tag&0x0F)
	case 0x2:
		return (tag == 0x22 && room > 4) || (tag == 0x23 && room > 8)
	case 0x3:
		return tag == 0x33 && room > 8
	case 0x8:
		w := uint64(tag&0x0F) + 1
		return (w == 1 || w == 2 || w == 4 || w == 8) && room > w
	case 0x4, 0x5:
		n, start, ok := v.length(off)
		return ok && n <= v.table-start
	case 0x6:
		n, start, ok := v.length(off)
		return ok && n <= (v.table-start)/2
	case 0xA, 0xD:
		return v.walkContainer(idx, off, depth)
	}
	return false
}

// walkContainer walks an array's elements or a dictionary's keys and values.
func (v *bplistView) walkContainer(idx, off uint64, depth int) bool {
	if v.seen[idx/64]&(1<<(idx%64)) != 0 {
		return false
	}
	v.seen[idx/64] |= 1 << (idx % 64)
	n, start, ok := v.length(off)
	if !ok {
		return false
	}
	refs, dict := n, v.data[off]>>4 == 0xD
	room := (v.table - start) / v.refSize
	if dict {
		if n > room/2 {
			return false
		}
		refs = 2 * n
	}
	if refs > room {
		return false
	}
	for i := range refs {
		child := v.ref(start + i*v.refSize)
		if !v.walk(child, depth+1) {
			return false
		}
		// Keys must be strings; iOS writes them in ASCII.
		if off, _ := v.offset(child); dict && i < n && v.data[off]>>4 != 0x5 {
			return false
		}
	}
	return true
}

// container returns the element count of object idx and where its
// references start, if it has the type kind (0xA array, 0xD dictionary).
func (v *bplistView) container(idx uint64, kind byte) (n, start uint64, ok bool) {
	off, ok := v.offset(idx)
	if !ok || v.data[off]>>4 != kind {
		return 0, 0, false
	}
	return v.length(off)
}

// key returns the bytes of the i-th key of a walked dictionary.
func (v *bplistView) key(start, i uint64) []byte {
	off, _ := v.offset(v.ref(start + i*v.refSize))
	n, s, _ := v.length(off)
	return v.data[s : s+n]
}

// uid returns the value of object idx if it is a UID.
func (v *bplistView) uid(idx uint64) (uint64, bool) {
	off, ok := v.offset(idx)
	if !ok || v.data[off]>>4 != 0x8 {
		return 0, false
	}
	return be(v.data[off+1:], uint64(v.data[off]&0x0F)+1), true
}
