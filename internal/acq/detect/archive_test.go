package detect

import "testing"

func TestWantPaths(t *testing.T) {
	want := WantPaths([]string{
		"private/var/mobile/Library/SMS/sms.db",
		"private/var/mobile/Containers/Shared/AppGroup/*/ChatStorage.sqlite",
		"private/var/db/diagnostics/shutdown*.log",
	})
	tests := []struct {
		entry string
		want  bool
	}{
		{"private/var/mobile/Library/SMS/sms.db", true},
		{"./private/var/mobile/Library/SMS/sms.db-wal", true},
		{"dump-2026/private/var/mobile/Library/SMS/sms.db", true},
		{"var/mobile/Library/SMS/sms.db-shm", true}, // a dump of /private
		{"private/var/mobile/Containers/Shared/AppGroup/1A2B/ChatStorage.sqlite", true},
		{"private/var/mobile/Containers/Shared/AppGroup/1A2B/x/ChatStorage.sqlite", false},
		{"private/var/db/diagnostics/shutdown.1.log", true},
		{"private/var/mobile/Library/SMS/sms.db.bak", false},
		{"private/var/mobile/Library/Notes/notes.db", false},
		{"Library/SMS/sms.db", false},
		{"sms.db", false},
	}
	for _, tt := range tests {
		if got := want(tt.entry); got != tt.want {
			t.Errorf("want(%q) = %v, want %v", tt.entry, got, tt.want)
		}
	}
}
