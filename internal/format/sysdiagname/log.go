package sysdiagname

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxLineLen bounds how much of one sysdiagnose.log line is searched; the stamps sit
// in paths near the start of lines far shorter than this.
const MaxLineLen = 64 << 10

// ErrNoStamp means sysdiagnose.log names no sysdiagnose with a readable time.
var ErrNoStamp = errors.New("sysdiagnose.log names no sysdiagnose time")

// Stamp is a creation time found in sysdiagnose.log.
type Stamp struct {
	Time   time.Time // device clock, in a fixed zone with Offset
	Offset int       // seconds east of UTC
	// Marker is the text the stamp followed: "IN_PROGRESS_sysdiagnose_" or
	// "spindump_sysdiagnose_" (what SAF reads), or "sysdiagnose_" for the fallback on
	// any other mention of a sysdiagnose name (what MVT reads).
	Marker string
	Line   int // 1-based line of sysdiagnose.log
}

// Markers SAF looks for, in the working-directory and spindump paths the collection
// log prints.
var strongMarkers = []string{"IN_PROGRESS_sysdiagnose_", "spindump_sysdiagnose_"}

// FromLog returns the sysdiagnose creation time from a sysdiagnose.log. It takes the
// first stamp after one of SAF's markers; without one it takes the first stamp after
// any "sysdiagnose_". Both spellings name the same collection, so the first is as good
// as any. It fails with ErrNoStamp when neither occurs, or with a read error.
func FromLog(r io.Reader) (Stamp, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var fallback Stamp
	for n := 1; ; n++ {
		line, err := readLine(br)
		if s, strong := findStamp(line); s.Marker != "" {
			s.Line = n
			if strong {
				return s, nil
			}
			if fallback.Marker == "" {
				fallback = s
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Stamp{}, fmt.Errorf("sysdiagnose.log line %d: %w", n, err)
		}
	}
	if fallback.Marker != "" {
		return fallback, nil
	}
	return Stamp{}, ErrNoStamp
}

// findStamp returns the first usable stamp in line, preferring one after a strong
// marker; strong reports which kind it found.
func findStamp(line string) (Stamp, bool) {
	var weak Stamp
	for i := 0; ; {
		j := strings.Index(line[i:], prefix)
		if j < 0 {
			return weak, false
		}
		at := i + j
		t, off, _, err := parseStamp(line[at+len(prefix):])
		if err == nil {
			for _, m := range strongMarkers {
				if strings.HasSuffix(line[:at+len(prefix)], m) {
					return Stamp{Time: t, Offset: off, Marker: m}, true
				}
			}
			if weak.Marker == "" {
				weak = Stamp{Time: t, Offset: off, Marker: prefix}
			}
		}
		i = at + len(prefix)
	}
}

// readLine returns the next line without its end, at most MaxLineLen bytes of it; the
// rest of a longer line is read and dropped.
func readLine(br *bufio.Reader) (string, error) {
	var sb strings.Builder
	for {
		chunk, err := br.ReadSlice('\n')
		if room := MaxLineLen - sb.Len(); room > 0 {
			sb.Write(chunk[:min(len(chunk), room)])
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return strings.TrimRight(sb.String(), "\r\n"), err
	}
}
