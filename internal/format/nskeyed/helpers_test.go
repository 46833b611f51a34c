package nskeyed

import (
	"testing"
	"time"

	"howett.net/plist"
)

// rawArchive builds an archive from hand-written $objects, for layouts
// Encode would never produce (damaged, hostile or from other writers).
func rawArchive(t testing.TB, top map[string]any, objects ...any) []byte {
	t.Helper()
	doc := map[string]any{
		"$archiver": "NSKeyedArchiver",
		"$version":  int64(100000),
		"$top":      top,
		"$objects":  append([]any{"$null"}, objects...),
	}
	b, err := plist.Marshal(doc, plist.BinaryFormat)
	if err != nil {
		t.Fatalf("marshal fixture: %v", err)
	}
	return b
}

// root is the usual $top: the root object at UID 1.
func root() map[string]any { return map[string]any{"root": plist.UID(1)} }

// class is a class dictionary for rawArchive.
func class(chain ...string) map[string]any {
	names := make([]any, len(chain))
	for i, c := range chain {
		names[i] = c
	}
	return map[string]any{"$classname": chain[0], "$classes": names}
}

// mbFile is an MBFile record shaped like the ones in a real Manifest.db.
func mbFile(path string, size int64, key []byte) Object {
	return Object{
		Class: "MBFile",
		Fields: map[string]any{
			"LastModified":     int64(1700000000),
			"Flags":            0,
			"GroupID":          501,
			"LastStatusChange": int64(1700000100),
			"Birth":            int64(1690000000),
			"Size":             size,
			"InodeNumber":      int64(123456),
			"Mode":             33188,
			"UserID":           501,
			"ProtectionClass":  3,
			"RelativePath":     path,
			"EncryptionKey":    key,
		},
	}
}

// cycleArchive holds an NSArray whose only element is itself.
func cycleArchive(t testing.TB) []byte {
	return rawArchive(t, root(),
		map[string]any{"NS.objects": []any{plist.UID(1)}, "$class": plist.UID(2)},
		class("NSArray", "NSObject"))
}

// dictionaryArchive holds an NSDictionary, the most common archived root.
func dictionaryArchive(t testing.TB) []byte {
	b, err := Encode(map[string]any{
		"url":   "https://example.com/a",
		"count": 3,
		"when":  time.Date(2023, 5, 1, 12, 0, 0, 0, time.UTC),
		"list":  []any{"a", int64(-1), true},
	})
	if err != nil {
		t.Fatalf("encode fixture: %v", err)
	}
	return b
}
