package archive

import (
	"bytes"
	"strconv"
	"strings"
)

// sniffLen covers a tar header block, the longest of the signatures.
const sniffLen = 512

const (
	formatZip  = "zip"
	formatTar  = "tar"
	formatGzip = "tar.gz"
)

// sniff recognises an archive by its first bytes: names lie (a ".zip" that is a tar, a
// sysdiagnose renamed by a helpline), bytes do not.
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return formatGzip
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return formatZip
	case len(head) >= 263 && bytes.Equal(head[257:262], []byte("ustar")):
		return formatTar
	case isOldTar(head):
		return formatTar
	}
	return ""
}

// isOldTar recognises a pre-POSIX tar header, which has no magic, by its checksum: the sum
// of the header's bytes with the checksum field counted as spaces. Old tars summed signed
// bytes, so both sums are accepted.
func isOldTar(head []byte) bool {
	if len(head) < sniffLen || head[0] == 0 {
		return false
	}
	field := strings.Trim(string(head[148:156]), " \x00")
	want, err := strconv.ParseInt(field, 8, 64)
	if err != nil {
		return false
	}
	var unsigned, signed int64
	for i, b := range head[:sniffLen] {
		if 148 <= i && i < 156 {
			b = ' '
		}
		unsigned += int64(b)
		signed += int64(int8(b))
	}
	return want == unsigned || want == signed
}
