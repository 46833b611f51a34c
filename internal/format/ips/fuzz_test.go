package ips

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/format/formattest"
)

var update = flag.Bool("update", false, "rewrite the checked-in fuzz seed corpus")

// seeds are the fuzzing starting points; they are also checked in under
// testdata/fuzz/<target> so that plain go test runs them.
func seeds() map[string][]byte {
	return map[string][]byte{
		"crash":     []byte(report(crashHeader(), mustJSON(crashBody(), false))),
		"stacks":    []byte(stacksReport()),
		"jetsam":    []byte(jetsamReport()),
		"analytics": []byte(analyticsReport()),
		"plist":     []byte(plistReport()),
		"text":      []byte(report(map[string]any{"bug_type": "109"}, textBody)),
		"odd":       []byte("{\"timestamp\":\"2024-02-29 23:59:59.5 -0330\",\"platform\":\"0x2\"}\n{\"processByPid\":{\"1\":{\"procname\":2}},\"usedImages\":[[1]],\"exception\":\"0x1\"}\n{"),
		"garbage":   []byte("\xef\xbb\xbf\x00{]\n<plist><dict><key>"),
	}
}

func fileSeeds() map[string]string {
	return map[string]string{
		"compact": "JetsamEvent-2023-05-24-132915.ips",
		"dashed":  "stacks+com.apple.WebKit.WebContent-2023-05-24-13-29-15.ips.ca.synced",
		"counter": "/a/panic-full-2023-05-24-132915.0002.ips",
		"bad":     "-9999-99-99-999999.ips",
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Parse(bytes.NewReader(data))
		if err != nil && !errors.Is(err, ErrNoHeader) {
			t.Fatalf("content made Parse fail: %v", err)
		}
		if len(rep.Processes) > MaxNames || len(rep.ImagePaths) > MaxPaths || len(rep.Crash.TerminationReasons) > MaxReasons {
			t.Fatalf("bounds: %d names, %d paths", len(rep.Processes), len(rep.ImagePaths))
		}
		if rep.Body == "" || rep.Body == BodyUnknown && rep.BodyErr == nil {
			t.Fatalf("body %q, err %v", rep.Body, rep.BodyErr)
		}
		for _, ts := range []time.Time{rep.Header.Timestamp, rep.Crash.CaptureTime, rep.Crash.ProcLaunch} {
			if !ts.IsZero() && ts.Location() != time.UTC {
				t.Fatalf("time not UTC: %v", ts)
			}
		}
		_ = rep.Names()
		_ = rep.Paths()
	})
}

func FuzzParseFileName(f *testing.F) {
	for _, s := range fileSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file string) {
		name, local, ok := ParseFileName(file)
		if ok && (name == "" || local.IsZero()) {
			t.Fatalf("accepted %q as %q %v", file, name, local)
		}
		if !ok && (name != "" || !local.IsZero()) {
			t.Fatalf("rejected %q but returned %q %v", file, name, local)
		}
	})
}

// TestSeedCorpus keeps the checked-in corpus in step with the seeds; run with
// -update after changing them.
func TestSeedCorpus(t *testing.T) {
	files := map[string][]byte{}
	for name, data := range seeds() {
		files[filepath.Join("FuzzParse", "seed-"+name)] = formattest.SeedFile(data)
	}
	for name, s := range fileSeeds() {
		files[filepath.Join("FuzzParseFileName", "seed-"+name)] = formattest.SeedFile(s)
	}
	formattest.CheckCorpus(t, files, *update)
}
