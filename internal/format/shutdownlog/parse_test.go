package shutdownlog

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const staging = "/private/var/db/com.apple.xpc.roleaccountd.staging/com.apple.WebKit.Networking"

// sample has two reboots (the first with three waits and a client under a path Pegasus
// used), indented lines as iOS writes them, and an unterminated tail.
var sample = strings.Join([]string{
	"\tAfter 0.35s, these clients are still here:",
	"\t\tremaining client pid: 1234 (/usr/libexec/nfcd/2C9E5B8A-1F4D-4C8E-9B7A-2D6F0E1A3B4C)",
	"\t\tremaining client pid: 87 (" + staging + ")",
	"\tAfter 1.02s, these clients are still here:",
	"\t\tremaining client pid: 87 (" + staging + ")",
	"\tAfter 3.50s, these clients are still here:",
	"\t\tremaining client pid: 87 (" + staging + ")",
	"SIGTERM: [1651752473]",
	"SIGTERM: [1651839000]",
	"After 0.20s, these clients are still here:",
	"remaining client pid: 55 (/usr/sbin/wifid (copy))",
}, "\r\n")

func parseAll(t *testing.T, s string) []Reboot {
	t.Helper()
	var out []Reboot
	if err := Parse(strings.NewReader(s), func(r Reboot) error { out = append(out, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParse(t *testing.T) {
	got := parseAll(t, sample)
	want := []Reboot{
		{Time: time.Unix(1651752473, 0).UTC(), Line: 8, Terminated: true, Delays: 3, Elapsed: 3.5, Clients: []Client{
			{PID: 1234, Path: "/usr/libexec/nfcd/2C9E5B8A-1F4D-4C8E-9B7A-2D6F0E1A3B4C", Listed: 1, StillThereAfter: 0.35},
			{PID: 87, Path: staging, Listed: 3, StillThereAfter: 3.5},
		}},
		{Time: time.Unix(1651839000, 0).UTC(), Line: 9, Terminated: true},
		{Line: 11, Delays: 1, Elapsed: 0.2, Clients: []Client{{PID: 55, Path: "/usr/sbin/wifid (copy)", Listed: 1, StillThereAfter: 0.2}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reboots (-want +got):\n%s", diff)
	}
	if exe, id := got[0].Clients[0].Executable(), got[0].Clients[0].UUID(); exe != "/usr/libexec/nfcd" || id != "2C9E5B8A-1F4D-4C8E-9B7A-2D6F0E1A3B4C" {
		t.Errorf("split = %q, %q", exe, id)
	}
}

func TestParseOddLines(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Reboot
	}{
		{"empty", "", nil},
		{"noise only", "hello\n\x00\xff\n", nil},
		{"time after @", "SIGTERM: @1651752473 from launchd", []Reboot{{Time: time.Unix(1651752473, 0).UTC(), Line: 1, Terminated: true}}},
		{"unreadable time", "SIGTERM: [soon]", []Reboot{{Line: 1, Terminated: true}}},
		{"negative time", "SIGTERM: [-5]", []Reboot{{Line: 1, Terminated: true}}},
		{"client without parentheses or pid", "remaining client pid: x\nSIGTERM: [1]", []Reboot{
			{Time: time.Unix(1, 0).UTC(), Line: 2, Terminated: true, Clients: []Client{{Listed: 1}}}}},
		{"odd delay", "After NaNs, these clients are still here:\nAfter -1s, these clients are still here:\nSIGTERM: [2]", []Reboot{
			{Time: time.Unix(2, 0).UTC(), Line: 3, Terminated: true, Delays: 2}}},
		{"invalid UTF-8 path", "remaining client pid: 1 (/tmp/\xff)\nSIGTERM: [3]", []Reboot{
			{Time: time.Unix(3, 0).UTC(), Line: 2, Terminated: true, Clients: []Client{{PID: 1, Path: "/tmp/\uFFFD", Listed: 1}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, parseAll(t, tt.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseBounds(t *testing.T) {
	var sb strings.Builder
	for i := range MaxClients + 10 {
		sb.WriteString("remaining client pid: ")
		sb.WriteString(strings.Repeat("1", 1+i%3))
		sb.WriteString(" (/x/" + strings.Repeat("a", i%50) + string(rune('a'+i%26)) + "/" + strconv.Itoa(i) + ")\n")
	}
	sb.WriteString("remaining client pid: 9 (" + strings.Repeat("p", 3*MaxLineLen) + ")\nSIGTERM: [4]\n")
	got := parseAll(t, sb.String())
	if len(got) != 1 || len(got[0].Clients) != MaxClients || got[0].DroppedClients != 11 {
		t.Fatalf("clients kept %d, dropped %d", len(got[0].Clients), got[0].DroppedClients)
	}
	if got[0].Line != MaxClients+12 || got[0].Time.Unix() != 4 {
		t.Errorf("block after a long line: line %d, time %v", got[0].Line, got[0].Time)
	}
}

func TestParseStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := Parse(strings.NewReader(sample), func(Reboot) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("err %v after %d calls", err, calls)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk gone") }

func TestParseReadError(t *testing.T) {
	if err := Parse(failingReader{}, func(Reboot) error { return nil }); err == nil {
		t.Error("a read error was swallowed")
	}
}

func TestSplitUUID(t *testing.T) {
	tests := []struct{ in, exe, id string }{
		{"/usr/libexec/foo/2c9e5b8a-1f4d-4c8e-9b7a-2d6f0e1a3b4c", "/usr/libexec/foo", "2c9e5b8a-1f4d-4c8e-9b7a-2d6f0e1a3b4c"},
		{"/usr/libexec/foo", "/usr/libexec/foo", ""},
		{"2C9E5B8A-1F4D-4C8E-9B7A-2D6F0E1A3B4C", "2C9E5B8A-1F4D-4C8E-9B7A-2D6F0E1A3B4C", ""},
		{"/a/2C9E5B8A_1F4D-4C8E-9B7A-2D6F0E1A3B4C", "/a/2C9E5B8A_1F4D-4C8E-9B7A-2D6F0E1A3B4C", ""},
		{"/a/ZC9E5B8A-1F4D-4C8E-9B7A-2D6F0E1A3B4C", "/a/ZC9E5B8A-1F4D-4C8E-9B7A-2D6F0E1A3B4C", ""},
	}
	for _, tt := range tests {
		if exe, id := SplitUUID(tt.in); exe != tt.exe || id != tt.id {
			t.Errorf("SplitUUID(%q) = %q, %q", tt.in, exe, id)
		}
	}
}
