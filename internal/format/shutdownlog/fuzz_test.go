package shutdownlog

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never fail on content, never panic,
// and keep its bounds.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	if data, err := os.ReadFile("testdata/shutdown.log"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("SIGTERM: [1651752473]\nSIGTERM: @1651752474\n"))
	f.Add([]byte("remaining client pid: 1 ((())\nAfter 1e308s, these clients are still here:\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		err := Parse(bytes.NewReader(data), func(r Reboot) error {
			if len(r.Clients) > MaxClients || r.Line < 1 || r.Line > lines {
				t.Fatalf("out of bounds: %d clients, line %d of %d", len(r.Clients), r.Line, lines)
			}
			if !r.Time.IsZero() && r.Time.Location() != time.UTC {
				t.Fatalf("time not UTC: %v", r.Time)
			}
			if !r.Terminated && !r.Time.IsZero() {
				t.Fatal("an unterminated block has a time")
			}
			for _, c := range r.Clients {
				if c.Listed < 1 || c.PID < 0 {
					t.Fatalf("client %+v", c)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("content made Parse fail: %v", err)
		}
	})
}
