package nskeyed

import (
	"errors"
	"math"
	"strings"
	"testing"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/format/plistsafe"
	"github.com/vigil-project/vigil/internal/format/plistsafe/plisttest"
)

func TestDecodeErrors(t *testing.T) {
	nsArray := class("NSArray", "NSObject")
	// chain is an archive where each NSArray holds the next one, n deep.
	chain := func(n int) []byte {
		objects := []any{nsArray}
		for i := 0; i < n; i++ {
			objects = append(objects, map[string]any{"NS.objects": []any{plist.UID(i + 3)}, "$class": plist.UID(1)})
		}
		objects = append(objects, "end")
		return rawArchive(t, map[string]any{"root": plist.UID(2)}, objects...)
	}
	xmlArchive := func(doc any) []byte {
		b, err := plist.Marshal(doc, plist.XMLFormat)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	obj := func(fields map[string]any, chain ...string) []byte {
		fields["$class"] = plist.UID(2)
		return rawArchive(t, root(), fields, class(chain...))
	}
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, ErrNotArchive},
		{"garbage", []byte("\x00\x01garbage"), ErrNotArchive},
		{"truncated binary", []byte("bplist00\x00"), ErrNotArchive},
		{"plain plist", xmlArchive(map[string]any{"key": "value"}), ErrNotArchive},
		{"top level array", xmlArchive([]any{"a"}), ErrNotArchive},
		{"$objects not array", xmlArchive(map[string]any{"$top": map[string]any{}, "$objects": "x"}), ErrNotArchive},
		{"$archiver not string", xmlArchive(map[string]any{"$archiver": 1, "$top": map[string]any{}, "$objects": []any{}}), ErrNotArchive},
		{"UID out of range", rawArchive(t, map[string]any{"root": plist.UID(99)}), ErrMalformed},
		{"nested UID out of range", obj(map[string]any{"NS.objects": []any{plist.UID(1 << 40)}}, "NSArray"), ErrMalformed},
		{"$class not a UID", rawArchive(t, root(), map[string]any{"$class": "NSString"}), ErrMalformed},
		{"$class out of range", rawArchive(t, root(), map[string]any{"$class": plist.UID(50)}), ErrMalformed},
		{"class not a dictionary", rawArchive(t, root(), map[string]any{"$class": plist.UID(2)}, "NSString"), ErrMalformed},
		{"class without name", rawArchive(t, root(), map[string]any{"$class": plist.UID(2)}, map[string]any{"$classes": []any{}}), ErrMalformed},
		{"self cycle", cycleArchive(t), ErrCycle},
		{"two-object cycle", rawArchive(t, root(),
			map[string]any{"Next": plist.UID(3), "$class": plist.UID(2)}, class("Node"),
			map[string]any{"Back": plist.UID(1), "$class": plist.UID(2)}), ErrCycle},
		{"reference chain too deep", chain(maxDepth + 10), ErrLimit},
		{"NS.keys not array", obj(map[string]any{"NS.keys": "k", "NS.objects": []any{}}, "NSDictionary"), ErrMalformed},
		{"keys and values differ", obj(map[string]any{"NS.keys": []any{}, "NS.objects": []any{int64(1)}}, "NSDictionary"), ErrMalformed},
		{"key is data", obj(map[string]any{"NS.keys": []any{[]byte{1}}, "NS.objects": []any{int64(1)}}, "NSDictionary"), ErrMalformed},
		{"NS.objects not array", obj(map[string]any{"NS.objects": int64(3)}, "NSArray"), ErrMalformed},
		{"NS.string missing", obj(map[string]any{}, "NSString"), ErrMalformed},
		{"NS.string number", obj(map[string]any{"NS.string": int64(3)}, "NSString"), ErrMalformed},
		{"NS.data string", obj(map[string]any{"NS.data": "x"}, "NSData"), ErrMalformed},
		{"NS.time string", obj(map[string]any{"NS.time": "now"}, "NSDate"), ErrMalformed},
		// NaN cannot go through the binary writer (it uniques values by
		// equality), so this archive is XML.
		{"NS.time NaN", xmlArchive(map[string]any{
			"$top":     root(),
			"$objects": []any{"$null", map[string]any{"NS.time": math.NaN(), "$class": plist.UID(2)}, class("NSDate")},
		}), ErrMalformed},
		{"NS.time huge", obj(map[string]any{"NS.time": 1e300}, "NSDate"), ErrMalformed},
		{"NS.uuidbytes short", obj(map[string]any{"NS.uuidbytes": []byte{1, 2}}, "NSUUID"), ErrMalformed},
		{"NS.relative missing", obj(map[string]any{"NS.base": plist.UID(0)}, "NSURL"), ErrMalformed},
		{"NS.base number", obj(map[string]any{"NS.base": int64(1), "NS.relative": "x"}, "NSURL"), ErrMalformed},
		{"shared plist bomb", plisttest.SharedArrays(40), ErrLimit},
		{"plist nested too deep", plisttest.DeepBinary(maxDepth + 5), ErrLimit},
		{"plist array contains itself", plisttest.Binary(0, plisttest.Array(0)), ErrCycle},
		{"plist reference out of range", plisttest.Binary(0, plisttest.Array(7)), ErrMalformed},
		{"plist decoder panic", plisttest.HugeUTF16(), ErrMalformed},
		{"XML plist nested too deep", plisttest.DeepXML(100_000), ErrLimit},
		{"text plist nested too deep", plisttest.DeepText(1 << 20), ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode error = %v, want %v", err, tt.want)
			}
			if got != nil {
				t.Errorf("Decode returned %#v with its error", got)
			}
			if !strings.HasPrefix(err.Error(), "nskeyed: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

// TestPlistErrors checks that a failure in the plist underneath matches both
// this package's error and plistsafe's, and names it once.
func TestPlistErrors(t *testing.T) {
	tests := []struct {
		name       string
		data       []byte
		want, base error
	}{
		{"limit", plisttest.SharedArrays(40), ErrLimit, plistsafe.ErrLimit},
		{"cycle", plisttest.Binary(0, plisttest.Array(0)), ErrCycle, plistsafe.ErrCycle},
		{"malformed", plisttest.Binary(0, plisttest.Array(7)), ErrMalformed, plistsafe.ErrMalformed},
		{"invalid", []byte("(unclosed"), ErrNotArchive, plistsafe.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.data)
			if !errors.Is(err, tt.want) || !errors.Is(err, tt.base) {
				t.Fatalf("Decode error = %v, want both %v and %v", err, tt.want, tt.base)
			}
			if tt.want != ErrNotArchive && strings.Contains(err.Error(), tt.want.Error()) {
				t.Errorf("error %q repeats %q", err, tt.want)
			}
		})
	}
}
