package ips

import (
	"strconv"
	"strings"
	"testing"
)

// BenchmarkParseStackshot reads a 20 MB stackshot of 2000 processes, the largest
// kind of report a sysdiagnose holds (real ones are about 1 MB).
func BenchmarkParseStackshot(b *testing.B) {
	procs := map[string]any{}
	threads := map[string]any{}
	for i := range 40 {
		threads[strconv.Itoa(i)] = map[string]any{"id": i, "name": "com.apple.thread", "state": []any{"TH_WAIT"},
			"userFrames": []any{[]any{0, 68851607096}, []any{0, 68851607100}}}
	}
	for i := range 2000 {
		procs[strconv.Itoa(i)] = map[string]any{"pid": i, "procname": "daemon" + strconv.Itoa(i), "threadById": threads}
	}
	in := report(map[string]any{"bug_type": "288", "timestamp": "2023-02-10 10:07:16.00 -0500"},
		mustJSON(map[string]any{"reason": "sysdiagnose", "processByPid": procs}, true))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Parse(strings.NewReader(in))
		if err != nil || len(rep.Processes) != 2000 {
			b.Fatalf("%d processes, err %v", len(rep.Processes), err)
		}
	}
}
