package ioc

import (
	"strings"
	"testing"
)

// ruleSet holds the spec §12 indicators plus a few per rule, spread over two bundles so
// that load order and attribution are visible.
func ruleSet(tb testing.TB) *Set {
	return specSet(tb,
		BundleSpec{Malware: "First", Indicators: []IndicatorSpec{
			{"domain-name:value", "example.com"},
			{"domain-name:value", "cdn.example.net"},
			{"domain-name:value", "web.example.net"},
			{"domain-name:value", "www.example.org"},
			{"domain-name:value", "blogspot.com"}, // a public suffix: exact host only
			{"ipv4-addr:value", "192.0.2.1"},
			{"ipv4-addr:value", "198.51.100.0/24"},
			{"url:value", "http://example.com/bad"},
			{"app:id", "com.example.spy"},
			{"file:path", "/data/local/tmp/wd/"},
			{"file:path", "/private/var/tmp/hooker"},
			{"file:path", "/var/db/staging"},
			{"file:path", "Library/Preferences/com.x.plist"},
			{"file:path", "Library/Caches/evil/"},
			{"file:name", "evil.so"},
			{"process:name", "longprocessnamexyz"},
			{"process:name", "bh"},
			{"email-addr:value", "Spy@Example.com"},
			{"file:hashes.md5", "0123456789ABCDEF0123456789ABCDEF"},
			{"file:hashes.'SHA-256'", strings.Repeat("ab", 32)},
			{"file:hashes.sha1", strings.Repeat("cd", 20)},
			{"file:hashes.SHA-512", strings.Repeat("ef", 64)},
			{"app:cert.sha1", "AABBCCDDEEFF00112233445566778899AABBCCDD"},
			{"android-property:name", "sys.brand.note"},
			{"configuration-profile:id", "76DAB334-7E17-475D-A5D6-0794EB5818A5"},
		}},
		BundleSpec{Malware: "Second", Indicators: []IndicatorSpec{
			{"domain-name:value", "a.b.example.com"},
			{"domain-name:value", "example.com"},
		}},
	)
}

func TestMatchRules(t *testing.T) {
	s := ruleSet(t)
	tests := []struct {
		name string
		o    Observable
		want string // "rule:indicator" of every match, in order, space separated; "" for none
	}{
		// Spec §12, "Rec." column (x.cdn.example.net is a hit: the issue wants the suffix walk).
		{"§12 url exact", Observable{URL, "http://example.com/bad"}, "exact-host:example.com url:http://example.com/bad exact-host:example.com"},
		{"§12 registrable", Observable{URL, "https://a.b.example.com/x"}, "subdomain:example.com exact-host:a.b.example.com subdomain:example.com"},
		{"§12 subdomain of non-registrable", Observable{URL, "https://x.cdn.example.net/"}, "subdomain:cdn.example.net"},
		{"§12 host starting with w", Observable{URL, "https://web.example.net/"}, "exact-host:web.example.net"},
		{"§12 www indicator", Observable{URL, "https://www.example.org/"}, "exact-host:www.example.org"},
		{"§12 port", Observable{URL, "https://example.com:8443/"}, "exact-host:example.com exact-host:example.com"},
		{"§12 other IP", Observable{URL, "https://192.0.2.10/"}, ""},
		{"§12 IP with port", Observable{URL, "https://192.0.2.1:8080/"}, "ip:192.0.2.1"},
		{"§12 app id case", Observable{AppID, "COM.EXAMPLE.SPY"}, "app-id:com.example.spy"},
		{"§12 path boundary", Observable{FilePath, "/data/local/tmp/wdx/a"}, ""},
		{"§12 file name", Observable{FilePath, "/sdcard/evil.so"}, "file-name:evil.so"},
		{"§12 truncated process", Observable{Process, "longprocessnamex"}, "process-truncated:longprocessnamexyz"},

		// URL and host.
		{"url differs by slash", Observable{URL, "http://example.com/bad/"}, "exact-host:example.com exact-host:example.com"},
		{"upper-case host", Observable{URL, "HTTPS://EXAMPLE.COM/X"}, "exact-host:example.com exact-host:example.com"},
		{"bare host", Observable{URL, "example.com"}, "exact-host:example.com exact-host:example.com"},
		{"bare host path", Observable{URL, "cdn.example.net/x?y=1"}, "exact-host:cdn.example.net"},
		{"bare host port", Observable{URL, "cdn.example.net:8080"}, "exact-host:cdn.example.net"},
		{"user info", Observable{URL, "https://u:p@cdn.example.net/"}, "exact-host:cdn.example.net"},
		{"trailing dot", Observable{URL, "https://cdn.example.net./"}, "exact-host:cdn.example.net"},
		{"scheme relative", Observable{URL, "//cdn.example.net/a"}, "exact-host:cdn.example.net"},
		{"bad escape in path", Observable{URL, "https://cdn.example.net/%zz"}, "exact-host:cdn.example.net"},
		{"backslash trick", Observable{URL, `https://cdn.example.net\@good.org/`}, "exact-host:cdn.example.net"},
		{"www stripped once", Observable{URL, "https://www.web.example.net/"}, "exact-host:web.example.net"},
		{"no letter strip", Observable{URL, "https://eb.example.net/"}, ""},
		{"label boundary", Observable{URL, "https://notexample.com/"}, ""},
		{"indicator as a label", Observable{URL, "https://example.com.evil.org/"}, ""},
		{"other tld", Observable{URL, "https://example.co/"}, ""},
		{"public suffix indicator exact", Observable{URL, "https://blogspot.com/"}, "exact-host:blogspot.com"},
		{"public suffix indicator not parent", Observable{URL, "https://someone.blogspot.com/"}, ""},
		{"ip-like host name", Observable{URL, "https://192.0.2.1.evil.org/"}, ""},
		{"mapped IPv6", Observable{URL, "https://[::ffff:192.0.2.1]/"}, "ip:192.0.2.1"},
		{"cidr", Observable{URL, "http://198.51.100.77/"}, "ip-range:198.51.100.0/24"},
		{"outside cidr", Observable{URL, "http://198.51.101.1/"}, ""},
		{"domain observable", Observable{Domain, "CDN.example.net"}, "exact-host:cdn.example.net"},
		{"domain observable ip", Observable{Domain, "192.0.2.1"}, "ip:192.0.2.1"},
		{"domain observable url is not url rule", Observable{Domain, "http://example.com/bad"}, "exact-host:example.com exact-host:example.com"},

		// Substring fallback: only for text without a host, only at boundaries.
		{"garbage with ip", Observable{URL, "see 192.0.2.1 now"}, "substring:192.0.2.1"},
		{"garbage with longer ip", Observable{URL, "see 192.0.2.10 now"}, ""},
		{"garbage with domain", Observable{URL, "visit cdn.example.net."}, "substring:cdn.example.net"},
		{"garbage glued", Observable{URL, "visit xcdn.example.net today"}, ""},
		{"garbage hyphen", Observable{URL, "visit a-cdn.example.net today"}, ""},
		{"opaque url", Observable{URL, "mailto:boss@cdn.example.net"}, "substring:cdn.example.net"},

		// Processes.
		{"process exact", Observable{Process, "bh"}, "process:bh"},
		{"process path base", Observable{Process, "/usr/libexec/longprocessnamexyz"}, "process:longprocessnamexyz"},
		{"process case", Observable{Process, "BH"}, ""},
		{"process 17 chars", Observable{Process, "longprocessnamexy"}, ""},
		{"process 15 chars", Observable{Process, "longprocessname"}, ""},
		{"process prefix of short", Observable{Process, "b"}, ""},
		{"process component", Observable{ProcessPath, "/private/var/db/bh/x"}, "process-component:bh"},
		{"process component twice", Observable{ProcessPath, "bh/bh"}, "process-component:bh"},
		{"process component partial", Observable{ProcessPath, "/a/bhx/b"}, ""},

		// Files.
		{"dir itself", Observable{FilePath, "/data/local/tmp/wd"}, "file-path:/data/local/tmp/wd/"},
		{"under dir", Observable{FilePath, "/data/local/tmp/wd/x/y"}, "file-path:/data/local/tmp/wd/"},
		{"parent of dir", Observable{FilePath, "/data/local/tmp"}, ""},
		{"private var indicator", Observable{FilePath, "/var/tmp/hooker"}, "file-path:/private/var/tmp/hooker"},
		{"private var observed", Observable{FilePath, "/private/var/db/staging/x"}, "file-path:/var/db/staging"},
		{"file under file", Observable{FilePath, "/private/var/tmp/hookers"}, ""},
		{"relative suffix", Observable{FilePath, "/private/var/mobile/Library/Preferences/com.x.plist"}, "file-path-suffix:Library/Preferences/com.x.plist"},
		{"relative not at boundary", Observable{FilePath, "/var/mobile/XLibrary/Preferences/com.x.plist"}, ""},
		{"relative not a suffix", Observable{FilePath, "/var/mobile/Library/Preferences/com.x.plist.bak"}, ""},
		{"relative dir inside", Observable{FilePath, "/var/mobile/Library/Caches/evil/f.db"}, "file-path-suffix:Library/Caches/evil/"},
		{"relative dir itself", Observable{FilePath, "/var/mobile/Library/Caches/evil"}, "file-path-suffix:Library/Caches/evil/"},
		{"relative dir partial", Observable{FilePath, "/var/mobile/Library/Caches/evilx/f"}, ""},
		{"name case", Observable{FilePath, "/sdcard/Evil.so"}, ""},
		{"name longer", Observable{FilePath, "/sdcard/evil.so.bak"}, ""},
		{"file name observable", Observable{FileName, "evil.so"}, "file-name:evil.so"},
		{"file name observable path", Observable{FileName, "x/evil.so"}, ""},

		// Identifiers and hashes.
		{"email", Observable{Email, " mailto:SPY@example.COM "}, "email:Spy@Example.com"},
		{"email brackets", Observable{Email, `"<spy@example.com>"`}, "email:Spy@Example.com"},
		{"email other", Observable{Email, "spy@example.co"}, ""},
		{"md5", Observable{FileHash, "0123456789abcdef0123456789abcdef"}, "file-hash:0123456789ABCDEF0123456789ABCDEF"},
		{"sha256", Observable{FileHash, strings.Repeat("AB", 32)}, "file-hash:" + strings.Repeat("ab", 32)},
		{"sha1", Observable{FileHash, strings.Repeat("cd", 20)}, "file-hash:" + strings.Repeat("cd", 20)},
		{"sha512", Observable{FileHash, strings.Repeat("EF", 64)}, "file-hash:" + strings.Repeat("ef", 64)},
		{"hash prefix", Observable{FileHash, strings.Repeat("ab", 31)}, ""},
		{"cert colons", Observable{AppCertHash, "aa:bb:cc:dd:ee:ff:00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd"}, "app-cert:AABBCCDDEEFF00112233445566778899AABBCCDD"},
		{"cert is not a file hash", Observable{FileHash, "AABBCCDDEEFF00112233445566778899AABBCCDD"}, ""},
		{"app id other", Observable{AppID, "com.example.spyware"}, ""},
		{"property", Observable{AndroidProperty, "SYS.BRAND.NOTE"}, "android-property:sys.brand.note"},
		{"property prefix", Observable{AndroidProperty, "sys.brand"}, ""},
		{"profile case", Observable{ProfileID, "76dab334-7e17-475d-a5d6-0794eb5818a5"}, "profile-id:76DAB334-7E17-475D-A5D6-0794EB5818A5"},
		{"profile part", Observable{ProfileID, "76DAB334"}, ""},

		{"empty", Observable{URL, "  "}, ""},
		{"unknown type", Observable{"nope", "example.com"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range s.Match(tt.o) {
				got = append(got, m.Rule+":"+m.Indicator)
				if m.LowConfidence != (m.Rule == RuleSubstring) {
					t.Errorf("%s: LowConfidence %v", m.Rule, m.LowConfidence)
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("Match(%q %q)\n got %q\nwant %q", tt.o.Type, tt.o.Value, g, tt.want)
			}
		})
	}
}

// TestMatchFields checks that a Match is filled completely and in load order.
func TestMatchFields(t *testing.T) {
	s := ruleSet(t)
	o := Observable{URL, "https://example.com/"}
	m := s.Match(o)
	if len(m) != 2 {
		t.Fatalf("matches = %+v", m)
	}
	first, second := m[0], m[1]
	if first.Observable != o || first.Indicator != "example.com" || first.Key != "domain-name:value" ||
		first.Pattern != "[domain-name:value='example.com']" || !strings.HasPrefix(first.IndicatorID, "indicator--") ||
		first.Collection != "First" || !strings.HasPrefix(first.CollectionID, "malware--") ||
		first.SourceFile != "First.stix2" || first.Rule != RuleExactHost || first.LowConfidence {
		t.Errorf("first match = %+v", first)
	}
	if second.Collection != "Second" || second.SourceFile != "Second.stix2" || second.IndicatorID == first.IndicatorID {
		t.Errorf("second match = %+v", second)
	}
	var nilSet *Set
	if nilSet.Match(o) != nil {
		t.Error("nil Set matched")
	}
}

// TestMatchAllocations guards the hot path: a miss allocates nothing, a hit only its result.
func TestMatchAllocations(t *testing.T) {
	s := ruleSet(t)
	tests := []struct {
		o    Observable
		want float64
	}{
		{Observable{URL, "https://news.example.info/a?b=c"}, 0},
		{Observable{URL, "https://x.cdn.example.net/a"}, 1},
		{Observable{FilePath, "/private/var/mobile/Library/Caches/other/x.db"}, 0},
		{Observable{Process, "launchd"}, 0},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, func() { s.Match(tt.o) }); n != tt.want {
			t.Errorf("Match(%v): %v allocations, want %v", tt.o, n, tt.want)
		}
	}
}

// TestMatchConcurrent documents that a built Set is read-only; run with -race to check it.
func TestMatchConcurrent(t *testing.T) {
	s := ruleSet(t)
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 200 {
				s.Match(Observable{URL, "https://x.cdn.example.net/"})
				s.Match(Observable{FilePath, "/var/tmp/hooker"})
				s.Match(Observable{URL, "junk 192.0.2.1 junk"})
			}
		}()
	}
	for range 4 {
		<-done
	}
}
