package ioc

import (
	"strings"
	"testing"
)

// The fuzz targets also run as plain tests over the seeds below and testdata/fuzz.

// FuzzParsePattern: no panic, and an accepted pattern written back in canonical form
// parses to the same comparisons.
func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{
		`[domain-name:value='evil.com']`, `[url:value = 'https://e.example/?a=b']`,
		`[file:hashes.'SHA-256' = 'ab']`, `[a:b = 'it\'s' OR c:d = 'x\\y']`, `[a:b = 'x'] OR [c:d = 'y']`,
		`[a:b = 'x' AND c:d = 'y']`, `[a:b != 'x']`, `[x:l[*].n = 'v'] WITHIN 5 SECONDS`, `((([a:b='c'])))`, `[a:b = '`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		comps, err := parsePattern(src)
		if err != nil {
			if _, ok := err.(*unsupportedError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(comps) == 0 {
			t.Fatal("accepted a pattern with no comparison")
		}
		var parts []string
		for _, c := range comps {
			if c.objectType == "" || len(c.steps) == 0 {
				t.Fatalf("incomplete comparison %#v", c)
			}
			steps := make([]string, len(c.steps))
			for i, s := range c.steps {
				if strings.HasPrefix(s, "[") {
					return // list indexes do not round-trip through quoting; nothing more to check
				}
				steps[i] = "'" + escapePatternString(s) + "'"
			}
			parts = append(parts, c.objectType+":"+strings.Join(steps, ".")+" = '"+escapePatternString(c.value)+"'")
		}
		again, err := parsePattern("[" + strings.Join(parts, " OR ") + "]")
		if err != nil || len(again) != len(comps) {
			t.Fatalf("canonical form of %q does not parse: %v", src, err)
		}
		for i := range comps {
			if again[i].value != comps[i].value || strings.Join(again[i].steps, "\x00") != strings.Join(comps[i].steps, "\x00") {
				t.Fatalf("round trip changed %#v into %#v", comps[i], again[i])
			}
		}
	})
}

// FuzzParseBundle: no panic on any bytes, and an accepted bundle is internally consistent
// and can be indexed and matched.
func FuzzParseBundle(f *testing.F) {
	f.Add([]byte(`{"type":"bundle","objects":[]}`))
	f.Add([]byte(`{"type":"bundle","objects":[{"type":"malware","id":"malware--1","name":"M"},` +
		`{"type":"indicator","id":"indicator--1","pattern":"[domain-name:value='x.example/p' OR process:name='p']"},` +
		`{"type":"relationship","source_ref":"indicator--1","target_ref":"malware--1"}]}`))
	f.Add([]byte(`{"type":"bundle","objects":[{"type":"report","id":"report--1","object_refs":["indicator--1"]},` +
		`{"type":"indicator","id":"indicator--1","pattern":42}]}`))
	f.Add([]byte(`[1,2]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBundle(data, "fuzz.stix2")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.stix2") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, ind := range b.Indicators {
			if ind.Collection < 0 || ind.Collection >= len(b.Collections) {
				t.Fatalf("indicator %+v points outside %d collections", ind, len(b.Collections))
			}
		}
		s := NewSet(Options{})
		s.Add(b)
		st := s.Stats()
		sum := 0
		for _, n := range st.TotalsByKey {
			sum += n
		}
		if sum != st.Indicators || st.Indicators > len(b.Indicators) {
			t.Fatalf("totals %v do not add up to %d (of %d)", st.TotalsByKey, st.Indicators, len(b.Indicators))
		}
		for _, ind := range b.Indicators {
			for _, typ := range []Type{URL, FilePath, Process, AppID} {
				s.Match(Observable{typ, ind.Value})
			}
		}
	})
}

// FuzzMatch: any observable text is safe to match, and results obey the rule contract.
func FuzzMatch(f *testing.F) {
	s := ruleSet(f)
	for _, v := range []string{
		"https://x.cdn.example.net/", "http://[::1", "see 192.0.2.1.", "https://u@[fe80::1%25en0]:1/",
		"/private/var/mobile/Library/Caches/evil", "//", "mailto:", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z/0/1/2/3/4/5/6",
	} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, typ := range []Type{URL, Domain, Process, ProcessPath, FilePath, Email, FileHash, AppCertHash} {
			seen := map[string]bool{}
			for _, m := range s.Match(Observable{typ, v}) {
				if m.Rule == "" || m.LowConfidence != (m.Rule == RuleSubstring) || m.Collection == "" {
					t.Fatalf("%s %q: bad match %+v", typ, v, m)
				}
				if seen[m.IndicatorID] {
					t.Fatalf("%s %q: indicator %s twice", typ, v, m.IndicatorID)
				}
				seen[m.IndicatorID] = true
			}
		}
	})
}

// FuzzExtractURLs: every URL found is in the text, starts with the scheme, has no space,
// and appears once.
func FuzzExtractURLs(f *testing.F) {
	for _, s := range []string{"see https://a.example/x).", "HTTP://A hTTps://b (http://c_(d)) [http://e]", "https://"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		seen := map[string]bool{}
		for _, u := range ExtractURLs(text) {
			l := strings.ToLower(u)
			if !strings.Contains(text, u) || !(strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) ||
				strings.ContainsAny(u, " \t\n\r") || seen[u] {
				t.Fatalf("ExtractURLs(%q) gave %q", text, u)
			}
			seen[u] = true
		}
	})
}

// FuzzSimpleHost: the allocation-free shortcut must agree with net/url whenever it answers.
func FuzzSimpleHost(f *testing.F) {
	for _, s := range []string{"evil.com:80/x", "https://a_b.example?x", "//h:/p", `h\@g`, "h#f", "h:8x", "a..b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, prefix, ok := splitScheme(s)
		if !ok {
			return
		}
		fast, ok := simpleHost(s[start:])
		if !ok {
			return
		}
		if slow, ok := urlHostname(prefix + s); !ok || slow != fast {
			t.Fatalf("%q: shortcut says %q, net/url says %q (%v)", s, fast, slow, ok)
		}
	})
}
