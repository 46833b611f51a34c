package ioc

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestExtractURLs(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"no links here, just http and https words", nil},
		{"go to https://evil.example/a?b=c now", []string{"https://evil.example/a?b=c"}},
		{"HTTPS://EVIL.example/X and Http://x.example", []string{"HTTPS://EVIL.example/X", "Http://x.example"}},
		{"see https://evil.example/path.", []string{"https://evil.example/path"}},
		{"(https://evil.example/path)", []string{"https://evil.example/path"}},
		{"https://en.wikipedia.org/wiki/Foo_(bar)", []string{"https://en.wikipedia.org/wiki/Foo_(bar)"}},
		{"[https://evil.example/x]", []string{"https://evil.example/x"}},
		{"http://[2001:db8::1]/ ok", []string{"http://[2001:db8::1]/"}},
		{`"https://evil.example/q?x=1",`, []string{"https://evil.example/q?x=1"}},
		{"<https://evil.example/>!?", []string{"https://evil.example/"}},
		{"'http://evil.example';", []string{"http://evil.example"}},
		{"a https://x.example b https://x.example c", []string{"https://x.example"}},
		{"line\nhttps://x.example\ttab\u00a0https://y.example\u2003end", []string{"https://x.example", "https://y.example"}},
		{"xhttps://glued.example", []string{"https://glued.example"}},
		{"http:// nothing https://. http://", nil},
		{"ftp://not.example file://x", nil},
		{"https://ünïcode.example/päth", []string{"https://ünïcode.example/päth"}},
	}
	for _, tt := range tests {
		if got := ExtractURLs(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("ExtractURLs(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestExtractURLsMany covers the switch from scanning to a map for dedupe.
func TestExtractURLsMany(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "https://h%d.example/ https://h%d.example/ ", i%40, i%40)
	}
	got := ExtractURLs(b.String())
	if len(got) != 40 || got[0] != "https://h0.example/" || got[39] != "https://h39.example/" {
		t.Errorf("got %d URLs: %q", len(got), got)
	}
}

func TestExtractURLsAllocations(t *testing.T) {
	text := "Your parcel is waiting: https://track.example/p?id=1 (reply STOP)"
	if n := testing.AllocsPerRun(100, func() { ExtractURLs(text) }); n > 1 {
		t.Errorf("%v allocations per call, want at most 1 (the result)", n)
	}
	if n := testing.AllocsPerRun(100, func() { ExtractURLs("no link at all in this message") }); n != 0 {
		t.Errorf("%v allocations without a URL", n)
	}
}
