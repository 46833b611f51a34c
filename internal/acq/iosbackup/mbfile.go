package iosbackup

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"math"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
)

// decodeMBFile reads the NSKeyedArchiver MBFile blob of a Manifest.db row into f.
//
// It runs once per row, hundreds of thousands of times per backup, so the
// binary plists iOS writes go through decodeMBFileFast (about ten times
// faster and allocation-free, BenchmarkDecodeMBFile); whatever that does not take, decodeMBFilePlist
// decodes, and the results of the two are the same by test and fuzzing.
func decodeMBFile(blob []byte, f *acq.File) error {
	if decodeMBFileFast(blob, f) {
		return nil
	}
	return decodeMBFilePlist(blob, f)
}

// decodeMBFilePlist decodes any MBFile plist through plistsafe, which bounds
// the work. It reads the archive's objects directly rather than through
// nskeyed.Decode: resolving the whole graph measured 1.3-1.4x slower.
func decodeMBFilePlist(blob []byte, f *acq.File) error {
	if len(blob) == 0 {
		return errors.New("no metadata")
	}
	var archive struct {
		Objects []any          `plist:"$objects"`
		Top     map[string]any `plist:"$top"`
	}
	if err := plistsafe.Unmarshal(blob, &archive); err != nil {
		return err
	}
	// UIDs are compared as uint64: int() turns those above 2^63 negative,
	// which passed the check and then panicked as an index.
	root, ok := archive.Top["root"].(plist.UID)
	if !ok || uint64(root) >= uint64(len(archive.Objects)) {
		return errors.New("MBFile: no root object")
	}
	obj, ok := archive.Objects[root].(map[string]any)
	if !ok {
		return errors.New("MBFile: root is not an object")
	}
	ref := func(key string) string {
		if uid, ok := obj[key].(plist.UID); ok && uint64(uid) < uint64(len(archive.Objects)) {
			s, _ := archive.Objects[uid].(string)
			return s
		}
		return ""
	}
	f.Size = toInt(obj["Size"])
	f.ModeBits = uint32(toInt(obj["Mode"]))
	f.Mode = posixMode(f.ModeBits)
	f.UserID = toInt(obj["UserID"])
	f.Birth = plistTime(obj["Birth"])
	f.Modified = plistTime(obj["LastModified"])
	f.Changed = plistTime(obj["LastStatusChange"])
	f.Target = ref("Target")
	return nil
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case uint64:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// plistTime accepts both encodings seen in backups: Unix seconds as integers (current iOS)
// and plist dates (older iOS). Zero means unknown.
func plistTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case int64, uint64, float64:
		if s := toInt(t); s > 0 {
			return time.Unix(s, 0).UTC()
		}
	}
	return time.Time{}
}

// The fast path's counterparts of toInt and plistTime follow them here, so
// that the two change together.

// integer is toInt of what the general decoder makes of object idx.
func (v *bplistView) integer(idx uint64) int64 {
	off, ok := v.offset(idx)
	if !ok {
		return 0
	}
	switch tag := v.data[off]; {
	case tag == 0x14: // 128-bit: howett.net/plist keeps the low half
		return int64(binary.BigEndian.Uint64(v.data[off+9:]))
	case tag>>4 == 0x1:
		return int64(be(v.data[off+1:], 1<<(tag&0x0F)))
	case tag == 0x23:
		return int64(math.Float64frombits(binary.BigEndian.Uint64(v.data[off+1:])))
	}
	// A 4-byte real becomes a float32, which toInt does not take.
	return 0
}

// time is plistTime of what the general decoder makes of object idx.
func (v *bplistView) time(idx uint64) time.Time {
	off, ok := v.offset(idx)
	if !ok {
		return time.Time{}
	}
	switch tag := v.data[off]; {
	case tag == 0x33:
		// The same arithmetic as howett.net/plist, so results match to the nanosecond.
		s := math.Float64frombits(binary.BigEndian.Uint64(v.data[off+1:])) + 978307200
		sec, frac := math.Modf(s)
		return time.Unix(int64(sec), int64(frac*float64(time.Second))).UTC()
	case tag>>4 == 0x1 || tag == 0x23:
		if s := v.integer(idx); s > 0 {
			return time.Unix(s, 0).UTC()
		}
	}
	return time.Time{}
}

// str returns object idx if it is a string, in a copy: the blob is
// SQLite's buffer, which the next row overwrites.
func (v *bplistView) str(idx uint64) string {
	off, ok := v.offset(idx)
	if !ok {
		return ""
	}
	switch v.data[off] >> 4 {
	case 0x5:
		n, s, _ := v.length(off)
		return string(v.data[s : s+n])
	case 0x6:
		n, s, _ := v.length(off)
		return utf16String(v.data[s : s+2*n])
	}
	return ""
}

// utf16String decodes big-endian UTF-16 as utf16.Decode does, lone
// surrogates becoming U+FFFD, into one allocation.
func utf16String(b []byte) string {
	size := 0
	for i := 0; i < len(b); {
		r, w := utf16Rune(b[i:])
		size += utf8.RuneLen(r)
		i += w
	}
	var sb strings.Builder
	sb.Grow(size)
	for i := 0; i < len(b); {
		r, w := utf16Rune(b[i:])
		sb.WriteRune(r)
		i += w
	}
	return sb.String()
}

// utf16Rune decodes the first character of b and reports how many bytes it took.
func utf16Rune(b []byte) (rune, int) {
	r := rune(binary.BigEndian.Uint16(b))
	switch {
	case r < 0xD800 || r >= 0xE000:
		return r, 2
	case r < 0xDC00 && len(b) >= 4:
		if r2 := rune(binary.BigEndian.Uint16(b[2:])); r2 >= 0xDC00 && r2 < 0xE000 {
			return utf16.DecodeRune(r, r2), 4
		}
	}
	return utf8.RuneError, 2
}

func posixMode(m uint32) fs.FileMode {
	mode := fs.FileMode(m & 0o777)
	switch m & 0o170000 {
	case 0o040000:
		mode |= fs.ModeDir
	case 0o120000:
		mode |= fs.ModeSymlink
	}
	return mode
}
