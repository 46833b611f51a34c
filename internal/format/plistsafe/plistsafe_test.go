package plistsafe

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/format/plistsafe/plisttest"
)

func TestUnmarshalHostile(t *testing.T) {
	want := map[string]error{
		"shared-arrays":    ErrLimit,
		"deep-binary":      ErrLimit,
		"binary-cycle":     ErrCycle,
		"reference-beyond": ErrMalformed,
		"offset-in-header": ErrMalformed,
		"huge-utf16":       ErrMalformed,
		"deep-xml":         ErrLimit,
		"deep-text":        ErrLimit,
	}
	for name, data := range plisttest.Hostile() {
		t.Run(name, func(t *testing.T) {
			var v any
			err := Unmarshal(data, &v)
			if !errors.Is(err, want[name]) {
				t.Errorf("Unmarshal error = %v, want %v", err, want[name])
			}
		})
	}
}

func TestUnmarshalErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want error
	}{
		{"garbage", "\x00\x01garbage", ErrInvalid},
		{"truncated binary", "bplist00\x00", ErrInvalid},
		{"unclosed XML", "<plist><dict><key>a</key>", ErrInvalid},
		{"unknown XML element", "<plist><array><blob/></array></plist>", ErrInvalid},
		{"XML 257 deep", string(plisttest.DeepXML(MaxDepth)), ErrLimit},
		{"namespaced XML too deep", "<p:plist xmlns:p='u'>" + strings.Repeat("<p:dict><key>k</key>", MaxDepth), ErrLimit},
		{"self-closing container too deep", "<plist>" + strings.Repeat("<array>", MaxDepth-1) + "<dict/>", ErrLimit},
		{"unclosed text", "(a, b", ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := Unmarshal([]byte(tt.data), &v); !errors.Is(err, tt.want) {
				t.Errorf("Unmarshal error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestUnmarshal(t *testing.T) {
	doc := map[string]any{
		"name":  "iPhone",
		"count": uint64(3),
		"data":  []byte{1, 2, 3},
		"when":  time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC),
		"list":  []any{"a", true, map[string]any{"nested": "yes"}},
	}
	encode := func(format int) string {
		b, err := plist.Marshal(doc, format)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name string
		data string
		want any
	}{
		{"binary", encode(plist.BinaryFormat), doc},
		{"XML", encode(plist.XMLFormat), doc},
		{"GNUstep", encode(plist.GNUStepFormat), doc},
		{"empty means an empty dictionary", "", map[string]any{}},
		{"OpenStep", `{a = (b, "c)"); d = <0102>; }`, map[string]any{"a": []any{"b", "c)"}, "d": []byte{1, 2}}},
		{"XML 256 deep", string(plisttest.DeepXML(MaxDepth - 1)), nest(MaxDepth-1, "x")},
		{"binary 256 deep", string(plisttest.DeepBinary(MaxDepth)), nest(MaxDepth, "x")},
		// The library reads the content of a <string> without recursing,
		// so elements nested inside it cost nothing and are not counted.
		{"elements inside a string", "<plist><string>a" + strings.Repeat("<b>", 100_000) + strings.Repeat("</b>", 100_000) + "</string></plist>", "a"},
		{"markup that only looks deep", "<plist><!-- " + strings.Repeat("<array>", 300) + " --><array><string><![CDATA[" +
			strings.Repeat("<array>", 300) + "]]></string></array></plist>", []any{strings.Repeat("<array>", 300)}},
		{"text bigger than the cap, flat", `("` + strings.Repeat("x", MaxTextSize) + `")`, []any{strings.Repeat("x", MaxTextSize)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got any
			if err := Unmarshal([]byte(tt.data), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %.200v, want %.200v", got, tt.want)
			}
		})
	}
}

// nest wraps v in n single-element arrays.
func nest(n int, v any) any {
	for range n {
		v = []any{v}
	}
	return v
}

// TestUnmarshalLargeXML shows why XML is bounded by depth, not size: real
// Info.plists run to megabytes (they embed app metadata and icons).
func TestUnmarshalLargeXML(t *testing.T) {
	apps := map[string]any{}
	for i := 0; len(apps) < 2500; i++ {
		apps[fmt.Sprintf("com.example.app%d", i)] = map[string]any{
			"iTunesMetadata": bytes.Repeat([]byte{byte(i)}, 1500),
			"Entitlements":   []any{"a", "b", map[string]any{"deep": []any{uint64(i)}}},
		}
	}
	doc := map[string]any{"Applications": apps, "Device Name": "Test"}
	data, err := plist.MarshalIndent(doc, plist.XMLFormat, "\t")
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 5<<20 {
		t.Fatalf("fixture is %d bytes, want at least 5 MiB", len(data))
	}
	var got map[string]any
	if err := Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, doc) {
		t.Error("large XML plist did not round-trip")
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"small and deep", plisttest.DeepText(MaxTextSize / 4), true},
		{"large and flat", []byte("(" + strings.Repeat("a,", MaxTextSize) + ")"), true},
		{"large with brackets", append(bytes.Repeat([]byte("{"), MaxDepth+1), bytes.Repeat([]byte(" "), MaxTextSize)...), false},
		// UTF-16 '(' is 0x00 0x28: counting bytes still sees it.
		{"large UTF-16 with brackets", append([]byte{0xFE, 0xFF}, bytes.Repeat([]byte{0, '('}, MaxTextSize)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkText(tt.data); (err == nil) != tt.ok {
				t.Errorf("checkText error = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
