package ios

import "strings"

// emailOf returns s as an e-mail address without a mailto: prefix, or "" when s is not one
// (a phone number, an app-specific id).
func emailOf(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	if !strings.Contains(s, "@") {
		return ""
	}
	return s
}
