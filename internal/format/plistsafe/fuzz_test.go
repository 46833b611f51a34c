package plistsafe

import (
	"errors"
	"flag"
	"testing"

	"github.com/vigil-project/vigil/internal/format/formattest"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/format/plistsafe/plisttest"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points, one per parser and per shape the
// guard must refuse; they are also checked in under testdata/fuzz.
func seeds(t testing.TB) map[string][]byte {
	bin, err := plist.Marshal(map[string]any{"a": []any{uint64(1), "b", []byte{2}}, "c": true}, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"binary": bin,
		"xml": []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n" +
			`<plist version="1.0"><dict><!-- c --><key>a</key><array><string><![CDATA[<x>]]></string>` +
			`<integer>-3</integer><real>1.5</real><date>2024-01-02T03:04:05Z</date><data>AQI=</data><true/></array></dict></plist>`),
		"xml-namespaced": []byte(`<p:plist xmlns:p="u"><p:array a=">"><p:dict/></p:array></p:plist>`),
		"openstep":       []byte(`{a = (b, "c\"d", <0102>); e = {f = g;};}`),
		"gnustep":        []byte(`{a = <*I5>; b = <*BY>; c = <[AQI=]>;}`),
		"shared-arrays":  plisttest.SharedArrays(24),
		"deep-binary":    plisttest.DeepBinary(MaxDepth + 1),
		"deep-xml":       plisttest.DeepXML(MaxDepth),
		"binary-cycle":   plisttest.Binary(0, plisttest.Array(0)),
		"huge-utf16":     plisttest.HugeUTF16(),
		"garbage":        []byte("\x00\xffnot a plist at all"),
	}
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		err := Unmarshal(data, &v)
		if err != nil && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrMalformed) &&
			!errors.Is(err, ErrCycle) && !errors.Is(err, ErrLimit) {
			t.Errorf("error %v wraps none of the package's errors", err)
		}
		// The scan may overcount on documents encoding/xml rejects, never
		// undercount what the library would recurse into.
		if xmlRoot(data) {
			if got, ref := xmlDepth(data, 1<<30), tokenDepth(data); got < ref {
				t.Errorf("xmlDepth = %d, below the %d encoding/xml's tokens give", got, ref)
			}
		}
	})
}

// TestSeedCorpus keeps the checked-in corpus in step with seeds; run with
// -update after changing them.
func TestSeedCorpus(t *testing.T) {
	files := map[string][]byte{}
	for name, data := range seeds(t) {
		files["FuzzUnmarshal/seed-"+name] = formattest.SeedFile(data)
	}
	formattest.CheckCorpus(t, files, *update)
}
