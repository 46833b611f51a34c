package iosbackup

import (
	"bytes"
	"errors"
	"io/fs"
	"testing"
	"time"

	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/nskeyed"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
	"github.com/vigil-project/vigil/internal/format/plistsafe/plisttest"
)

// mbFileBlob archives fields as an MBFile the way iOS does: strings and
// keys as separate objects the root refers to.
func mbFileBlob(t testing.TB, fields map[string]any, target string, key []byte) []byte {
	t.Helper()
	root := map[string]any{"RelativePath": plist.UID(2), "$class": plist.UID(3)}
	for k, v := range fields {
		root[k] = v
	}
	objects := []any{"$null", root, "Library/SMS/sms.db",
		map[string]any{"$classname": "MBFile", "$classes": []any{"MBFile", "NSObject"}}}
	if target != "" {
		root["Target"] = plist.UID(len(objects))
		objects = append(objects, target)
	}
	if key != nil {
		root["EncryptionKey"] = plist.UID(len(objects))
		objects = append(objects,
			map[string]any{"NS.data": key, "$class": plist.UID(len(objects) + 1)},
			map[string]any{"$classname": "NSMutableData", "$classes": []any{"NSMutableData", "NSData", "NSObject"}})
	}
	blob, err := plist.Marshal(map[string]any{
		"$archiver": "NSKeyedArchiver", "$version": uint64(100000),
		"$top": map[string]any{"root": plist.UID(1)}, "$objects": objects,
	}, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	return blob
}

// typical are the fields of a regular file in a current backup.
var typical = map[string]any{
	"Birth": int64(1690000000), "LastModified": int64(1700000000), "LastStatusChange": int64(1700000100),
	"Size": uint64(28672), "Mode": uint64(0o100644), "UserID": uint64(501), "GroupID": uint64(501),
	"InodeNumber": uint64(123456), "Flags": uint64(0), "ProtectionClass": uint64(3),
}

func TestDecodeMBFile(t *testing.T) {
	unix := func(s int64) time.Time { return time.Unix(s, 0).UTC() }
	file := acq.File{Size: 28672, ModeBits: 0o100644, Mode: 0o644, UserID: 501,
		Birth: unix(1690000000), Modified: unix(1700000000), Changed: unix(1700000100)}
	oldDates := map[string]any{"Size": int64(5), "Mode": uint64(0o40755),
		"Birth": unix(1300000000), "LastModified": unix(1300000001), "LastStatusChange": unix(1300000002)}
	tests := []struct {
		name string
		blob []byte
		want acq.File
	}{
		{"regular file", mbFileBlob(t, typical, "", nil), file},
		{"encrypted backup", mbFileBlob(t, typical, "", make([]byte, 44)), file},
		{"symlink", mbFileBlob(t, map[string]any{"Mode": uint64(0o120755)}, "/private/var/x", nil),
			acq.File{ModeBits: 0o120755, Mode: fs.ModeSymlink | 0o755, Target: "/private/var/x"}},
		{"plist dates", mbFileBlob(t, oldDates, "", nil), acq.File{Size: 5, ModeBits: 0o40755, Mode: fs.ModeDir | 0o755,
			Birth: unix(1300000000), Modified: unix(1300000001), Changed: unix(1300000002)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got acq.File
			if err := decodeMBFile(tt.blob, &got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestDecodeMBFileOwnsStrings: Manifest.db rows hand over SQLite's own
// buffer, which the next row overwrites, so nothing decoded may share it.
func TestDecodeMBFileOwnsStrings(t *testing.T) {
	blob := mbFileBlob(t, typical, "target", nil)
	var f acq.File
	if err := decodeMBFile(blob, &f); err != nil {
		t.Fatal(err)
	}
	clear(blob)
	if f.Target != "target" {
		t.Errorf("Target = %q after the blob was reused", f.Target)
	}
}

func TestDecodeMBFileErrors(t *testing.T) {
	tests := map[string][]byte{
		"empty":   nil,
		"garbage": []byte("not a plist"),
		"no root": mustMarshal(t, map[string]any{"$top": map[string]any{}, "$objects": []any{"$null"}}),
		"root not an object": mustMarshal(t, map[string]any{
			"$top": map[string]any{"root": plist.UID(0)}, "$objects": []any{"$null"}}),
	}
	for name, data := range plisttest.Hostile() {
		tests["hostile "+name] = data
	}
	for name, blob := range tests {
		t.Run(name, func(t *testing.T) {
			var f acq.File
			if err := decodeMBFile(blob, &f); err == nil {
				t.Errorf("decoded %+v", f)
			}
		})
	}
	var f acq.File
	if err := decodeMBFile(plisttest.SharedArrays(40), &f); !errors.Is(err, plistsafe.ErrLimit) {
		t.Errorf("expansion bomb: error = %v, want plistsafe.ErrLimit", err)
	}
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := plist.Marshal(v, plist.BinaryFormat)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeMBFileResolved is the alternative decodeMBFile measured itself
// against: nskeyed.Decode, which resolves the whole archive.
func decodeMBFileResolved(blob []byte, f *acq.File) error {
	v, err := nskeyed.Decode(blob)
	if err != nil {
		return err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return errors.New("MBFile: root is not an object")
	}
	f.Size = toInt(obj["Size"])
	f.ModeBits = uint32(toInt(obj["Mode"]))
	f.Mode = posixMode(f.ModeBits)
	f.UserID = toInt(obj["UserID"])
	f.Birth = plistTime(obj["Birth"])
	f.Modified = plistTime(obj["LastModified"])
	f.Changed = plistTime(obj["LastStatusChange"])
	f.Target, _ = obj["Target"].(string)
	return nil
}

// BenchmarkDecodeMBFile runs once per Manifest.db row, 300,000 times for a
// large backup. "fast" is decodeMBFile as Vigil runs it; "plistsafe" is the
// general decoder it falls back to.
func BenchmarkDecodeMBFile(b *testing.B) {
	decoders := []struct {
		name string
		fn   func([]byte, *acq.File) error
	}{{"fast", decodeMBFile}, {"plistsafe", decodeMBFilePlist}, {"nskeyed", decodeMBFileResolved}}
	symlink := map[string]any{"Size": uint64(28672), "Mode": uint64(0o120755)}
	blobs := []struct {
		name string
		blob []byte
	}{
		{"plain", mbFileBlob(b, typical, "", nil)},
		{"encrypted", mbFileBlob(b, typical, "", bytes.Repeat([]byte{7}, 44))},
		{"symlink", mbFileBlob(b, symlink, "/private/var/mobile/Library/x", nil)},
	}
	for _, blob := range blobs {
		for _, d := range decoders {
			b.Run(blob.name+"/"+d.name, func(b *testing.B) {
				b.ReportAllocs()
				// Declared outside the loop: the call through d.fn moves f
				// to the heap, which is the benchmark's cost, not the decoder's.
				var f acq.File
				for b.Loop() {
					f = acq.File{}
					if err := d.fn(blob.blob, &f); err != nil || f.Size != 28672 {
						b.Fatal(err, f.Size)
					}
				}
			})
		}
	}
}
