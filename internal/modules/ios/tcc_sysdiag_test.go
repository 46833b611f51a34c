package ios

import (
	"errors"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// TestTCCSysdiagnose reads the copy of TCC.db a sysdiagnose keeps under
// logs/Accessibility; the one at the backup's path inside the folder is a decoy.
func TestTCCSysdiagnose(t *testing.T) {
	b := fixture.NewBackup()
	if err := fixture.TCC(b, fixture.TCCv3, tccEntries()); err != nil {
		t.Fatal(err)
	}
	s := newSysdiagFixture(t)
	if err := fixture.SysdiagCopy(s, b, fixture.TCCDomain, fixture.TCCPath, fixture.SysdiagTCCPath); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewTCC(), openSysdiagFixture(t, s))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 2 {
		t.Fatalf("err %v, problems %v, records %d", res.Err, res.Problems, len(res.Records))
	}
	if a := res.Records[1].(TCCAccess); a.Database != fixture.SysdiagTCCPath || a.Client != "/private/var/tmp/com.apple.avcapture" {
		t.Errorf("record = %+v", a)
	}
	if !slices.Contains(res.Observables(), ioc.Observable{Type: ioc.FilePath, Value: "/private/var/tmp/com.apple.avcapture"}) {
		t.Errorf("observables = %v", res.Observables())
	}

	decoy := newSysdiagFixture(t)
	if err := fixture.SysdiagCopy(decoy, b, fixture.TCCDomain, fixture.TCCPath, fixture.TCCPath); err != nil {
		t.Fatal(err)
	}
	if res := moduletest.Run(t, NewTCC(), openSysdiagFixture(t, decoy)); !errors.Is(res.Err, module.ErrNoData) {
		t.Errorf("TCC.db outside logs/Accessibility: err = %v", res.Err)
	}

	corrupt := newSysdiagFixture(t)
	corrupt.File(fixture.SysdiagTCCPath, []byte("SQLite format 3\x00 but nothing after"))
	if res := moduletest.Run(t, NewTCC(), openSysdiagFixture(t, corrupt)); res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
		t.Errorf("corrupt TCC.db: err = %v", res.Err)
	}
}
