package nskeyed

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"howett.net/plist"
)

// expected is what Decode gives back for a value given to Encode: Objects
// become maps with "$class", integers int64, URLs strings.
func expected(v any) any {
	if n, ok := number(v); ok {
		if u, isUint := n.(uint64); isUint {
			return int64(u)
		}
		return n
	}
	switch v := v.(type) {
	case Object:
		m := map[string]any{"$class": v.Class}
		for k, f := range v.Fields {
			m[k] = expected(f)
		}
		return m
	case *Object:
		return expected(*v)
	case URL:
		return string(v)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = expected(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = expected(e)
		}
		return out
	}
	return v
}

// normalized makes Decode's integers comparable with expected's.
func normalized(v any) any {
	switch v := v.(type) {
	case uint64:
		return int64(v)
	case []any:
		for i, e := range v {
			v[i] = normalized(e)
		}
	case map[string]any:
		for k, e := range v {
			v[k] = normalized(e)
		}
	}
	return v
}

func TestEncodeRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
	}{
		{"MBFile", mbFile("Library/SMS/sms.db", 1<<20, bytes.Repeat([]byte{0xAB}, 44))},
		{"MBFile symlink", Object{Class: "MBFile", Fields: map[string]any{"RelativePath": "a/link", "Target": "../b", "Mode": 41453, "Digest": []byte{1}}}},
		{"string", "just text"},
		{"negative", -12},
		{"nil", nil},
		{"dictionary", map[string]any{"b": 1.5, "a": []any{"x", "x", false}, "n": nil, "u": URL("https://example.com/p")}},
		{"date", time.Date(2024, 2, 29, 23, 59, 58, 250e6, time.UTC)},
		{"nested objects", Object{
			Class:   "ACMEOuter",
			Classes: []string{"ACMEOuter", "ACMEBase", "NSObject"},
			Fields: map[string]any{
				"Inner": Object{Class: "ACMEInner", Fields: map[string]any{"On": true, "Ratio": float32(0.5)}},
				"Same":  &Object{Class: "ACMEInner", Fields: map[string]any{"On": false}},
				"Map":   map[string]any{"k": Object{Class: "ACMEInner"}},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Encode(tt.in)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			got, err := Decode(b)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			want := expected(tt.in)
			if got := normalized(got); !reflect.DeepEqual(got, want) {
				t.Errorf("Decode(Encode(x)) = %#v\nwant %#v", got, want)
			}
			again, err := Encode(tt.in)
			if err != nil || !bytes.Equal(again, b) {
				t.Errorf("second Encode differs (err %v)", err)
			}
		})
	}
}

// TestEncodeMBFileLayout checks the archive against the layout of a real
// backup's MBFile: scalars inline, path and key by reference, the key as
// NSMutableData, classes after the objects that use them.
func TestEncodeMBFileLayout(t *testing.T) {
	b, err := Encode(mbFile("Library/SMS/sms.db", 28672, make([]byte, 44)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("bplist00")) {
		t.Fatalf("not a binary plist: %q", b[:8])
	}
	var doc struct {
		Archiver string         `plist:"$archiver"`
		Version  int            `plist:"$version"`
		Top      map[string]any `plist:"$top"`
		Objects  []any          `plist:"$objects"`
	}
	if _, err := plist.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Archiver != "NSKeyedArchiver" || doc.Version != 100000 || doc.Top["root"] != plist.UID(1) {
		t.Fatalf("envelope = %q %d %v", doc.Archiver, doc.Version, doc.Top)
	}
	if doc.Objects[0] != "$null" {
		t.Errorf("$objects[0] = %#v", doc.Objects[0])
	}
	file := doc.Objects[1].(map[string]any)
	for _, k := range []string{"Size", "Mode", "UserID", "GroupID", "InodeNumber", "Birth", "LastModified", "LastStatusChange", "ProtectionClass", "Flags"} {
		if _, ok := file[k].(uint64); !ok {
			t.Errorf("%s = %#v, want an inline integer", k, file[k])
		}
	}
	path := file["RelativePath"].(plist.UID)
	if doc.Objects[path] != "Library/SMS/sms.db" {
		t.Errorf("RelativePath -> %#v", doc.Objects[path])
	}
	key := doc.Objects[file["EncryptionKey"].(plist.UID)].(map[string]any)
	if data, _ := key["NS.data"].([]byte); len(data) != 44 {
		t.Errorf("EncryptionKey NS.data = %#v", key["NS.data"])
	}
	dataClass := doc.Objects[key["$class"].(plist.UID)].(map[string]any)
	if dataClass["$classname"] != "NSMutableData" || !reflect.DeepEqual(dataClass["$classes"], []any{"NSMutableData", "NSData", "NSObject"}) {
		t.Errorf("key class = %#v", dataClass)
	}
	fileClass := file["$class"].(plist.UID)
	if int(fileClass) != len(doc.Objects)-1 || doc.Objects[fileClass].(map[string]any)["$classname"] != "MBFile" {
		t.Errorf("MBFile class at %d of %d: %#v", fileClass, len(doc.Objects), doc.Objects[fileClass])
	}
}

func TestEncodeErrors(t *testing.T) {
	loop := map[string]any{}
	loop["self"] = loop
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"unsupported type", struct{}{}, "cannot archive"},
		{"unsupported field", Object{Class: "X", Fields: map[string]any{"F": make(chan int)}}, "X.F"},
		{"reserved field", Object{Class: "X", Fields: map[string]any{"$class": "Y"}}, "reserved"},
		{"no class", Object{}, "without a class"},
		{"self-containing map", loop, "nesting deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Encode(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Encode error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}
