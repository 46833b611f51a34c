package ips

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// jsonSamples are bodies that exercise the JSON decoders' corners: repeated keys
// (merged or replaced), keys in other cases, nulls, odd types, escapes, bad UTF-8,
// several values, and syntax errors.
func jsonSamples() map[string]string {
	return map[string]string{
		"crash":       mustJSON(crashBody(), true),
		"crash400":    crash400Report(),
		"stacks":      stacksReport(),
		"jetsam":      jetsamReport(),
		"analytics":   analyticsReport(),
		"repeats":     `{"exception":{"type":"A"},"exception":{"signal":"B"},"exception":"x","termination":{"reasons":["r"]},"termination":{"code":"0x10","reasons":7},"usedImages":[{"path":"a"}],"usedImages":[{"path":"b"}],"usedImages":{},"processByPid":{"1":{"procname":"p"},"1":{"name":"q"}},"processByPid":null}`,
		"cases":       `{"PROCNAME":"a","procname":"b","PiD":3,"BundleInfo":{"cfbundleidentifier":"id"},"Exception":{"TYPE":"T"},"processes":[{"NAME":"n","ProcName":"m"}]}`,
		"nulls":       `{"procName":null,"pid":null,"bundleInfo":null,"usedImages":null,"usedImages":[null,{"path":null}],"termination":{"code":null,"reasons":[null,1,"x"]}}`,
		"odd types":   `{"procName":7,"pid":"12","exception":"0xbaaaaaad","termination":"gone","bundleInfo":[1],"usedImages":[["uuid",1,"P"],{"path":5}],"processByPid":[1],"processes":{"a":1},"parentPid":{},"userID":1.5e3,"procLaunch":5,"captureTime":"yesterday","coalitionName":-0.5e-3}`,
		"escapes":     `{"procName":"a\"b\\c\u00e9\ud83d\ude00\ud800x","procPath":"/\/x\ty","processByPid":{"\u0031":{"procname":"one"},"caf\u00e9":{"procname":"café"}}}`,
		"bad utf8":    "{\"procName\":\"a\xffb\",\"processByPid\":{\"\xfe\":{\"procname\":\"\xc3\"}}}",
		"escaped key": `{"proc\u004eame":"x"}`,
		"fold key":    "{\"reaſon\":\"x\",\"procName\":\"y\"}",
		"values":      "{\"procName\":\"a\"}\nnull\n{\"procName\":\"b\",\"pid\":4}{\"pid\":5}\n",
		"then array":  "{\"procName\":\"a\"}\n[1]",
		"then number": "{\"procName\":\"a\"} 12",
		"then junk":   "{\"procName\":\"a\"}\n{oops",
		"truncated":   `{"procName": "x", `,
		"bad number":  `{"pid": 01}`,
		"bad escape":  `{"procName": "\x"}`,
		"control":     "{\"procName\": \"a\tb\"}",
		"deep":        `{"threads":` + strings.Repeat("[", 900) + strings.Repeat("]", 900) + `,"procName":"d"}`,
		"deeper":      `{"threads":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `,"procName":"d"}`,
		"too deep":    `{"threads":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`,
		"numbers":     `{"pid":-0,"parentPid":1e2,"userID":"0x1f","termination":{"code":9223372036854775807}}`,
		"literals":    `{"procName":true,"procPath":false,"pid":tru}`,
	}
}

// readBoth decodes body through encoding/json and through the fast decoder; fast
// is false when the fast decoder gave up.
func readBoth(body []byte) (slow, fast Report, ok bool) {
	fresh := Report{Crash: Crash{PID: -1, ParentPID: -1, UserID: -1, TerminationCode: -1}}
	slow, fast = fresh, fresh
	slow.slowReadJSON(body)
	ok = fast.fastReadJSON(body)
	return slow, fast, ok
}

func checkSame(t *testing.T, body []byte) bool {
	t.Helper()
	slow, fast, ok := readBoth(body)
	if !ok {
		return false
	}
	if slow.BodyErr != nil {
		t.Fatalf("fast decoder accepted a body encoding/json rejects (%v): %q", slow.BodyErr, body)
	}
	if diff := cmp.Diff(slow, fast, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%q: (-encoding/json +fast):\n%s", body, diff)
	}
	return true
}

// bodies returns the ways readJSON may see data: whole, or after a header line.
func bodies(data []byte) [][]byte {
	out := [][]byte{bytes.TrimLeft(data, " \t\r\n")}
	if _, body, ok := bytes.Cut(data, []byte("\n")); ok {
		out = append(out, bytes.TrimLeft(body, " \t\r\n"))
	}
	return out
}

func TestFastDecoderEquivalence(t *testing.T) {
	// What the fast decoder must handle itself; for the rest it may give up.
	mustAccept := map[string]bool{"crash": true, "crash400": true, "stacks": true, "jetsam": true,
		"analytics": true, "repeats": true, "cases": true, "nulls": true, "odd types": true,
		"escapes": true, "bad utf8": true, "values": true, "deep": true, "numbers": true,
		"seed crash": true, "seed stacks": true, "seed jetsam": true, "seed analytics": true}
	inputs := map[string][]byte{}
	for name, s := range jsonSamples() {
		inputs[name] = []byte(s)
	}
	for name, s := range seeds() {
		inputs["seed "+name] = s
	}
	for name, in := range inputs {
		accepted := false
		for _, body := range bodies(in) {
			if checkSame(t, body) {
				accepted = true
			}
			checkFallback(t, body)
		}
		if mustAccept[name] && !accepted {
			t.Errorf("%s: fast decoder gave up", name)
		}
	}
}

// checkFallback checks that readJSON, fast decoder or not, gives what encoding/json
// gives, error wording included.
func checkFallback(t *testing.T, body []byte) {
	t.Helper()
	fresh := Report{Crash: Crash{PID: -1, ParentPID: -1, UserID: -1, TerminationCode: -1}}
	slow, got := fresh, fresh
	slow.slowReadJSON(body)
	got.readJSON(body)
	if (slow.BodyErr == nil) != (got.BodyErr == nil) || slow.BodyErr != nil && slow.BodyErr.Error() != got.BodyErr.Error() {
		t.Fatalf("%q: error %v, want %v", body, got.BodyErr, slow.BodyErr)
	}
	slow.BodyErr, got.BodyErr = nil, nil
	if diff := cmp.Diff(slow, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("%q: (-encoding/json +readJSON):\n%s", body, diff)
	}
}

func FuzzFastDecoder(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	for _, s := range jsonSamples() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, body := range bodies(data) {
			checkSame(t, body)
			checkFallback(t, body)
		}
	})
}
