// Package plisttest builds hostile plists for tests: inputs that would hang,
// exhaust memory or crash a program that handed them to howett.net/plist
// unchecked. Every reader of evidence plists can run Hostile through its
// own path to show that it refuses them with an error, quickly.
package plisttest

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// Object is one hand-encoded binary plist object.
type Object []byte

// ASCII is an ASCII string object of at most 14 bytes.
func ASCII(s string) Object { return append(Object{0x50 | byte(len(s))}, s...) }

// Array is an array object that refers to other objects by index, with
// two-byte references; it holds at most 14 of them.
func Array(refs ...int) Object {
	out := Object{0xA0 | byte(len(refs))}
	for _, r := range refs {
		out = binary.BigEndian.AppendUint16(out, uint16(r))
	}
	return out
}

// Binary lays objects out as a binary plist whose root is object top, with
// two-byte offsets and references, so that tests can build the graphs a
// plist writer never would: shared children, cycles, bad offsets.
func Binary(top uint64, objects ...Object) []byte {
	out := []byte("bplist00")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = len(out)
		out = append(out, o...)
	}
	tableOffset := len(out)
	for _, off := range offsets {
		out = binary.BigEndian.AppendUint16(out, uint16(off))
	}
	out = append(out, 0, 0, 0, 0, 0, 0, 2, 2)
	out = binary.BigEndian.AppendUint64(out, uint64(len(objects)))
	out = binary.BigEndian.AppendUint64(out, top)
	return binary.BigEndian.AppendUint64(out, uint64(tableOffset))
}

// SharedArrays is the classic expansion bomb: each level holds the previous
// one twice, so levels+1 objects unfold into 2^levels leaves.
func SharedArrays(levels int) []byte {
	objects := []Object{ASCII("x")}
	for i := 1; i <= levels; i++ {
		objects = append(objects, Array(i-1, i-1))
	}
	return Binary(uint64(levels), objects...)
}

// DeepBinary nests single-element arrays n deep in a binary plist.
func DeepBinary(n int) []byte {
	objects := []Object{ASCII("x")}
	for i := 1; i <= n; i++ {
		objects = append(objects, Array(i-1))
	}
	return Binary(uint64(n), objects...)
}

// DeepXML nests arrays n deep in a well-formed XML plist.
func DeepXML(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<plist version=\"1.0\">")
	b.WriteString(strings.Repeat("<array>", n))
	b.WriteString("<string>x</string>")
	b.WriteString(strings.Repeat("</array>", n))
	b.WriteString("</plist>\n")
	return b.Bytes()
}

// DeepText nests arrays n deep in an OpenStep plist.
func DeepText(n int) []byte {
	return []byte(strings.Repeat("(", n) + "x" + strings.Repeat(")", n))
}

// HugeUTF16 is a binary plist whose only object is a UTF-16 string claiming
// 2^63 characters. The library's bounds check overflows and it then asks
// for an impossible allocation, a runtime panic it does not recover.
func HugeUTF16() []byte {
	return Binary(0, Object{0x6F, 0x13, 0x80, 0, 0, 0, 0, 0, 0, 0})
}

// Hostile returns one plist of each hostile shape by name. Every one must
// be refused by a safe decoder, each well within a second.
func Hostile() map[string][]byte {
	inHeader := Binary(0, ASCII("ok"))
	inHeader[len(inHeader)-32-1] = 2 // the only object's offset, low byte
	return map[string][]byte{
		"shared-arrays":    SharedArrays(40),
		"deep-binary":      DeepBinary(1000),
		"binary-cycle":     Binary(0, Array(0)),
		"reference-beyond": Binary(0, Array(7)),
		"offset-in-header": inHeader,
		"huge-utf16":       HugeUTF16(),
		"deep-xml":         DeepXML(100_000),
		"deep-text":        DeepText(1 << 20),
	}
}
