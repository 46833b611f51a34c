package ips

import (
	"testing"
	"time"
)

func TestParseFileName(t *testing.T) {
	tests := []struct {
		file, name, local string
		ok                bool
	}{
		{"MobileSafari-2023-05-24-132915.ips", "MobileSafari", "2023-05-24T13:29:15", true},
		{"crashes_and_spins/JetsamEvent-2023-05-24-132915.ips", "JetsamEvent", "2023-05-24T13:29:15", true},
		{"/x/stacks+com.apple.WebKit.WebContent-2023-05-24-13-29-15.ips", "stacks+com.apple.WebKit.WebContent", "2023-05-24T13:29:15", true},
		{"ExcUserFault_MobileSafari-2023-05-24-132915.ips", "ExcUserFault_MobileSafari", "2023-05-24T13:29:15", true},
		{"panic-full-2023-05-24-132915.0002.ips", "panic-full", "2023-05-24T13:29:15", true},
		{"Analytics-2023-05-24-000000.ips.ca.synced", "Analytics", "2023-05-24T00:00:00", true},
		{`C:\cases\com.example.my-app-2024-02-29-235959.ips`, "com.example.my-app", "2024-02-29T23:59:59", true},
		{"SiriSearchFeedback-2023-05-24-132915.panic", "SiriSearchFeedback", "2023-05-24T13:29:15", true},
		{"-2023-05-24-132915.ips", "", "", false},
		{"MobileSafari-2023-02-30-132915.ips", "", "", false},
		{"MobileSafari-2023-05-24-256915.ips", "", "", false},
		{"MobileSafari-2023-05-24-13291.ips", "", "", false},
		{"MobileSafari-2023-05-24 132915.ips", "", "", false},
		{"MobileSafari-+023-05-24-132915.ips", "", "", false},
		{"MobileSafari.ips", "", "", false},
		{"", "", "", false},
	}
	for _, tc := range tests {
		name, local, ok := ParseFileName(tc.file)
		if ok != tc.ok || name != tc.name || (ok && local.Format("2006-01-02T15:04:05") != tc.local) {
			t.Errorf("ParseFileName(%q) = %q, %v, %v", tc.file, name, local, ok)
		}
		if ok && local.Location() != time.UTC {
			t.Errorf("%q: location %v", tc.file, local.Location())
		}
	}
}
