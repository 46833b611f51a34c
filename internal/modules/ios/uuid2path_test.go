package ios

import (
	"slices"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
	"howett.net/plist"
)

const (
	u2pPegasus = "/private/var/db/com.apple.xpc.roleaccountd.staging/com.apple.WebKit.Networking"
	u2pTmp     = "/var/tmp/hooker" // the /var spelling
	u2pDecoy   = "/System/Library/PrivateFrameworks/IMCore.framework/imagent.app/imagent"
	u2pApp     = "/private/var/containers/Bundle/Application/6D1F0A2B-3C4D-4E5F-8A9B-0C1D2E3F4A5B/Notes.app/Notes"
)

func TestUUID2Path(t *testing.T) {
	s := newSysdiagFixture(t)
	if err := fixture.SysdiagUUIDPaths(s, map[string]string{
		"0F1E2D3C-4B5A-4697-8877-665544332211": u2pDecoy,
		"1A2B3C4D-5E6F-4071-8293-A4B5C6D7E8F9": u2pPegasus,
		"2B3C4D5E-6F70-4182-93A4-B5C6D7E8F9A0": u2pApp,
		"3C4D5E6F-7081-4293-A4B5-C6D7E8F9A0B1": u2pTmp,
		"4D5E6F70-8192-43A4-B5C6-D7E8F9A0B1C2": u2pTmp, // a second build of the same program
	}); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewUUID2Path(), openSysdiagFixture(t, s))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 5 {
		t.Fatalf("err %v, problems %v, records %d", res.Err, res.Problems, len(res.Records))
	}
	rec := res.Records[1].(BinaryLocation)
	if rec.UUID != "1A2B3C4D-5E6F-4071-8293-A4B5C6D7E8F9" || rec.Name != "com.apple.WebKit.Networking" || rec.File != fixture.SysdiagUUIDToBinaryLocations {
		t.Errorf("record = %+v", rec)
	}
	var got []string
	for _, d := range res.Detections {
		if d.Reference == "" || d.Message == "" || d.Record == nil {
			t.Errorf("detection %+v", d)
		}
		got = append(got, d.Severity.String()+" "+d.Evidence)
	}
	if want := []string{"high " + u2pPegasus, "high " + u2pTmp}; !slices.Equal(got, want) {
		t.Errorf("detections = %q, want %q", got, want)
	}
	for _, o := range []ioc.Observable{{Type: ioc.FilePath, Value: u2pPegasus}, {Type: ioc.Process, Value: u2pPegasus},
		{Type: ioc.FilePath, Value: u2pDecoy}} {
		if !slices.Contains(res.Observables(), o) {
			t.Errorf("missing observable %v", o)
		}
	}
	if len(res.Events()) != 0 {
		t.Errorf("events = %v", res.Events())
	}
}

func TestUUID2PathOddFiles(t *testing.T) {
	odd, err := plist.Marshal(map[string]any{"A": 42, "B": map[string]any{"path": "/x"}, "C": "", "D": "/usr/libexec/x"}, plist.XMLFormat)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		content  []byte // nil: no file
		err      error
		anyErr   bool
		records  int
		problems int
	}{
		{"absent", nil, module.ErrNoData, false, 0, 0},
		{"empty", []byte{}, module.ErrNoData, false, 0, 0},
		{"random bytes", []byte{0x00, 0xff, 0x13, 0x37}, nil, true, 0, 0},
		{"an array", []byte(`<plist><array><string>/x</string></array></plist>`), nil, true, 0, 0},
		{"values that are no paths", odd, nil, false, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSysdiagFixture(t)
			if tt.content != nil {
				s.File(fixture.SysdiagUUIDToBinaryLocations, tt.content)
			}
			res := moduletest.Run(t, NewUUID2Path(), openSysdiagFixture(t, s))
			if !wantOutcome(res.Err, tt.err, tt.anyErr) || len(res.Records) != tt.records || len(res.Problems) != tt.problems {
				t.Fatalf("err %v, records %d, problems %v", res.Err, len(res.Records), res.Problems)
			}
		})
	}
}
