package ioc

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParsePattern(t *testing.T) {
	type cmp = comparison
	tests := []struct {
		name    string
		pattern string
		want    []cmp
		reason  string // substring of the unsupported reason; "" means success
	}{
		{"mvt style", `[domain-name:value='evil.com']`, []cmp{{"domain-name", []string{"value"}, "evil.com"}}, ""},
		{"otx spaces", `[url:value = 'http://x']`, []cmp{{"url", []string{"value"}, "http://x"}}, ""},
		{"padded brackets", " [ url:value\t=\n'x' ] ", []cmp{{"url", []string{"value"}, "x"}}, ""},
		{"quoted hash step", `[file:hashes.'SHA-256' = 'AB']`, []cmp{{"file", []string{"hashes", "SHA-256"}, "AB"}}, ""},
		{"unquoted hash step", `[file:hashes.SHA-256='ab']`, []cmp{{"file", []string{"hashes", "SHA-256"}, "ab"}}, ""},
		{"escaped quote", `[file:name = 'it\'s.so']`, []cmp{{"file", []string{"name"}, "it's.so"}}, ""},
		{"escaped backslash", `[file:name = 'a\\b']`, []cmp{{"file", []string{"name"}, `a\b`}}, ""},
		{"other backslash kept", `[file:name = 'C:\temp']`, []cmp{{"file", []string{"name"}, `C:\temp`}}, ""},
		{"equals in value", `[url:value = 'https://e.example/?a=b']`, []cmp{{"url", []string{"value"}, "https://e.example/?a=b"}}, ""},
		{"brackets in value", `[url:value = 'https://e.example/[x]']`, []cmp{{"url", []string{"value"}, "https://e.example/[x]"}}, ""},
		{"or in observation", `[domain-name:value = 'a.com' OR domain-name:value = 'b.com']`,
			[]cmp{{"domain-name", []string{"value"}, "a.com"}, {"domain-name", []string{"value"}, "b.com"}}, ""},
		{"or lower-case keyword", `[a:b = 'x' or a:b = 'y']`, []cmp{{"a", []string{"b"}, "x"}, {"a", []string{"b"}, "y"}}, ""},
		{"or grouped", `[(a:b = 'x' OR a:b = 'y') OR a:b = 'z']`,
			[]cmp{{"a", []string{"b"}, "x"}, {"a", []string{"b"}, "y"}, {"a", []string{"b"}, "z"}}, ""},
		{"or of observations", `[a:b = 'x'] OR ([a:b = 'y'])`, []cmp{{"a", []string{"b"}, "x"}, {"a", []string{"b"}, "y"}}, ""},
		{"list index path", `[x:list[*].name = 'v']`, []cmp{{"x", []string{"list", "[*]", "name"}, "v"}}, ""},

		{"and", `[a:b = 'x' AND a:c = 'y']`, nil, "AND inside"},
		{"and of observations", `[a:b = 'x'] AND [a:c = 'y']`, nil, "AND between"},
		{"followedby", `[a:b = 'x'] FOLLOWEDBY [a:c = 'y']`, nil, "FOLLOWEDBY"},
		{"qualifier", `[a:b = 'x'] WITHIN 10 SECONDS`, nil, "qualifier WITHIN"},
		{"not equal", `[a:b != 'x']`, nil, "operator !="},
		{"not", `[a:b NOT = 'x']`, nil, "operator NOT"},
		{"like", `[a:b LIKE 'x%']`, nil, "operator LIKE"},
		{"matches", `[a:b MATCHES '^x']`, nil, "operator MATCHES"},
		{"in", `[a:b IN ('x', 'y')]`, nil, "operator IN"},
		{"greater", `[file:size > 10]`, nil, "operator >"},
		{"exists", `[EXISTS a:b]`, nil, "EXISTS"},
		{"number value", `[file:size = 10]`, nil, "non-string value"},
		{"hex value", `[file:x = h'ff']`, nil, "non-string value"},
		{"yara text", `rule x { strings: $a = "x" condition: $a }`, nil, "syntax error"},
		{"unterminated", `[a:b = 'x]`, nil, "unterminated string"},
		{"missing bracket", `[a:b = 'x'`, nil, "expected ']'"},
		{"no colon", `[value = 'x']`, nil, "expected ':'"},
		{"empty", ``, nil, "expected '['"},
		{"trailing junk", `[a:b = 'x'] ]`, nil, "unexpected"},
		{"deep nesting", strings.Repeat("(", 100) + `[a:b = 'x']` + strings.Repeat(")", 100), nil, "nested too deeply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePattern(tt.pattern)
			if tt.reason != "" {
				var ue *unsupportedError
				if !errors.As(err, &ue) || !strings.Contains(ue.reason, tt.reason) {
					t.Fatalf("parsePattern(%q) = %v, %v; want unsupported containing %q", tt.pattern, got, err, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("parsePattern(%q): %v", tt.pattern, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("parsePattern(%q) = %#v, want %#v", tt.pattern, got, tt.want)
			}
		})
	}
}

func TestNormalizeKey(t *testing.T) {
	tests := []struct {
		typ    string
		steps  []string
		key    string
		bucket bucket
	}{
		{"file", []string{"hashes", "SHA-256"}, "file:hashes.sha256", bucketSHA256},
		{"file", []string{"hashes", "SHA256"}, "file:hashes.sha256", bucketSHA256},
		{"file", []string{"hashes", "sha256"}, "file:hashes.sha256", bucketSHA256},
		{"file", []string{"hashes", "'SHA-1'"}, "file:hashes.sha1", bucketSHA1},
		{"file", []string{"hashes", "MD5"}, "file:hashes.md5", bucketMD5},
		{"file", []string{"hashes", "SHA-512"}, "file:hashes.sha512", bucketSHA512},
		{"app", []string{"cert", "SHA-1"}, "app:cert.sha1", bucketCert},
		{"app", []string{"cert", "md5"}, "app:cert.md5", bucketCert},
		{"Domain-Name", []string{"Value"}, "domain-name:value", bucketHost},
		{"ipv4-addr", []string{"value"}, "ipv4-addr:value", bucketIP},
		{"configuration-profile", []string{"id"}, "configuration-profile:id", bucketProfile},
		{"file", []string{"hashes", "SHA3-256"}, "file:hashes.sha3256", bucketNone},
		{"file", []string{"hashes", "SSDEEP"}, "file:hashes.ssdeep", bucketNone},
		{"ipv6-addr", []string{"value"}, "ipv6-addr:value", bucketNone},
		{"directory", []string{"path"}, "directory:path", bucketNone},
	}
	for _, tt := range tests {
		key, b, reason := normalizeKey(tt.typ, tt.steps)
		if key != tt.key || b != tt.bucket {
			t.Errorf("normalizeKey(%q, %q) = %q, %d; want %q, %d", tt.typ, tt.steps, key, b, tt.key, tt.bucket)
		}
		if (b == bucketNone) != (reason != "") {
			t.Errorf("normalizeKey(%q, %q): bucket %d with reason %q", tt.typ, tt.steps, b, reason)
		}
	}
}
