package applelz4

import "testing"

// FuzzDecode checks that no input makes Decode panic, loop or exceed its limit.
func FuzzDecode(f *testing.F) {
	f.Add(cat(frame(15, abcBlock), end))
	f.Add(cat(storedBlock([]byte("hello")), frame(6, []byte{0x11, ' ', 6, 0}), end))
	f.Add(cat(frame(20, longLiterals), end))
	f.Add([]byte("bv41\xff\xff\xff\xff\x04\x00\x00\x00\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const limit = 1 << 16
		out, err := Decode(data, limit)
		if err == nil && len(out) > limit {
			t.Fatalf("decoded %d bytes past the limit", len(out))
		}
	})
}
