package ioc

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkLoadAllShared loads every public bundle into a Set (goal: well under 1 s).
func BenchmarkLoadAllShared(b *testing.B) {
	files := sharedBundles(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(files); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchURLs1M matches one million URLs against all public bundles per op (goal: a
// few seconds at most on two cores). The URLs are generated from a fixed seed: about 10%
// hosts or subdomains of real indicators, 2% IP hits, the rest plausible misses.
func BenchmarkMatchURLs1M(b *testing.B) {
	files := sharedBundles(b)
	s, err := Load(files)
	if err != nil {
		b.Fatal(err)
	}
	urls := benchURLs(b, files, 1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	hits := 0
	for b.Loop() {
		hits = 0
		for _, u := range urls {
			if len(s.Match(Observable{Type: URL, Value: u})) > 0 {
				hits++
			}
		}
	}
	b.ReportMetric(float64(len(urls))*float64(b.N)/b.Elapsed().Seconds(), "URLs/s")
	b.ReportMetric(float64(hits), "hits/op")
}

// benchURLs builds n deterministic URLs from the hosts and IPs of the given bundles.
func benchURLs(tb testing.TB, files []string, n int) []string {
	var hosts, ips []string
	for _, f := range files {
		bd, err := LoadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, ind := range bd.Indicators {
			switch ind.bucket {
			case bucketHost:
				hosts = append(hosts, ind.norm)
			case bucketIP:
				ips = append(ips, ind.addr.String())
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	benign := []string{"www.google.com", "m.facebook.com", "news.example.org", "cdn.jsdelivr.net",
		"api.whatsapp.net", "mail.yahoo.co.jp", "bbc.co.uk", "t.co", "192.168.1.1", "[2001:db8::7]"}
	urls := make([]string, n)
	for i := range urls {
		switch k := r.IntN(100); {
		case k < 6:
			urls[i] = fmt.Sprintf("https://%s/%x", hosts[r.IntN(len(hosts))], r.Uint32())
		case k < 10:
			urls[i] = fmt.Sprintf("http://s%d.%s:8080/a?b=%d", r.IntN(50), hosts[r.IntN(len(hosts))], i)
		case k < 12:
			urls[i] = fmt.Sprintf("https://%s/x", ips[r.IntN(len(ips))])
		case k < 60:
			urls[i] = fmt.Sprintf("https://%s/search?q=%x&page=%d", benign[r.IntN(len(benign))], r.Uint64(), r.IntN(9))
		case k < 95:
			urls[i] = fmt.Sprintf("https://host%d.site%d.example.com/path/%d", r.IntN(1000), r.IntN(100000), i)
		default:
			urls[i] = fmt.Sprintf("WWW.Shop%d.EXAMPLE.net/item-%d", r.IntN(1000), i)
		}
	}
	return urls
}

// BenchmarkExtractURLs scans a typical SMS.
func BenchmarkExtractURLs(b *testing.B) {
	text := "Your parcel is held at customs. Pay the fee at https://parcel-fee.example/p?id=7781 (valid 24h). Reply STOP to opt out."
	b.ReportAllocs()
	for b.Loop() {
		ExtractURLs(text)
	}
}
