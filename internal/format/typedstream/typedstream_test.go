package typedstream

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

// Realistic attributedBody blobs for the one-part message "hi", as given
// byte by byte in public descriptions of the format: the plain form
// (NSAttributedString holding an NSString) and the mutable one
// (NSMutableAttributedString holding an NSMutableString).
const (
	publicHi = "040b73747265616d747970656481e803840140848484124e5341747472696275746564537472696e67008484084e534f626a656374008592848484084e53537472696e67019484012b02686986840269490102928484840c4e5344696374696f6e617279009484016901928496961d5f5f6b494d4d657373616765506172744174747269627574654e616d658692848484084e534e756d626572008484074e5356616c7565009484012a84999900868686"

	publicHiMutable = "040b73747265616d747970656481e803840140848484194e534d757461626c6541747472696275746564537472696e67008484124e5341747472696275746564537472696e67008484084e534f626a6563740085928484840f4e534d757461626c65537472696e67018484084e53537472696e67019584012b02686986840269490102928484840c4e5344696374696f6e617279009584016901928498981d5f5f6b494d4d657373616765506172744174747269627574654e616d658692848484084e534e756d626572008484074e5356616c7565009584012a849b9b00868686"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPublicBlobs checks the reader on the published bytes, and the test
// writer against them, so fixtures made by the writer are trustworthy.
func TestPublicBlobs(t *testing.T) {
	for _, tt := range []struct {
		name    string
		hex     string
		mutable bool
	}{{"plain", publicHi, false}, {"mutable", publicHiMutable, true}} {
		t.Run(tt.name, func(t *testing.T) {
			blob := mustHex(t, tt.hex)
			text, err := Text(blob)
			if err != nil || text != "hi" {
				t.Errorf("Text = %q, %v; want \"hi\"", text, err)
			}
			strs, err := Strings(blob)
			if want := []string{"hi", keyPart}; err != nil || !reflect.DeepEqual(strs, want) {
				t.Errorf("Strings = %q, %v; want %q", strs, err, want)
			}
			made := attributedBody("hi", []run{{2, map[string]any{keyPart: 0}}}, tt.mutable)
			if !bytes.Equal(made, blob) {
				t.Errorf("writer output differs from the public blob:\n got %x\nwant %x", made, blob)
			}
		})
	}
}

func TestTextLengthForms(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		lenBytes []byte // how the writer must store the length
	}{
		{"empty", "", []byte{0x00}},
		{"short", "Ok, np, thanks for trying", []byte{25}},
		{"127 bytes", strings.Repeat("a", 127), []byte{0x7f}},
		{"200 bytes", strings.Repeat("b", 200), []byte{0x81, 0xc8, 0x00}},
		{"32767 bytes", strings.Repeat("c", 32767), []byte{0x81, 0xff, 0x7f}},
		{"70000 bytes", strings.Repeat("d", 70000), []byte{0x82, 0x70, 0x11, 0x01, 0x00}},
		{"non-ASCII", "Sorry, I can’t hear you 😎 — привет", []byte{47}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blob := attributedBody(tt.text, []run{{len(tt.text), map[string]any{keyPart: 0}}}, false)
			marker := append([]byte{tagNew, 1, '+'}, tt.lenBytes...)
			if !bytes.Contains(blob, append(marker, tt.text...)) {
				t.Fatalf("blob lacks the length form %x", tt.lenBytes)
			}
			got, err := Text(blob)
			if err != nil || got != tt.text {
				t.Errorf("Text = %.40q (%d bytes), %v; want %.40q", got, len(got), err, tt.text)
			}
		})
	}
}

// TestTextWideUnsignedLength covers a length stored as 0x81 + 2 bytes above
// 32767, which only an unsigned reading gets right.
func TestTextWideUnsignedLength(t *testing.T) {
	text := strings.Repeat("é", 20000) // 40,000 bytes
	blob := attributedBody(text, nil, false)
	long := []byte{tagNew, 1, '+', tagInt32, 0x40, 0x9c, 0x00, 0x00}
	i := bytes.Index(blob, long)
	if i < 0 {
		t.Fatal("blob lacks the 4-byte length")
	}
	short := append(blob[:i:i], tagNew, 1, '+', tagInt16, 0x40, 0x9c)
	blob = append(short, blob[i+len(long):]...)
	if got, err := Text(blob); err != nil || got != text {
		t.Errorf("Text = %d bytes, %v; want %d bytes", len(got), err, len(text))
	}
}

func TestLinks(t *testing.T) {
	const url = "https://example.test/x?id=1"
	text := "see " + url + " now"
	runs := []run{
		{4, map[string]any{keyPart: 0}},
		{len(url), map[string]any{keyPart: 0, keyLink: link(url)}},
		{4, map[string]any{keyPart: 0}}, // back-reference to dictionary 1
	}
	for _, mutable := range []bool{false, true} {
		blob := attributedBody(text, runs, mutable)
		if got, err := Text(blob); err != nil || got != text {
			t.Errorf("mutable=%v: Text = %q, %v", mutable, got, err)
		}
		got, err := Strings(blob)
		want := []string{text, keyPart, keyLink, url, keyPart}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("mutable=%v: Strings = %q, %v; want %q", mutable, got, err, want)
		}
	}
}

// TestLinkOnlyInAttribute is the case that matters for spyware checks: the
// visible text hides the target, which only the attribute holds.
func TestLinkOnlyInAttribute(t *testing.T) {
	const target = "https://evil.example/payload"
	blob := attributedBody("Your parcel", []run{{11, map[string]any{keyLink: link(target), "label": "x"}}}, false)
	got, err := Strings(blob)
	if err != nil || !strings.Contains(strings.Join(got, "\n"), target) {
		t.Errorf("Strings = %q, %v; want it to include %s", got, err, target)
	}
}

func TestBigEndian(t *testing.T) {
	w := newWriter(true)
	w.attributed(strings.Repeat("x", 300), []run{{300, map[string]any{keyPart: 1}}}, false)
	if got, err := Text(w.buf); err != nil || got != strings.Repeat("x", 300) {
		t.Errorf("Text = %.20q, %v", got, err)
	}
}

func TestBareString(t *testing.T) {
	w := newWriter(false)
	w.nsString("plain", true)
	if got, err := Text(w.buf); err != nil || got != "plain" {
		t.Errorf("Text = %q, %v", got, err)
	}
}

func TestInvalidUTF8(t *testing.T) {
	blob := attributedBody("ok\xff", nil, false)
	if got, err := Text(blob); err != nil || got != "ok\uFFFD" {
		t.Errorf("Text = %q, %v", got, err)
	}
}

// BenchmarkText measures the per-message cost of reading attributedBody.
func BenchmarkText(b *testing.B) {
	blob := attributedBody("see https://example.test/x now", []run{{30, map[string]any{keyPart: 0, keyLink: link("https://example.test/x")}}}, false)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Text(blob); err != nil {
			b.Fatal(err)
		}
	}
}
