package nskeyed

import (
	"bytes"
	"flag"
	"testing"

	"github.com/vigil-project/vigil/internal/format/formattest"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/format/plistsafe/plisttest"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points, one per shape the decoder must
// survive; they are also checked in under testdata/fuzz/FuzzDecode.
func seeds(t testing.TB) map[string][]byte {
	mb, err := Encode(mbFile("Library/SMS/sms.db", 28672, bytes.Repeat([]byte{7}, 44)))
	if err != nil {
		t.Fatal(err)
	}
	xml, err := plist.Marshal(map[string]any{
		"$archiver": "NSKeyedArchiver",
		"$version":  100000,
		"$top":      root(),
		"$objects":  []any{"$null", map[string]any{"NS.string": "xml", "$class": plist.UID(2)}, class("NSString", "NSObject")},
	}, plist.XMLFormat)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"mbfile":      mb,
		"dictionary":  dictionaryArchive(t),
		"cycle":       cycleArchive(t),
		"xml":         xml,
		"shared-bomb": plisttest.SharedArrays(24),
		"garbage":     []byte("\x00\xffnot a plist at all"),
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if err != nil && v != nil {
			t.Errorf("Decode returned %#v with error %v", v, err)
		}
		top, err := DecodeTop(data)
		if err != nil && top != nil {
			t.Errorf("DecodeTop returned %#v with error %v", top, err)
		}
	})
}

// TestSeedCorpus keeps the checked-in corpus in step with seeds; run with
// -update after changing them.
func TestSeedCorpus(t *testing.T) {
	files := map[string][]byte{}
	for name, data := range seeds(t) {
		files["FuzzDecode/seed-"+name] = formattest.SeedFile(data)
	}
	formattest.CheckCorpus(t, files, *update)
}
