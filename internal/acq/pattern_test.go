package acq

import "testing"

func TestMatchPattern(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"Library/SMS/sms.db", "Library/SMS/sms.db", true},
		{"Library/SMS/sms.db", "Library/SMS/sms.db-wal", false},
		{"Library/Safari/Profiles/*/History.db", "Library/Safari/Profiles/ABC/History.db", true},
		{"Library/Safari/Profiles/*/History.db", "Library/Safari/Profiles/A/B/History.db", false},
		{"Library/ConfigurationProfiles/profile-*", "Library/ConfigurationProfiles/profile-1.stub", true},
		{"Library/ConfigurationProfiles/profile-*", "Library/ConfigurationProfiles/profile-", true},
		{"Library/ConfigurationProfiles/profile-*", "Library/ConfigurationProfiles/x/profile-1", false},
		{"*", "", true},
		{"*.db", "a/b.db", false},
		{"a[1]?.db", "a[1]?.db", true}, // brackets and '?' are literal
		{"a[1]?.db", "a1x.db", false},
		{"AppDomain-*", "AppDomain-com.example", true},
		{"*x*y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxz", false},
	}
	for _, tt := range tests {
		if got := MatchPattern(tt.pattern, tt.name); got != tt.want {
			t.Errorf("MatchPattern(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}
