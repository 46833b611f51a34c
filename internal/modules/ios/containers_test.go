package ios

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

func TestContainerOf(t *testing.T) {
	for p, want := range map[string]string{
		"private/var/mobile/Containers/Data/Application/ABC/Library/x.db": "private/var/mobile/Containers/Data/Application/ABC",
		"private/var/containers/Shared/SystemGroup/S/Library/p":           "private/var/containers/Shared/SystemGroup/S",
		"private/var/mobile/Library/SMS/sms.db":                           "",
		"private/var/mobile/Containers/Data/Application/":                 "",
	} {
		if got := containerOf(p); got != want {
			t.Errorf("containerOf(%q) = %q, want %q", p, got, want)
		}
	}
}

// webKitDump plants Safari's WebKit files and opens them as a filesystem dump.
func webKitDump(t *testing.T) *acq.Acquisition {
	t.Helper()
	b := fixture.NewBackup()
	seen := fixture.Epoch.Add(-time.Hour)
	if err := fixture.WebKitObservations(b, fixture.SafariAppDomain, []fixture.ObservedDomain{{Domain: "planted.example", LastSeen: seen}}); err != nil {
		t.Fatal(err)
	}
	if err := fixture.WebKitResourceLog(b, fixture.SafariAppDomain, []fixture.ResourceLogEntry{{Origin: "planted.example", LastSeen: seen}}); err != nil {
		t.Fatal(err)
	}
	return moduletest.OpenFilesystem(t, b)
}

// TestWebKitNamesTheAppOnDumps: a dump names Safari's container by UUID only; the records
// name the app through the container's metadata file, or the container when it is gone.
func TestWebKitNamesTheAppOnDumps(t *testing.T) {
	a := webKitDump(t)
	container := "private/var/mobile/Containers/Data/Application/" + fixture.ContainerUUID(fixture.SafariAppDomain)
	check := func(wantApp string) {
		t.Helper()
		obs := moduletest.Run(t, NewWebKitResourceLoadStatistics(), a)
		logs := moduletest.Run(t, NewWebKitSessionResourceLog(), a)
		if len(obs.Records) != 1 || len(logs.Records) != 1 {
			t.Fatalf("records: %+v, %+v (%v, %v)", obs.Records, logs.Records, obs.Err, logs.Err)
		}
		o, l := obs.Records[0].(WebKitObservedDomain), logs.Records[0].(WebKitResourceLogEntry)
		if o.App != wantApp || o.BackupDomain != "" || !strings.HasPrefix(o.Database, container+"/") {
			t.Errorf("observation = %+v", o)
		}
		if l.App != wantApp || l.BackupDomain != "" || !strings.HasPrefix(l.File, container+"/") {
			t.Errorf("resource log entry = %+v", l)
		}
		for _, ev := range append(obs.Events(), logs.Events()...) {
			if !strings.HasSuffix(ev.Description, " in "+wantApp) {
				t.Errorf("event = %+v", ev)
			}
		}
	}
	check("com.apple.mobilesafari")
	if err := os.Remove(a.Path + "/" + container + "/" + fixture.ContainerMetadataFile); err != nil {
		t.Fatal(err)
	}
	check(container)
}
