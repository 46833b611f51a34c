package multilinelog

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/internal/format/formattest"
)

// logRow writes installd-like entries, one in five with a plist continuation.
func logRow(i int, b []byte) []byte {
	b = append(b, "Sun Dec  2 11:05:48 2018 [47] <notice> (0x16bb5f000) -[MIContainer makeContainerLiveReplacingContainer:reason:withError:]: Made container live for com.example.app"...)
	b = strconv.AppendInt(b, int64(i%1000), 10)
	b = append(b, " at /private/var/mobile/Containers/Data/PluginKitPlugin/30D88275-F248-4A80-B406-431DC9D93268\n"...)
	if i%5 == 0 {
		b = append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>unbrick</key>\n\t<true/>\n</dict>\n</plist>\n"...)
	}
	return b
}

// BenchmarkParse reads 100 MB of entries and reads each message as an app event;
// memory should stay flat (peak-heap-MB about the same for any size).
func BenchmarkParse(b *testing.B) {
	const size = 100 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	var peak uint64
	var ms runtime.MemStats
	for b.Loop() {
		n, missed := 0, 0
		_, err := Parse(formattest.LineSource(size, logRow), func(e Entry) error {
			if _, ok := ParseAppEvent(e.Message); !ok {
				missed++ // only the entry the size limit cuts may miss
			}
			if n++; n%200000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		})
		if err != nil || missed > 1 {
			b.Fatalf("%d entries without an event, err %v", missed, err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
