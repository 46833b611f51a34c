package ioc

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ExtractURLs returns the http:// and https:// URLs (scheme matched case-insensitively) in
// free text such as a message body, each running to the next white space, with the
// punctuation a sentence adds after a link trimmed: . , ; : ' " ! ? > and a ')' or ']'
// that has no opening partner inside the URL (so Wikipedia-style "…_(film)" survives).
// Duplicates are dropped, first occurrence order kept; nil when there is none. It
// hand-scans instead of using a regexp: it runs on every message of a phone.
func ExtractURLs(text string) []string {
	var out []string
	var seen map[string]bool // only for texts with many URLs; a short scan is cheaper
	for i := 0; i < len(text); {
		j := indexHTTP(text[i:])
		if j < 0 {
			break
		}
		start := i + j
		end := start
		for end < len(text) {
			r, size := rune(text[end]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(text[end:])
			}
			if unicode.IsSpace(r) {
				break
			}
			end += size
		}
		i = end
		u := trimURLTail(text[start:end])
		if len(u) <= schemeLen(u) || isDuplicate(out, seen, u) {
			continue
		}
		out = append(out, u)
		if seen != nil {
			seen[u] = true
		} else if len(out) == 16 {
			seen = make(map[string]bool, 64)
			for _, x := range out {
				seen[x] = true
			}
		}
	}
	return out
}

// indexHTTP finds the next "http://" or "https://", in any case.
func indexHTTP(s string) int {
	for i := 0; i+7 <= len(s); i++ {
		if s[i]|0x20 != 'h' || !strings.EqualFold(s[i:i+4], "http") {
			continue
		}
		rest := s[i+4:]
		if strings.HasPrefix(rest, "://") || (len(rest) >= 4 && rest[0]|0x20 == 's' && rest[1:4] == "://") {
			return i
		}
	}
	return -1
}

func schemeLen(u string) int {
	if u[4]|0x20 == 's' {
		return len("https://")
	}
	return len("http://")
}

// trimURLTail drops trailing punctuation that belongs to the sentence, not the URL. The
// bracket balance is counted once and updated as characters go, to stay linear.
func trimURLTail(u string) string {
	open := strings.Count(u, "(") - strings.Count(u, ")")
	openSq := strings.Count(u, "[") - strings.Count(u, "]")
	for len(u) > 0 {
		switch c := u[len(u)-1]; c {
		case '.', ',', ';', ':', '\'', '"', '!', '?', '>':
		case ')':
			if open >= 0 {
				return u
			}
			open++
		case ']':
			if openSq >= 0 {
				return u
			}
			openSq++
		default:
			return u
		}
		u = u[:len(u)-1]
	}
	return u
}

// isDuplicate tests membership in the map once there is one, else by a short scan.
func isDuplicate(list []string, seen map[string]bool, s string) bool {
	if seen != nil {
		return seen[s]
	}
	return slices.Contains(list, s)
}
