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

// crash400Report is a crash report (bug_type 309) of 400 loaded images and 20
// threads of 30 frames, the size of a real app crash.
func crash400Report() string {
	body := crashBody()
	images := make([]any, 0, 400)
	for i := range 400 {
		images = append(images, map[string]any{"source": "P", "arch": "arm64e", "base": 6000000000 + i*4096,
			"size": 4096, "uuid": "0d78bd90-7bf8-3f60-8099-c712bcdfedea", "CFBundleIdentifier": "com.apple.framework" + strconv.Itoa(i),
			"path": "/System/Library/Frameworks/F" + strconv.Itoa(i) + ".framework/F" + strconv.Itoa(i), "name": "F" + strconv.Itoa(i)})
	}
	body["usedImages"] = images
	threads := make([]any, 0, 20)
	for i := range 20 {
		frames := make([]any, 0, 30)
		for j := range 30 {
			frames = append(frames, map[string]any{"imageOffset": 8952 + j, "symbol": "mach_msg2_trap", "symbolLocation": 8, "imageIndex": j % 400})
		}
		threads = append(threads, map[string]any{"id": 93703 + i, "queue": "com.apple.main-thread", "frames": frames,
			"threadState": map[string]any{"x": []any{map[string]any{"value": 268451845}, map[string]any{"value": 17179869187}}}})
	}
	body["threads"] = threads
	return report(crashHeader(), mustJSON(body, true))
}

func BenchmarkParseCrash400Images(b *testing.B) {
	in := crash400Report()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Parse(strings.NewReader(in))
		if err != nil || len(rep.ImagePaths) != 400 {
			b.Fatalf("%d paths, err %v", len(rep.ImagePaths), err)
		}
	}
}
