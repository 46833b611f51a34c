package ios

import (
	"errors"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/acq/detect"
	"github.com/vigil-project/vigil/internal/fixture"
)

// sysdiagTaken is when the test sysdiagnoses were taken: fixture.Epoch, on a phone one
// hour east of UTC.
var sysdiagTaken = fixture.Epoch

// newSysdiagFixture starts a sysdiagnose taken at sysdiagTaken.
func newSysdiagFixture(t testing.TB) *fixture.Sysdiagnose {
	t.Helper()
	s, err := fixture.NewSysdiagnose(sysdiagTaken.In(time.FixedZone("", 3600)), "iPhone14,2", "17.4.1", "21E236")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// openSysdiagFixture writes s as the extracted folder the phone's archive holds and opens
// it as the scanner does.
func openSysdiagFixture(t testing.TB, s *fixture.Sysdiagnose) *acq.Acquisition {
	t.Helper()
	folder, err := s.WriteFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a, err := detect.Open(folder, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if a.Kind != acq.IOSSysdiag || !a.Facts.AcquiredAt.Equal(sysdiagTaken) {
		t.Fatalf("the fixture opened as %s taken at %v", a.Kind, a.Facts.AcquiredAt)
	}
	return a
}

// wantOutcome tells whether err is the outcome a table row expects: want (when not nil),
// any error (anyErr), or none.
func wantOutcome(err, want error, anyErr bool) bool {
	switch {
	case want != nil:
		return errors.Is(err, want)
	case anyErr:
		return err != nil
	}
	return err == nil
}
