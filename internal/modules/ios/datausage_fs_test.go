package ios

import (
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

// runDataUsageOn runs the datausage module with its twins. On the filesystem twin the
// missing-binary check also flags the daemons whose program the fixture dump lacks: a
// dump can show that a file is nowhere on the device, a backup cannot, so those
// detections alone are left out of the comparison.
func runDataUsageOn(t testing.TB, a *acq.Acquisition) moduletest.Result {
	t.Helper()
	return moduletest.RunWithFilesystemExtras(t, NewDataUsage(), a, isMissingBinary)
}

func isMissingBinary(d module.Detection) bool {
	return d.Reference == missingBinaryDetection(DataUsageRecord{}, "").Reference
}

func TestDataUsageMissingBinaryOnDumps(t *testing.T) {
	b := fixture.NewBackup()
	if err := fixture.DataUsage(b, duProcesses, duLive, fixture.DataUsageOptions{}); err != nil {
		t.Fatal(err)
	}
	// The decoy daemon's program is on the device; BackupAgent's is not.
	b.Raw("System/Library/PrivateFrameworks/CoreTelephony.framework/Support/CumulativeUsageTracker", []byte("\xcf\xfa\xed\xfe"))
	for _, tt := range []struct {
		name string
		a    *acq.Acquisition
		want int
	}{
		{"backup", moduletest.OpenBackup(t, b), 0},
		{"filesystem", moduletest.OpenFilesystem(t, b), 1},
	} {
		res := runDataUsageOn(t, tt.a)
		var found []module.Detection
		for _, d := range res.Detections {
			if isMissingBinary(d) {
				found = append(found, d)
			}
		}
		if len(found) != tt.want || tt.want == 1 && !strings.Contains(found[0].Evidence, `"BackupAgent"`) {
			t.Errorf("%s: missing-binary detections = %+v", tt.name, found)
		}
	}
}
