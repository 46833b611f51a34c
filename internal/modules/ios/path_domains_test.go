package ios

import (
	"slices"
	"testing"
)

func TestPathDomains(t *testing.T) {
	tests := []struct {
		path string
		want []string
	}{
		{"Library/WebKit/WebsiteData/LocalStorage/https_www.evil-domain.com_0.localstorage", []string{"www.evil-domain.com"}},
		{"Library/WebKit/WebsiteData/IndexedDB/v1/https_Tracker.Example.CO.UK_0", []string{"tracker.example.co.uk"}},
		{"Library/Caches/https_evil.app_443", []string{"evil.app"}},
		{"Library/WebKit/WebsiteData/LocalStorage/http_203.0.113.7_8080.localstorage", []string{"203.0.113.7"}},
		{"Library/Caches/cache_user@evil.com:8443/x", []string{"evil.com"}},
		{"Library/Preferences/com.apple.mobilesafari.plist", nil},
		{"Library/Caches/com.apple.mobilesafari", nil},
		{"Library/SplashBoard/Snapshots/sceneID_com.apple.mobilesafari-default", nil},
		{"Library/Caches/x_com.example.app", nil},
		{"Library/Caches/x_group.com.apple.news", nil},
		{"Media/DCIM/100APPLE/IMG_0001.MOV", nil},
		{"Documents/notes_v2.zip", nil},
		{"Library/Caches/build_1.2.3.4", nil},
		{"Library/Caches/a_localhost_0", nil},
		{"Library/Caches/a_evil.com.", []string{"evil.com"}},
		{"Library/Caches/a_évil.com", nil},
		{"Library/Caches/a_-bad-.com", nil},
		{"Library/Caches/a_co.uk", nil},
		{"Library/Caches/a_evil.com_b_evil.com", []string{"evil.com"}},
		{"Library/Caches/a_ev..il.com", nil},
		{"no dots here_at_all", nil},
	}
	for _, tt := range tests {
		if got := pathDomains(tt.path); !slices.Equal(got, tt.want) {
			t.Errorf("pathDomains(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
