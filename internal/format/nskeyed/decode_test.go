package nskeyed

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"howett.net/plist"
)

func TestDecodeClasses(t *testing.T) {
	uuid := []byte{0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}
	tests := []struct {
		name    string
		objects []any
		want    any
	}{
		{"plain string", []any{"hello"}, "hello"},
		{"integer", []any{int64(-5)}, int64(-5)},
		{"null", []any{"$null"}, nil},
		{"NSString", []any{map[string]any{"NS.string": "hi", "$class": plist.UID(2)}, class("NSString", "NSObject")}, "hi"},
		{"NSMutableString by reference", []any{
			map[string]any{"NS.string": plist.UID(3), "$class": plist.UID(2)},
			class("NSMutableString", "NSString", "NSObject"), "text",
		}, "text"},
		{"NSString as bytes", []any{map[string]any{"NS.bytes": []byte("raw"), "$class": plist.UID(2)}, class("NSString")}, "raw"},
		{"NSData", []any{map[string]any{"NS.data": []byte{1, 2}, "$class": plist.UID(2)}, class("NSData", "NSObject")}, []byte{1, 2}},
		{"NSDate", []any{map[string]any{"NS.time": 704635200.5, "$class": plist.UID(2)}, class("NSDate", "NSObject")},
			time.Date(2023, 5, 1, 12, 0, 0, 5e8, time.UTC)},
		{"NSDate integral", []any{map[string]any{"NS.time": int64(-1), "$class": plist.UID(2)}, class("NSDate")},
			time.Date(2000, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"NSUUID", []any{map[string]any{"NS.uuidbytes": uuid, "$class": plist.UID(2)}, class("NSUUID", "NSObject")},
			"12345678-9ABC-DEF0-0123-456789ABCDEF"},
		{"NSURL", []any{
			map[string]any{"NS.base": plist.UID(0), "NS.relative": plist.UID(3), "$class": plist.UID(2)},
			class("NSURL", "NSObject"), "https://example.com/x?y=1",
		}, "https://example.com/x?y=1"},
		{"NSURL with base", []any{
			map[string]any{"NS.base": plist.UID(3), "NS.relative": plist.UID(5), "$class": plist.UID(2)},
			class("NSURL", "NSObject"),
			map[string]any{"NS.base": plist.UID(0), "NS.relative": plist.UID(4), "$class": plist.UID(2)},
			"https://example.com/dir/", "page.html",
		}, "https://example.com/dir/page.html"},
		{"NSNull", []any{map[string]any{"$class": plist.UID(2)}, class("NSNull", "NSObject")}, nil},
		{"NSSet", []any{map[string]any{"NS.objects": []any{plist.UID(3)}, "$class": plist.UID(2)}, class("NSSet", "NSObject"), "member"},
			[]any{"member"}},
		{"NSArray numbered keys", []any{
			map[string]any{"NS.object.0": plist.UID(3), "NS.object.1": uint64(7), "$class": plist.UID(2)},
			class("NSArray", "NSObject"), "first",
		}, []any{"first", uint64(7)}},
		{"NSDictionary", []any{
			map[string]any{"NS.keys": []any{plist.UID(3), plist.UID(4)}, "NS.objects": []any{plist.UID(5), plist.UID(0)}, "$class": plist.UID(2)},
			class("NSMutableDictionary", "NSDictionary", "NSObject"), "a", int64(2), "value",
		}, map[string]any{"a": "value", "2": nil}},
		{"subclass archived as its base", []any{
			map[string]any{"NS.keys": []any{plist.UID(3)}, "NS.objects": []any{plist.UID(3)}, "$class": plist.UID(2)},
			class("__NSDictionaryM", "NSMutableDictionary", "NSDictionary", "NSObject"), "k",
		}, map[string]any{"k": "k"}},
		{"unknown class", []any{
			map[string]any{"Name": plist.UID(3), "Count": uint64(2), "Nested": []any{plist.UID(3)}, "$class": plist.UID(2)},
			class("ACMEThing", "NSObject"), "thing",
		}, map[string]any{"$class": "ACMEThing", "Name": "thing", "Count": uint64(2), "Nested": []any{"thing"}}},
		{"inline object", []any{
			map[string]any{"Inner": map[string]any{"NS.string": "in", "$class": plist.UID(2)}, "$class": plist.UID(3)},
			class("NSString"), class("Outer"),
		}, map[string]any{"$class": "Outer", "Inner": "in"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(rawArchive(t, root(), tt.objects...))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestDecodeMBFile(t *testing.T) {
	key := make([]byte, 44)
	for i := range key {
		key[i] = byte(i)
	}
	b, err := Encode(mbFile("Library/SMS/sms.db", 4096, key))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	m, ok := got.(map[string]any)
	if !ok {
		t.Fatalf("Decode = %T, want a map", got)
	}
	if m["$class"] != "MBFile" || m["RelativePath"] != "Library/SMS/sms.db" {
		t.Errorf("class %v, path %v", m["$class"], m["RelativePath"])
	}
	if size, ok := Int64(m["Size"]); !ok || size != 4096 {
		t.Errorf("Size = %#v", m["Size"])
	}
	if mode, ok := Int64(m["Mode"]); !ok || mode != 33188 {
		t.Errorf("Mode = %#v", m["Mode"])
	}
	if !reflect.DeepEqual(m["EncryptionKey"], key) {
		t.Errorf("EncryptionKey = %x", m["EncryptionKey"])
	}
}

func TestDecodeTopKey(t *testing.T) {
	objects := []any{"one", "two"}
	tests := []struct {
		name    string
		top     map[string]any
		want    any
		wantErr error
	}{
		{"root wins", map[string]any{"root": plist.UID(2), "other": plist.UID(1)}, "two", nil},
		{"single other key", map[string]any{"$0": plist.UID(1)}, "one", nil},
		{"ambiguous", map[string]any{"a": plist.UID(1), "b": plist.UID(2)}, nil, ErrMalformed},
		{"empty", map[string]any{}, nil, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(rawArchive(t, tt.top, objects...))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Decode error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Decode = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestDecodeTop(t *testing.T) {
	b := rawArchive(t, map[string]any{"a": plist.UID(1), "b": plist.UID(2), "c": plist.UID(1)}, "shared", uint64(9))
	got, err := DecodeTop(b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": "shared", "b": uint64(9), "c": "shared"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeTop = %#v, want %#v", got, want)
	}
	if _, err := DecodeTop([]byte("nope")); !errors.Is(err, ErrNotArchive) {
		t.Errorf("DecodeTop(garbage) error = %v, want ErrNotArchive", err)
	}
}

// TestDecodeSharedGraph checks that an archive whose objects each refer to
// the previous one twice (2^60 paths) decodes in linear time and memory.
func TestDecodeSharedGraph(t *testing.T) {
	objects := []any{class("NSArray", "NSObject"), "leaf"}
	for i := 3; i < 63; i++ {
		prev := plist.UID(i - 1)
		objects = append(objects, map[string]any{"NS.objects": []any{prev, prev}, "$class": plist.UID(1)})
	}
	b := rawArchive(t, map[string]any{"root": plist.UID(62)}, objects...)
	got, err := Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	depth := 0
	for v := got; ; depth++ {
		list, ok := v.([]any)
		if !ok {
			break
		}
		v = list[0]
	}
	if depth != 60 {
		t.Errorf("depth = %d, want 60", depth)
	}
}

func TestInt64(t *testing.T) {
	tests := []struct {
		in     any
		want   int64
		wantOK bool
	}{
		{int64(-3), -3, true},
		{uint64(7), 7, true},
		{uint64(1 << 63), 0, false},
		{"7", 0, false},
		{nil, 0, false},
	}
	for _, tt := range tests {
		got, ok := Int64(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Int64(%#v) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

// BenchmarkDecodeMBFile measures the per-row cost of reading Manifest.db,
// which holds one MBFile archive per file in the backup (often 100,000+).
func BenchmarkDecodeMBFile(b *testing.B) {
	data, err := Encode(mbFile("Library/SMS/sms.db", 4096, make([]byte, 44)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
