package logdstats

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Invented records in the shapes logd writes.
const (
	jsonl = `{"record":"logd statistics","type":"File Rotate","file":"/private/var/db/diagnostics/Persist/0000000000000a1b.tracev3","unixTime":1744036974,"totalBytes":9733361,"processList":[{"sizeBytes":3117304,"process":"/usr/libexec/backboardd"},{"sizeBytes":188800,"process":"/private/var/containers/Bundle/Application/4B6E715E-641B-4F43-B39B-CA9AE3E8B73B/Signal.app/Signal.hooked"}]}
{"record":"logd quarantine","superQuarantine":true,"file":"/private/var/db/diagnostics/Persist/0000000000000a1c.tracev3","client":"/private/var/db/com.apple.xpc.roleaccountd.staging/bh","unixTime":1744037000,"timeCovered":12,"sizeBytes":4000000,"totalBytes":5000000}
`
	text = `--- !logd statistics record
type  : Memory Rollover
time  : 2025-04-07 07:42:54-0700
total : 9733361
procs :
    - [    3117304,  32.0, /usr/libexec/backboardd ]
    - [     188800,   1.9, /private/var/containers/Bundle/Application/4B6E715E-641B-4F43-B39B-CA9AE3E8B73B/Signal.app/Signal.hooked ]
    - [       1000,   0.0, /Applications/Odd, Name [x].app/Odd ]
--- !logd statistics record
type  : File Rotate
file  : /private/var/db/diagnostics/Persist/0000000000000a1b.tracev3
time  : 2025-04-07 09:00:00+0200
total : 10
procs :
    - [         10, 100.0, /kernel ]

--- !logd quarantine record
type         : Quaratine
file         : /private/var/db/diagnostics/Persist/0000000000000a1c.tracev3
client       : /private/var/db/com.apple.xpc.roleaccountd.staging/bh
time         : 2025-04-07 07:43:20-0700
time covered : 12
client total : 4000000
overall total: 5000000

`
)

func collect(t *testing.T, parse func(*strings.Reader, func(Record) error) (Stats, error), in string) ([]Record, Stats) {
	t.Helper()
	var out []Record
	st, err := parse(strings.NewReader(in), func(r Record) error { out = append(out, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

var (
	signal = "/private/var/containers/Bundle/Application/4B6E715E-641B-4F43-B39B-CA9AE3E8B73B/Signal.app/Signal.hooked"
	bh     = "/private/var/db/com.apple.xpc.roleaccountd.staging/bh"
	rotA   = "/private/var/db/diagnostics/Persist/0000000000000a1b.tracev3"
	rotB   = "/private/var/db/diagnostics/Persist/0000000000000a1c.tracev3"
)

func TestParse(t *testing.T) {
	wantJSON := []Record{
		{Line: 1, Kind: KindStatistics, Time: utc("2025-04-07T14:42:54Z"), Type: "File Rotate", File: rotA,
			Processes: []string{"/usr/libexec/backboardd", signal}, Total: 9733361},
		{Line: 2, Kind: KindQuarantine, Time: utc("2025-04-07T14:43:20Z"), Type: "Super Quarantine", File: rotB,
			Processes: []string{bh}, Total: 5000000},
	}
	wantText := []Record{
		{Line: 1, Kind: KindStatistics, Time: utc("2025-04-07T14:42:54Z"), Type: "Memory Rollover",
			Processes: []string{"/usr/libexec/backboardd", signal, "/Applications/Odd, Name [x].app/Odd"}, Total: 9733361},
		{Line: 9, Kind: KindStatistics, Time: utc("2025-04-07T07:00:00Z"), Type: "File Rotate", File: rotA,
			Processes: []string{"/kernel"}, Total: 10},
		{Line: 17, Kind: KindQuarantine, Time: utc("2025-04-07T14:43:20Z"), Type: "Quarantine", File: rotB,
			Processes: []string{bh}, Total: 5000000},
	}
	sniff := func(r *strings.Reader, fn func(Record) error) (Stats, error) { return Parse(r, fn) }
	jsonOnly := func(r *strings.Reader, fn func(Record) error) (Stats, error) { return ParseJSONL(r, fn) }
	textOnly := func(r *strings.Reader, fn func(Record) error) (Stats, error) { return ParseText(r, fn) }
	tests := []struct {
		name  string
		parse func(*strings.Reader, func(Record) error) (Stats, error)
		in    string
		want  []Record
	}{
		{"jsonl", jsonOnly, jsonl, wantJSON},
		{"jsonl sniffed", sniff, jsonl, wantJSON},
		{"text", textOnly, text, wantText},
		{"text sniffed with CRLF", sniff, strings.ReplaceAll(text, "\n", "\r\n"), wantText},
		{"empty", sniff, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, st := collect(t, tc.parse, tc.in)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if st.Skipped != 0 || st.Records != len(tc.want) || st.NoTime != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestMalformed(t *testing.T) {
	textOnly := func(r *strings.Reader, fn func(Record) error) (Stats, error) { return ParseText(r, fn) }
	sniff := func(r *strings.Reader, fn func(Record) error) (Stats, error) { return Parse(r, fn) }
	tests := []struct {
		name         string
		parse        func(*strings.Reader, func(Record) error) (Stats, error)
		in           string
		records      int
		skipped      int
		firstSkipped int
		noTime       int
		procs        int // processes of the first record
	}{
		{"broken json line", sniff, "\n{\"unixTime\":1}\n{not json\n[1,2]\n", 1, 2, 3, 0, 0},
		{"wrong-typed key keeps the rest", sniff, `{"unixTime":"soon","processList":[{"process":"/a"},{"process":7}]}`, 1, 0, 0, 1, 1},
		{"huge process list is bounded", sniff, `{"unixTime":1,"processList":[` + strings.Repeat(`{"process":"/p"},`, MaxProcesses+5) + `{"process":"/q"}]}`, 1, 0, 0, 0, MaxProcesses},
		{"stray lines outside records", textOnly, "junk\n--- !logd statistics record\ntime  : 2025-04-07 07:42:54-0700\n", 1, 1, 1, 0, 0},
		{"bad process and field lines", textOnly, "--- !logd statistics record\nprocs :\n- [ x, 1, /a ]\n- [ 1, 2 ]\n- [ 1, 2, /b\nnonsense\n- [ 3, 4, /c ]\n", 1, 4, 3, 1, 1},
		{"unknown block skipped whole", textOnly, "--- !logd other record\ntime : x\n- [ 1, 2, /a ]\n", 0, 0, 0, 0, 0},
		{"bad time", textOnly, "--- !logd statistics record\ntime  : yesterday\n", 1, 0, 0, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, st := collect(t, tc.parse, tc.in)
			if st.Records != tc.records || st.Skipped != tc.skipped || st.FirstSkipped != tc.firstSkipped || st.NoTime != tc.noTime {
				t.Errorf("stats %+v", st)
			}
			if len(got) > 0 && len(got[0].Processes) != tc.procs {
				t.Errorf("%d processes, want %d", len(got[0].Processes), tc.procs)
			}
		})
	}
}

func TestLongLines(t *testing.T) {
	long := `{"unixTime":1,"file":"` + strings.Repeat("x", MaxLineLen) + `"}` + "\n" + `{"unixTime":2}` + "\n"
	got, st := collect(t, func(r *strings.Reader, fn func(Record) error) (Stats, error) { return Parse(r, fn) }, long)
	if len(got) != 1 || st.Long != 1 || st.Skipped != 1 || got[0].Line != 2 {
		t.Errorf("stats %+v", st)
	}
	longText := "--- !logd statistics record\nfile  : " + strings.Repeat("y", 2*MaxLineLen) + "\n"
	got, st = collect(t, func(r *strings.Reader, fn func(Record) error) (Stats, error) { return ParseText(r, fn) }, longText)
	if len(got) != 1 || st.Long != 1 || len(got[0].File) > MaxLineLen {
		t.Errorf("stats %+v", st)
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
	for _, in := range []string{jsonl, text} {
		if _, err := Parse(strings.NewReader(in), func(Record) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("callback error lost: %v", err)
		}
	}
	if _, err := ParseJSONL(&failingReader{data: jsonl}, func(Record) error { return nil }); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("jsonl read error = %v", err)
	}
	if _, err := ParseText(&failingReader{data: "x\n"}, func(Record) error { return nil }); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("text read error = %v", err)
	}
	if _, err := Parse(&failingReader{}, func(Record) error { return nil }); err == nil {
		t.Error("sniff read error lost")
	}
}
