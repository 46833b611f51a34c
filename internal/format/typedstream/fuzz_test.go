package typedstream

import (
	"flag"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vigil-project/vigil/internal/format/formattest"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points; they are also checked in under
// testdata/fuzz/FuzzText.
func seeds(t testing.TB) map[string][]byte {
	const url = "https://example.test/x"
	linked := attributedBody("go "+url, []run{
		{3, map[string]any{keyPart: 0}},
		{len(url), map[string]any{keyPart: 0, keyLink: link(url)}},
	}, true)
	long := attributedBody(strings.Repeat("é", 150), []run{{150, map[string]any{keyPart: 0}}}, false)
	return map[string][]byte{
		"public-hi":         mustHex(t, publicHi),
		"public-hi-mutable": mustHex(t, publicHiMutable),
		"link":              linked,
		"long":              long,
		"truncated":         linked[:len(linked)/2],
		"garbage":           []byte("\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\xff"),
	}
}

func FuzzText(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := Text(data)
		if err != nil && text != "" {
			t.Errorf("Text returned %q with error %v", text, err)
		}
		if !utf8.ValidString(text) {
			t.Errorf("Text returned invalid UTF-8 %q", text)
		}
		strs, _ := Strings(data)
		// Strings walks further than Text, so it has seen Text's string
		// whatever happened after it.
		if err == nil && !slices.Contains(strs, text) {
			t.Errorf("Strings = %q lacks the text %q", strs, text)
		}
	})
}

// TestSeedCorpus keeps the checked-in corpus in step with seeds; run with
// -update after changing them.
func TestSeedCorpus(t *testing.T) {
	files := map[string][]byte{}
	for name, data := range seeds(t) {
		files["FuzzText/seed-"+name] = formattest.SeedFile(data)
	}
	formattest.CheckCorpus(t, files, *update)
}
