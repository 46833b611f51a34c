package logdstats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/vigil-project/vigil/internal/format/timestamp"
)

// Parse reads either form, choosing by the first non-blank byte: "{" means JSONL,
// anything else the text form.
func Parse(r io.Reader, fn func(Record) error) (Stats, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	// Peek rather than read, so that line numbers still count leading blank lines.
	head, err := br.Peek(br.Size())
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return Stats{}, fmt.Errorf("logd statistics: %w", err)
	}
	if trimmed := bytes.TrimLeft(head, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		return parseJSONL(br, fn)
	}
	return parseText(br, fn)
}

// ParseJSONL reads a logdata.statistics.*.jsonl file and calls fn for each record in
// file order. Lines that are not a JSON object are skipped and counted; Parse returns
// fn's first error or a read error.
func ParseJSONL(r io.Reader, fn func(Record) error) (Stats, error) {
	return parseJSONL(bufio.NewReaderSize(r, 64<<10), fn)
}

// jsonRecord holds the keys of both JSON record kinds. Numbers are float64 so that an
// integer written as 1.7e9 still reads.
type jsonRecord struct {
	Record      string  `json:"record"`
	Type        string  `json:"type"`
	File        string  `json:"file"`
	Client      string  `json:"client"`
	Super       bool    `json:"superQuarantine"`
	UnixTime    float64 `json:"unixTime"`
	TotalBytes  float64 `json:"totalBytes"`
	ProcessList []struct {
		Process string `json:"process"`
	} `json:"processList"`
}

func parseJSONL(br *bufio.Reader, fn func(Record) error) (Stats, error) {
	var st Stats
	lr := lineReader{br: br}
	for {
		line, err := lr.next()
		if len(line) > 0 || err == nil {
			st.Lines++
			if rec, ok := jsonLine(line, &st); ok {
				if ferr := fn(rec); ferr != nil {
					return st, ferr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return st, nil
		}
		if err != nil {
			return st, fmt.Errorf("logd statistics line %d: %w", st.Lines+1, err)
		}
	}
}

// jsonLine reads one line; a wrong-typed value spoils only its own key (encoding/json
// fills the rest), so such a record is kept. Objects of another "record" kind are
// skipped like unknown text blocks.
func jsonLine(line []byte, st *Stats) (Record, bool) {
	n := st.Lines
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 {
		return Record{}, false
	}
	if len(line) > MaxLineLen {
		st.Long++
		st.skip(n)
		return Record{}, false
	}
	if trimmed[0] != '{' {
		st.skip(n)
		return Record{}, false
	}
	var jr jsonRecord
	if err := json.Unmarshal(trimmed, &jr); err != nil {
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) {
			st.skip(n)
			return Record{}, false
		}
	}
	if jr.Record != "" && jr.Record != KindStatistics && jr.Record != KindQuarantine {
		st.skip(n)
		return Record{}, false
	}
	rec := Record{Line: n, Kind: KindStatistics, Type: jr.Type, File: jr.File, Total: int64(min(max(jr.TotalBytes, 0), 1<<62))}
	if rec.Time = timestamp.Unix(jr.UnixTime); rec.Time.IsZero() {
		st.NoTime++
	}
	if jr.Record == KindQuarantine {
		rec.Kind, rec.Type = KindQuarantine, "Quarantine"
		if jr.Super {
			rec.Type = "Super Quarantine"
		}
		rec.add(jr.Client)
	}
	for _, p := range jr.ProcessList {
		rec.add(p.Process)
	}
	st.Records++
	return rec, true
}

// add keeps a process path, within MaxProcesses.
func (r *Record) add(p string) {
	if p == "" {
		return
	}
	if len(r.Processes) >= MaxProcesses {
		r.DroppedProcesses++
		return
	}
	r.Processes = append(r.Processes, p)
}

// lineReader yields lines without their newline; lines longer than MaxLineLen come
// back cut to MaxLineLen+1 bytes so that callers can tell them apart.
type lineReader struct {
	br  *bufio.Reader
	buf []byte
}

func (lr *lineReader) next() ([]byte, error) {
	line, err := lr.br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return bytes.TrimSuffix(line, []byte("\n")), err
	}
	lr.buf = append(lr.buf[:0], line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = lr.br.ReadSlice('\n')
		line = bytes.TrimSuffix(line, []byte("\n"))
		lr.buf = append(lr.buf, line[:min(len(line), MaxLineLen+1-len(lr.buf))]...)
	}
	return lr.buf, err
}
