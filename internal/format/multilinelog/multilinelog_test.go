package multilinelog

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Invented entries in the shapes installd, containermanagerd and mobileactivationd write.
const sample = `    "group.com.example.shared"
)
Sun Dec  2 11:04:22 2018 [47] <notice> (0x16bad3000) -[MIUninstaller _uninstallBundleWithIdentifier:error:]: Uninstalling identifier com.example.chat
Wed May 24 13:05:30 2023 [72] <notice> (0x16be43000) _containermanagerd_init_block_invoke: containermanagerd first boot cleanup complete
Wed May 24 12:58:04 2023 [173] <debug> (0x16bf9b000) MA: -[MobileActivationDaemon handleActivationInfoWithSession:activationSignature:completionBlock:]: Activation message:
<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
	<key>unbrick</key>
	<true/>
</dict>
</plist>

Mon Apr  7 06:41:21 2025 [343] <notice> (0x211a06380) main: Reboot detected
Mon Apr  7 07:40:47 2025 [446] <err> (0x16fd27000) +[MCMMetadata readAndValidateMetadataAtFileUrl:error:]: 199: Failed: {
    MCMMetadataIdentifier = "com.apple.VoiceMemos";
}
Mon Apr  7 07:41:00 2025 [446] <notice> (0x16fd27000) no function here at all
`

func parseAll(t *testing.T, s string) ([]Entry, Stats) {
	t.Helper()
	var out []Entry
	st, err := Parse(strings.NewReader(s), func(e Entry) error { out = append(out, e); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

func local(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParse(t *testing.T) {
	want := []Entry{
		{Line: 3, Local: local("2018-12-02 11:04:22"), PID: 47, Level: "notice", Thread: "0x16bad3000",
			Function: "-[MIUninstaller _uninstallBundleWithIdentifier:error:]", Message: "Uninstalling identifier com.example.chat"},
		{Line: 4, Local: local("2023-05-24 13:05:30"), PID: 72, Level: "notice", Thread: "0x16be43000",
			Function: "_containermanagerd_init_block_invoke", Message: "containermanagerd first boot cleanup complete"},
		{Line: 5, Local: local("2023-05-24 12:58:04"), PID: 173, Level: "debug", Thread: "0x16bf9b000",
			Function: "MA", Message: "-[MobileActivationDaemon handleActivationInfoWithSession:activationSignature:completionBlock:]: Activation message:\n" +
				"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>unbrick</key>\n\t<true/>\n</dict>\n</plist>"},
		{Line: 14, Local: local("2025-04-07 06:41:21"), PID: 343, Level: "notice", Thread: "0x211a06380",
			Function: "main", Message: "Reboot detected"},
		{Line: 15, Local: local("2025-04-07 07:40:47"), PID: 446, Level: "err", Thread: "0x16fd27000",
			Function: "+[MCMMetadata readAndValidateMetadataAtFileUrl:error:]", Message: "199: Failed: {\n    MCMMetadataIdentifier = \"com.apple.VoiceMemos\";\n}"},
		{Line: 18, Local: local("2025-04-07 07:41:00"), PID: 446, Level: "notice", Thread: "0x16fd27000",
			Message: "no function here at all"},
	}
	for _, tc := range []struct{ name, in string }{
		{"LF", sample},
		{"CRLF", strings.ReplaceAll(sample, "\n", "\r\n")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, st := parseAll(t, tc.in)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if st.Entries != len(want) || st.Orphans != 2 || st.FirstOrphan != 1 || st.Long != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestHeaderVariants(t *testing.T) {
	tests := []struct {
		name, line string
		ok         bool
		local      string
		function   string
	}{
		{"two-digit day", "Thu Nov 22 21:07:35 2018 [47] <notice> (0x16bb5f000) -[A b:]: m", true, "2018-11-22 21:07:35", "-[A b:]"},
		{"zero-padded day", "Sat Dec 01 08:20:27 2018 [47] <notice> (0x1) f: m", true, "2018-12-01 08:20:27", "f"},
		{"extra spaces", "Sat  Dec  1  08:20:27  2018  [47]  <notice>  (0x1)  m", true, "2018-12-01 08:20:27", ""},
		{"no message", "Sat Dec  1 08:20:27 2018 [47] <notice> (0x1)", true, "2018-12-01 08:20:27", ""},
		{"method without colon", "Sat Dec  1 08:20:27 2018 [47] <notice> (0x1) -[A b] m", true, "2018-12-01 08:20:27", ""},
		{"not a day", "Sat Feb 30 08:20:27 2018 [47] <notice> (0x1) m", false, "", ""},
		{"bad month", "Sat Dez  1 08:20:27 2018 [47] <notice> (0x1) m", false, "", ""},
		{"bad hour", "Sat Dec  1 25:20:27 2018 [47] <notice> (0x1) m", false, "", ""},
		{"no pid", "Sat Dec  1 08:20:27 2018 <notice> (0x1) m", false, "", ""},
		{"pid not a number", "Sat Dec  1 08:20:27 2018 [x] <notice> (0x1) m", false, "", ""},
		{"no level", "Sat Dec  1 08:20:27 2018 [47] (0x1) m", false, "", ""},
		{"unclosed thread", "Sat Dec  1 08:20:27 2018 [47] <notice> (0x1 m", false, "", ""},
		{"short", "Sat Dec", false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, _, ok := parseHead([]byte(tc.line))
			if ok != tc.ok {
				t.Fatalf("ok = %v", ok)
			}
			if ok && (e.Local.Format("2006-01-02 15:04:05") != tc.local || e.Function != tc.function) {
				t.Errorf("got %+v", e)
			}
		})
	}
}

func TestBounds(t *testing.T) {
	head := "Sat Dec  1 08:20:27 2018 [47] <notice> (0x1) f: "
	long := head + strings.Repeat("a", 2*MaxLineLen) + "\nnext\n"
	got, st := parseAll(t, long)
	if len(got) != 1 || !got[0].Truncated || st.Long != 1 || len(got[0].Message) > MaxLineLen+10 {
		t.Errorf("long line: %d entries, stats %+v", len(got), st)
	}
	big := head + "x\n" + strings.Repeat(strings.Repeat("b", 1000)+"\n", MaxMessageLen/1000+10) + head + "after\n"
	got, _ = parseAll(t, big)
	if len(got) != 2 || !got[0].Truncated || len(got[0].Message) > MaxMessageLen || got[1].Message != "after" {
		t.Errorf("big message: %d entries", len(got))
	}
	got, _ = parseAll(t, head+"bad \xff\xfe utf8\n")
	if len(got) != 1 || got[0].Message != "bad \uFFFD utf8" {
		t.Errorf("invalid UTF-8: %+v", got)
	}
}

type failingReader struct{ data string }

func (f *failingReader) Read(b []byte) (int, error) {
	if f.data == "" {
		return 0, errors.New("disk gone")
	}
	n := copy(b, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestErrors(t *testing.T) {
	stop := errors.New("stop")
	if _, err := Parse(strings.NewReader(sample), func(Entry) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("callback error lost: %v", err)
	}
	n := 0
	if _, err := Parse(strings.NewReader(sample), func(Entry) error {
		if n++; n == 6 {
			return stop
		}
		return nil
	}); !errors.Is(err, stop) {
		t.Errorf("last entry's callback error lost: %v", err)
	}
	if _, err := Parse(&failingReader{data: "a\nb\n"}, func(Entry) error { return nil }); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("read error = %v", err)
	}
	if got, st := parseAll(t, ""); len(got) != 0 || st.Lines != 0 {
		t.Errorf("empty: %v %+v", got, st)
	}
}
