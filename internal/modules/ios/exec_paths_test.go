package ios

import (
	"testing"

	"github.com/vigil-project/vigil/internal/module"
)

func TestUnusualExecutable(t *testing.T) {
	const none = module.Severity(-1)
	tests := []struct {
		exe  string
		want module.Severity
	}{
		{"/private/var/tmp/UserEventAgent", module.High},
		{"/var/tmp/hooker", module.High},
		{"/tmp/takePhoto", module.High},
		{"/private/tmp/l/x", module.High},
		{"/private/var/db/com.apple.xpc.roleaccountd.staging/com.apple.WebKit.Networking", module.High},
		{"/private/var/db/com.apple.xpc.roleaccountd.staging/exec/com.apple.MobileSoftwareUpdate.UpdateBrainService.xpc/" + updateBrain, module.Low},
		{"/private/var/db/helperd", module.Medium},
		{"/private/var/mobile/Library/Caches/agent", module.Medium},
		{"/private/var/mobile/Containers/Data/Application/1F0B2C7E-0000-4000-8000-000000000001/tool", module.Medium},
		{"/private/var/containers/Shared/SystemGroup/x/y", module.Medium},
		{"/var/jb/usr/bin/bash", module.Medium},
		{"/private/preboot/5A1B/jb-Xy12/procursus/usr/bin/sshd", module.Medium},
		{"/private/var/containers/Bundle/Application/../../../tmp/x", module.High}, // ".." cannot hide a folder
		// decoys: where iOS installs programs
		{"/private/var/containers/Bundle/Application/4B6E715E-641B-4F43-B39B-CA9AE3E8B73B/Signal.app/Signal", none},
		{"/var/containers/Bundle/Application/4B6E715E-641B-4F43-B39B-CA9AE3E8B73B/Signal.app/PlugIns/N.appex/N", none},
		{"/private/var/staged_system_apps/Weather.app/Weather", none},
		{"/private/preboot/Cryptexes/App/System/Library/Frameworks/WebKit.framework/XPCServices/com.apple.WebKit.Networking.xpc/com.apple.WebKit.Networking", none},
		{"/System/Library/CoreServices/SpringBoard.app/SpringBoard", none},
		{"/usr/libexec/lsd", none},
		{"/sbin/launchd", none},
		{"/kernel", none},
		{"/private/varnish/x", none},
		{"tmp/x", none},
		{"-zsh", none},
		{"", none},
	}
	for _, tc := range tests {
		pl, ok := unusualExecutable(tc.exe)
		got := none
		if ok {
			got = pl.Severity
			if pl.Where == "" {
				t.Errorf("%q: no explanation", tc.exe)
			}
		}
		if got != tc.want {
			t.Errorf("unusualExecutable(%q) = %v, want %v", tc.exe, got, tc.want)
		}
	}
}

func TestUnusualPathsOnce(t *testing.T) {
	u := newUnusualPaths()
	if _, ok := u.check("/var/tmp/x"); !ok {
		t.Fatal("first sighting not reported")
	}
	if _, ok := u.check("/private/var/tmp/x"); ok {
		t.Error("the same program under its other spelling was reported twice")
	}
	if _, ok := u.check("/usr/libexec/lsd"); ok {
		t.Error("a system program was reported")
	}
}
