package iosbackup

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/ncruces/go-sqlite3"
	"howett.net/plist"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/fixture"
)

// checkSame decodes blob with both decoders and fails t if the fast path
// accepted it and disagrees, or touched f while refusing it. It reports
// whether the fast path accepted blob.
func checkSame(t testing.TB, name string, blob []byte) bool {
	t.Helper()
	sentinel := acq.File{Path: "kept", Size: -7, Target: "kept", Birth: time.Unix(1, 0)}
	slow, fast, both := sentinel, sentinel, sentinel
	slowErr := decodeMBFilePlist(blob, &slow)
	ok := decodeMBFileFast(blob, &fast)
	switch {
	case !ok && fast != sentinel:
		t.Errorf("%s: fast path refused but changed the file to %+v", name, fast)
	case ok && slowErr != nil:
		t.Errorf("%s: fast path accepted what plistsafe refuses (%v): %+v", name, slowErr, fast)
	case ok && fast != slow:
		t.Errorf("%s: fast path %+v\nplistsafe %+v", name, fast, slow)
	}
	if err := decodeMBFile(blob, &both); (err == nil) != (slowErr == nil) || both != slow {
		t.Errorf("%s: decodeMBFile %+v, %v\nplistsafe %+v, %v", name, both, err, slow, slowErr)
	}
	return ok
}

// fixtureBlobs are the MBFile blobs of a backup that internal/fixture
// writes, read back from its Manifest.db.
func fixtureBlobs(t testing.TB) [][]byte {
	t.Helper()
	b := fixture.NewBackup()
	for i := range 120 {
		times := b.File("HomeDomain", fmt.Sprintf("Library/f%03d.db", i), bytes.Repeat([]byte{'x'}, i*i*7))
		// Before and after 1970 and 2001, so zero and negative seconds are covered.
		times.Birth = time.Unix(int64(i-3)*15_000_000, 0)
	}
	for i := range 20 {
		b.Dir("MediaDomain", fmt.Sprintf("Media/DCIM/%03dAPPLE", i))
		b.Listed("CameraRollDomain", fmt.Sprintf("Media/gone%d.jpg", i))
	}
	dir := filepath.Join(t.TempDir(), "backup")
	if err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	conn, err := sqlite3.OpenFlags(filepath.Join(dir, "Manifest.db"), sqlite3.OPEN_READONLY)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stmt, _, err := conn.Prepare(`SELECT file FROM Files`)
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	var blobs [][]byte
	for stmt.Step() {
		blobs = append(blobs, bytes.Clone(stmt.ColumnRawBlob(0)))
	}
	if err := stmt.Err(); err != nil || len(blobs) != 160 {
		t.Fatalf("read %d blobs: %v", len(blobs), err)
	}
	return blobs
}

// honestBlobs are MBFile archives as howett.net/plist writes them, in the
// shapes iOS has used and some it has not; the fast path must take them all.
func honestBlobs(t testing.TB) map[string][]byte {
	unix := func(s int64, ns int64) time.Time { return time.Unix(s, ns).UTC() }
	with := func(extra map[string]any) map[string]any {
		m := map[string]any{}
		for k, v := range typical {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	many := map[string]any{"Size": uint64(1)}
	for i := range 150 {
		many[fmt.Sprintf("Extra%03d", i)] = fmt.Sprintf("value %d", i)
	}
	return map[string][]byte{
		"typical":       mbFileBlob(t, typical, "", nil),
		"encrypted":     mbFileBlob(t, typical, "", bytes.Repeat([]byte{9}, 44)),
		"ascii target":  mbFileBlob(t, with(map[string]any{"Mode": uint64(0o120755)}), "/private/var/mobile/x", nil),
		"utf16 target":  mbFileBlob(t, with(nil), "/var/mobile/Café/📱/ü", nil),
		"empty target":  mbFileBlob(t, with(map[string]any{"Target": plist.UID(0)}), "", nil),
		"no fields":     mbFileBlob(t, map[string]any{}, "", nil),
		"no target":     mbFileBlob(t, with(nil), "", nil),
		"refs of 2":     mbFileBlob(t, many, "target", nil),
		"target inline": mbFileBlob(t, with(map[string]any{"Target": "not a UID"}), "", nil),
		"target out":    mbFileBlob(t, with(map[string]any{"Target": plist.UID(99)}), "", nil),
		"target huge":   mbFileBlob(t, with(map[string]any{"Target": plist.UID(1 << 63)}), "", nil),
		"target class":  mbFileBlob(t, with(map[string]any{"Target": plist.UID(3)}), "", nil),
		"plist dates": mbFileBlob(t, with(map[string]any{"Birth": unix(1300000000, 123456789),
			"LastModified": unix(-5, 0), "LastStatusChange": unix(978307200, 0)}), "", nil),
		"far dates": mbFileBlob(t, with(map[string]any{"Birth": unix(1<<40, 1),
			"LastModified": unix(-1<<40, 999999999)}), "", nil),
		"big sizes": mbFileBlob(t, with(map[string]any{"Size": uint64(math.MaxUint64),
			"Mode": uint64(1<<40 | 0o100600), "UserID": int64(math.MinInt64)}), "", nil),
		"signed sizes": mbFileBlob(t, with(map[string]any{"Size": int64(-1), "UserID": uint64(1 << 63),
			"Birth": int64(-100), "LastModified": uint64(math.MaxUint64)}), "", nil),
		"reals": mbFileBlob(t, with(map[string]any{"Size": 1e10, "Mode": float32(420),
			"Birth": 1.7e9, "LastModified": float32(1.7e9), "UserID": math.Inf(1)}), "", nil),
		"other types": mbFileBlob(t, with(map[string]any{"Size": "123", "Mode": true, "UserID": []byte{1},
			"Birth": []any{int64(1)}, "LastModified": map[string]any{"a": int64(1)}, "LastStatusChange": plist.UID(5)}), "", nil),
		"extra keys": mbFileBlob(t, with(map[string]any{"ExtendedAttributes": []byte("bplist00 nested"),
			"Nested": map[string]any{"list": []any{"a", int64(2), 3.5, false}}}), "t", nil),
	}
}

func TestDecodeMBFileFastMatchesFixture(t *testing.T) {
	for i, blob := range fixtureBlobs(t) {
		if !checkSame(t, fmt.Sprintf("row %d", i), blob) {
			t.Errorf("row %d: fast path refused a fixture blob", i)
		}
	}
}

func TestDecodeMBFileFastMatchesHandBuilt(t *testing.T) {
	for name, blob := range honestBlobs(t) {
		if !checkSame(t, name, blob) {
			t.Errorf("%s: fast path refused it", name)
		}
	}
	for name, blob := range rawBlobs() {
		if !checkSame(t, name, blob) {
			t.Errorf("%s: fast path refused it", name)
		}
	}
	// Shapes the fast path leaves to plistsafe; results must still agree.
	many := map[string]any{}
	for i := range 600 {
		many[fmt.Sprintf("k%d", i)] = fmt.Sprintf("v%d", i)
	}
	xml, err := plist.Marshal(map[string]any{"$top": map[string]any{"root": plist.UID(1)},
		"$objects": []any{"$null", typical}}, plist.XMLFormat)
	if err != nil {
		t.Fatal(err)
	}
	refused := map[string][]byte{
		"xml":               xml,
		"too many objects":  mbFileBlob(t, many, "", nil),
		"root uid huge":     mustMarshal(t, map[string]any{"$top": map[string]any{"root": plist.UID(1 << 63)}, "$objects": []any{"$null"}}),
		"objects not array": mustMarshal(t, map[string]any{"$top": map[string]any{"root": plist.UID(0)}, "$objects": "x"}),
		"root not uid":      mustMarshal(t, map[string]any{"$top": map[string]any{"root": int64(1)}, "$objects": []any{"$null", typical}}),
		"root not dict":     mustMarshal(t, map[string]any{"$top": map[string]any{"root": plist.UID(0)}, "$objects": []any{"$null"}}),
		"top not dict":      mustMarshal(t, []any{"$top", "$objects"}),
		"not bplist00":      append([]byte("bplist01"), mbFileBlob(t, typical, "", nil)[8:]...),
		"truncated":         mbFileBlob(t, typical, "", nil)[:100],
		"shared dictionary": mustMarshal(t, map[string]any{"$top": map[string]any{"root": plist.UID(1)},
			"$objects": []any{"$null", map[string]any{"a": typical, "b": typical}}}),
	}
	for name, blob := range refused {
		checkSame(t, name, blob)
	}
}

// rawBlobs vary the encoding of one archive over what the binary plist
// format allows and howett.net/plist decodes.
func rawBlobs() map[string][]byte {
	out := map[string][]byte{}
	for _, refSize := range []int{1, 2, 4} {
		for _, offSize := range []int{2, 4, 8} {
			for _, long := range []bool{false, true} {
				name := fmt.Sprintf("refs %d offsets %d long %v", refSize, offSize, long)
				p := &rawPlist{refSize: refSize, offSize: offSize, long: long, pad: 300}
				out[name] = rawMBFile(p, func(p *rawPlist, first uint64) (map[string]uint64, []uint64) {
					target := p.utf16('/', 0xD83D, 0xDCF1, 0xD800, 'x', 0xDC00, 0xFFFF, 0xD83D)
					return map[string]uint64{
						"Size": p.int(4, 1<<62+5), "Mode": p.int(1, 0o40755), "UserID": p.int(3, math.MaxUint64),
						"Birth": p.date(-978307200.5), "LastModified": p.date(7e8 + 0.25), "LastStatusChange": p.real(1.5e9),
						"GroupID": p.int(0, 501), "Target": p.uid(refSize, first),
					}, []uint64{target}
				})
			}
		}
	}
	// One-byte offsets address only a small archive.
	out["offsets 1"] = rawMBFile(&rawPlist{refSize: 1, offSize: 1}, func(p *rawPlist, first uint64) (map[string]uint64, []uint64) {
		return map[string]uint64{"Size": p.int(0, 7), "Target": p.uid(1, first)}, []uint64{p.ascii("t")}
	})
	for _, width := range []int{1, 2, 4, 8} {
		p := &rawPlist{refSize: 1, offSize: 2}
		out[fmt.Sprintf("uid width %d", width)] = rawMBFile(p, func(p *rawPlist, first uint64) (map[string]uint64, []uint64) {
			return map[string]uint64{"Target": p.uid(width, first), "Birth": p.date(math.NaN())},
				[]uint64{p.ascii(string([]byte{'a', 0x80, 0xFF}))}
		})
	}
	return out
}

// TestDecodeMBFileFastMutations flips every byte of a few archives: the
// fast path may refuse any of them, but must agree whenever it accepts.
func TestDecodeMBFileFastMutations(t *testing.T) {
	bases := [][]byte{mbFileBlob(t, typical, "/target/é", nil), rawBlobs()["refs 2 offsets 2 long true"]}
	if testing.Short() || raceDetector {
		bases = bases[:1]
	}
	for _, base := range bases {
		for i := range base {
			for _, b := range []byte{0x00, 0xFF, base[i] ^ 0x01, base[i] + 0x10} {
				blob := bytes.Clone(base)
				blob[i] = b
				checkSame(t, fmt.Sprintf("byte %d = %#x", i, b), blob)
			}
		}
		for n := range len(base) {
			checkSame(t, fmt.Sprintf("first %d bytes", n), base[:n])
		}
	}
}

func TestDecodeMBFileFastAllocations(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector changes allocation counts")
	}
	blobs := honestBlobs(t)
	for name, want := range map[string]float64{"typical": 0, "ascii target": 1, "utf16 target": 1} {
		blob := blobs[name]
		n := testing.AllocsPerRun(100, func() {
			var f acq.File
			if !decodeMBFileFast(blob, &f) {
				t.Fatal("refused")
			}
		})
		if n > want {
			t.Errorf("%s: %v allocations per row, want %v", name, n, want)
		}
	}
}
