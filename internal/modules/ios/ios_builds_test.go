package ios

import "testing"

func TestIOSVersionFamily(t *testing.T) {
	tests := []struct{ build, want string }{
		{"19A346", "15.0"},
		{"19H370", "15.7"}, // 15.8 shares 15.7's letter: read as "15.7 or a later update"
		{"20G75", "16.6"},
		{"21E236", "17.4"},
		{"22A3354", "18.0"},
		{"22F76", "18.5"},
		{"23A341", "26.0"},
		{"23B85", "26.1"},
		{"18A373", "14"},
		{"17H35", "13"},
		{"21E5184i", "17.4"}, // a beta
		{"", ""},
		{"A123", ""},
		{"2", ""},
		{"123A1", ""},
		{"8A293", ""},
		{"21e236", ""},
	}
	for _, tt := range tests {
		if got := iosVersionFamily(tt.build); got != tt.want {
			t.Errorf("iosVersionFamily(%q) = %q, want %q", tt.build, got, tt.want)
		}
	}
}
