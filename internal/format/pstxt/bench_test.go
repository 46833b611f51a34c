package pstxt

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/internal/format/formattest"
)

const benchHeader = "USER  UID PRSNA   PID  PPID        F  %CPU %MEM PRI NI      VSZ    RSS WCHAN    TT  STAT STARTED      TIME COMMAND\n"

func benchRow(i int, b []byte) []byte {
	if i == 0 {
		return append(b, benchHeader...)
	}
	b = append(b, "mobile 501 1000 "...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, "     1  4004044   0.0  0.0   0  0        0      0 -        ??  ?s    7:56AM   0:00.00 /var/containers/Bundle/Application/4B6E715E-641B-4F43-B39B-CA9AE3E8B73B/Signal.app/Signal --flag "...)
	b = strconv.AppendInt(b, int64(i%97), 10)
	return append(b, '\n')
}

// BenchmarkParse reads 100 MB of ps.txt rows; memory should stay flat (peak-heap-MB
// about the same for any size) and allocations come from the strings handed to fn.
func BenchmarkParse(b *testing.B) {
	const size = 100 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	var ms runtime.MemStats
	for b.Loop() {
		n := 0
		st, err := Parse(formattest.LineSource(size, benchRow), func(p Process) error {
			if n++; n%200000 == 0 {
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
