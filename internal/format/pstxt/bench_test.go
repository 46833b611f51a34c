package pstxt

import (
	"io"
	"runtime"
	"strconv"
	"testing"
)

// source streams a header and generated rows up to size bytes, so that benchmarks on
// 100 MB of input hold none of it in memory.
type source struct {
	line func(i int, b []byte) []byte
	back []byte // reused for every generated line
	buf  []byte // the unread rest of the current line
	i    int
	left int
}

func (s *source) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && s.left > 0 {
		if len(s.buf) == 0 {
			s.back = s.line(s.i, s.back[:0])
			s.buf = s.back
			s.i++
		}
		c := copy(p[n:min(len(p), n+s.left)], s.buf)
		s.buf, n, s.left = s.buf[c:], n+c, s.left-c
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

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
		st, err := Parse(&source{line: benchRow, left: size}, func(p Process) error {
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
