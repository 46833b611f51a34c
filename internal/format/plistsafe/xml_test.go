package plistsafe

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// tokenDepth is xmlDepth computed from encoding/xml's own tokens, up to the
// first error: the reference the allocation-free scan must never fall below.
func tokenDepth(data []byte) int {
	d := xml.NewDecoder(bytes.NewReader(data))
	depth, deepest, leaf := 0, 0, 0
	for {
		tok, err := d.Token()
		if err != nil {
			return deepest
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "plist", "array", "dict":
				if leaf == 0 {
					depth++
					deepest = max(deepest, depth)
					continue
				}
			}
			leaf++
		case xml.EndElement:
			if leaf > 0 {
				leaf--
			} else {
				depth--
			}
		}
	}
}

func TestXMLDepth(t *testing.T) {
	tests := []struct {
		name string
		data string
		want int
	}{
		{"empty", "", 0},
		{"no markup", "just text", 0},
		{"root only", "<plist/>", 1},
		{"typical", `<?xml version="1.0"?><!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` +
			`<plist version="1.0"><dict><key>a</key><array><string>x</string><dict/></array></dict></plist>`, 4},
		{"siblings do not add up", "<plist><array><array/><array/><array></array></array></plist>", 3},
		{"comment", "<plist><!-- <array><array> --><array/></plist>", 2},
		{"comment with dashes", "<plist><!-- a - b --><array/></plist>", 2},
		{"comment with a double dash", "<plist><!-- a -- b --><array/></plist>", 2},
		{"CDATA", "<plist><string><![CDATA[<array><array>]]></string></plist>", 1},
		{"CDATA in a container", "<plist><array><![CDATA[<array>]]></array></plist>", 2},
		{"processing instruction", "<plist><?pi <array> ?><array/></plist>", 2},
		{"inside a string", "<plist><string><array><array></array></array></string></plist>", 1},
		{"inside a key", "<plist><dict><key><dict><dict/></dict></key><true/></dict></plist>", 2},
		{"inside a string after it closes", "<plist><string><a/><b><c/></b></string><array/></plist>", 2},
		{"quoted >", `<plist a=">"><array b='/>'><array/></array></plist>`, 3},
		{"namespace prefix", `<p:plist xmlns:p="u"><p:array><p:dict/></p:array></p:plist>`, 3},
		{"not a container", "<plist><arrays><array/></arrays></plist>", 1},
		{"directive with subset", `<!DOCTYPE plist [<!ELEMENT plist (array)> <!-- > --> <!ATTLIST a b "<>">]><plist><array/></plist>`, 2},
		{"directive hides nothing after it", `<!DOCTYPE x "a>b"><plist><array/></plist>`, 2},
		{"unterminated comment", "<plist><!-- <array>", 1},
		{"unterminated tag", `<plist><array a="`, 2},
	}
	// On documents encoding/xml rejects, the scan may count on past the
	// error; these are the depths its tokens give there.
	tokensStop := map[string]int{"comment with a double dash": 1, "unterminated tag": 1}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := xmlDepth([]byte(tt.data), 1000); got != tt.want {
				t.Errorf("xmlDepth = %d, want %d", got, tt.want)
			}
			want := tt.want
			if d, ok := tokensStop[tt.name]; ok {
				want = d
			}
			if ref := tokenDepth([]byte(tt.data)); ref != want {
				t.Errorf("encoding/xml tokens give depth %d, want %d", ref, want)
			}
		})
	}
}

func TestXMLDepthStopsAtLimit(t *testing.T) {
	data := []byte(strings.Repeat("<array>", 1_000_000))
	if got := xmlDepth(data, MaxDepth); got != MaxDepth+1 {
		t.Errorf("xmlDepth = %d, want it to stop at %d", got, MaxDepth+1)
	}
}

func TestXMLRoot(t *testing.T) {
	tests := []struct {
		data string
		want bool
	}{
		{"<plist/>", true},
		{"<?xml version='1.0'?>\n<!-- c --><dict></dict>", true},
		{"<x:array xmlns:x='u'/>", true},
		{"<key>k</key>", false}, // not a value: the library falls back to text
		{"<0102>", false},       // an OpenStep data value
		{"(a, b)", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := xmlRoot([]byte(tt.data)); got != tt.want {
			t.Errorf("xmlRoot(%q) = %v, want %v", tt.data, got, tt.want)
		}
	}
}
