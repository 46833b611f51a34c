package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"

	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/scan"
)

// Folder is the scan.Sink that streams each module's records into <slug>.json.
type Folder struct{ Dir string }

// Records implements scan.Sink.
func (f Folder) Records(moduleName string) (scan.RecordWriter, error) {
	file, err := create(f.Dir, Slug(moduleName)+".json")
	if err != nil {
		return nil, err
	}
	w := &jsonArray{f: file, buf: bufio.NewWriterSize(file, 256<<10)}
	_, err = w.buf.WriteString("[")
	return w, err
}

// jsonArray writes a JSON array one element at a time, one record per line, so memory
// does not grow with the number of records and each record stays greppable. Indenting
// every record cost more than extracting it on large backups.
type jsonArray struct {
	f       *os.File
	buf     *bufio.Writer
	n       int
	scratch bytes.Buffer
	enc     *json.Encoder
}

func (w *jsonArray) Write(r module.Record) error {
	if w.enc == nil {
		w.enc = json.NewEncoder(&w.scratch)
		w.enc.SetEscapeHTML(false) // URLs keep their '&' readable
	}
	w.scratch.Reset()
	if err := w.enc.Encode(r); err != nil {
		return err
	}
	sep := ",\n"
	if w.n == 0 {
		sep = "\n"
	}
	w.n++
	if _, err := w.buf.WriteString(sep); err != nil {
		return err
	}
	_, err := w.buf.Write(bytes.TrimSuffix(w.scratch.Bytes(), []byte("\n")))
	return err
}

func (w *jsonArray) Close() error {
	end := "\n]\n"
	if w.n == 0 {
		end = "]\n"
	}
	if _, err := w.buf.WriteString(end); err != nil {
		w.f.Close()
		return err
	}
	if err := w.buf.Flush(); err != nil {
		w.f.Close()
		return err
	}
	return w.f.Close()
}

func writeJSON(dir, name string, v any) error {
	f, err := create(dir, name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "    ")
	if err := enc.Encode(v); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
