package pstxt

import "testing"

func TestSplitCommand(t *testing.T) {
	const bundle = "/private/var/containers/Bundle/Application/0E17174C-14FA-43BE-84F9-73F1A1786879/"
	tests := []struct {
		name, cmd, exe, args string
	}{
		{"bare path", "/sbin/launchd", "/sbin/launchd", ""},
		{"path and flags", "/usr/libexec/backboardd -d  x", "/usr/libexec/backboardd", "-d  x"},
		{"not a path", "-zsh", "-zsh", ""},
		{"not a path with args", "(launchd) foo", "(launchd)", "foo"},
		{"empty", "  ", "", ""},
		{"app named after its bundle", bundle + "My App.app/My App --flag", bundle + "My App.app/My App", "--flag"},
		{"app executable ends the command", bundle + "My App.app/My App", bundle + "My App.app/My App", ""},
		{"extension in a spaced bundle", bundle + "My App.app/PlugIns/Share Ext.appex/Share Ext -x", bundle + "My App.app/PlugIns/Share Ext.appex/Share Ext", "-x"},
		{"framework with a space", "/System/Library/PrivateFrameworks/A B.framework/Support/d arg", "/System/Library/PrivateFrameworks/A B.framework/Support/d", "arg"},
		{"spaced bundle, other executable name", bundle + "My App.app/runner --x", bundle + "My App.app/runner", "--x"},
		{"argument that looks like a bundle", "/usr/bin/tool -a x.app/y", "/usr/bin/tool", "-a x.app/y"},
		{"argument path", "/usr/bin/tool /x/y.app/z", "/usr/bin/tool", "/x/y.app/z"},
		{"short name is a prefix of the bundle only", bundle + "My App.app/My", bundle + "My App.app/My", ""},
		{"bundle name continues differently", bundle + "My App.app/My Other", bundle + "My App.app/My", "Other"},
		{"unknown spaced directory ends early", "/var/mobile/Library/Application Support/x/bh -v", "/var/mobile/Library/Application", "Support/x/bh -v"},
		{"trailing bundle dir", "/a/B C.app", "/a/B", "C.app"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			exe, args := SplitCommand(tc.cmd, nil)
			if exe != tc.exe || args != tc.args {
				t.Errorf("SplitCommand(%q) = %q, %q; want %q, %q", tc.cmd, exe, args, tc.exe, tc.args)
			}
		})
	}
}

func TestSplitCommandWithLookup(t *testing.T) {
	known := map[string]bool{
		"/var/mobile/Library/Application Support/x/bh": true,
		"/usr/bin/tool":  true,
		"/usr/bin/tool2": false,
	}
	exists := func(p string) bool { return known[p] }
	tests := []struct{ cmd, exe, args string }{
		{"/var/mobile/Library/Application Support/x/bh -v", "/var/mobile/Library/Application Support/x/bh", "-v"},
		{"/usr/bin/tool a b", "/usr/bin/tool", "a b"},
		// No prefix exists: the rule without a file system applies.
		{"/usr/bin/tool2 a", "/usr/bin/tool2", "a"},
	}
	for _, tc := range tests {
		exe, args := SplitCommand(tc.cmd, exists)
		if exe != tc.exe || args != tc.args {
			t.Errorf("SplitCommand(%q) = %q, %q; want %q, %q", tc.cmd, exe, args, tc.exe, tc.args)
		}
	}
}
