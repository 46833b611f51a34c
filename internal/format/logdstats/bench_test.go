package logdstats

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/internal/format/formattest"
)

func jsonRow(i int, b []byte) []byte {
	b = append(b, `{"record":"logd statistics","type":"File Rotate","file":"/private/var/db/diagnostics/Persist/00000000000`...)
	b = strconv.AppendInt(b, int64(i%100000), 16)
	b = append(b, `.tracev3","unixTime":`...)
	b = strconv.AppendInt(b, 1700000000+int64(i), 10)
	b = append(b, `,"totalBytes":9733361,"processList":[`...)
	for j := range 10 {
		if j > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"sizeBytes":3117304,"process":"/usr/libexec/daemon`...)
		b = strconv.AppendInt(b, int64(j), 10)
		b = append(b, `"}`...)
	}
	return append(b, "]}\n"...)
}

func textRow(i int, b []byte) []byte {
	switch i % 8 {
	case 0:
		return append(b, "--- !logd statistics record\n"...)
	case 1:
		return append(b, "type  : File Rotate\nfile  : /private/var/db/diagnostics/Persist/0000000000000a1b.tracev3\n"...)
	case 2:
		return append(b, "time  : 2025-04-07 07:42:54-0700\ntotal : 9733361\nprocs :\n"...)
	}
	b = append(b, "    - [    3117304,  32.0, /usr/libexec/daemon"...)
	b = strconv.AppendInt(b, int64(i%8), 10)
	return append(b, " ]\n"...)
}

// benchmark parses 100 MB from gen; memory should stay flat (peak-heap-MB about the
// same for any size).
func benchmark(b *testing.B, gen func(int, []byte) []byte) {
	const size = 100 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	var ms runtime.MemStats
	for b.Loop() {
		n := 0
		st, err := Parse(formattest.LineSource(size, gen), func(Record) error {
			if n++; n%100000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		})
		if err != nil || st.Skipped > 1 {
			b.Fatalf("stats %+v, err %v", st, err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

func BenchmarkParseJSONL(b *testing.B) { benchmark(b, jsonRow) }

func BenchmarkParseText(b *testing.B) { benchmark(b, textRow) }
