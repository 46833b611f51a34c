package ios

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// WebKitOrigin is one entry of a WebKit storage folder whose name encodes the origin of
// the site that stored it: the folder names survive a cleared browsing history.
type WebKitOrigin struct {
	Folder         string    `json:"folder"` // the storage folder's device path
	Entry          string    `json:"entry"`  // the entry's name, as on disk
	URL            string    `json:"url"`    // the origin rebuilt from the name
	FolderModified time.Time `json:"folder_modified,omitzero"`
	EntryModified  time.Time `json:"entry_modified,omitzero"`
	event, label   string    // timeline event name ("" for none) and folder kind
}

// Events implements module.Record. MVT dates the entry by its folder's modification time.
func (o WebKitOrigin) Events() []timeline.Event {
	if o.event == "" || o.FolderModified.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: o.FolderModified, Event: o.event,
		Description: "WebKit " + o.label + " folder " + o.Folder + " containing file for URL " + o.URL}}
}

// Observables implements module.Record.
func (o WebKitOrigin) Observables() []ioc.Observable {
	return []ioc.Observable{{Type: ioc.URL, Value: o.URL}}
}

// webKitFolders is the logic the three WebKit folder modules share: list the children of
// each storage folder its places match.
type webKitFolders struct {
	about
	places       places
	event, label string
}

// Run implements module.Module.
func (m *webKitFolders) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	folders, err := m.folders(in)
	if err != nil {
		return err
	}
	for _, dir := range folders {
		if err := ctx.Err(); err != nil {
			return err
		}
		children, err := in.Source().Find("", dir.Path+"/*")
		if err != nil {
			return err
		}
		for _, c := range children {
			url, ok := webKitOriginURL(path.Base(c.Path))
			if !ok {
				continue
			}
			emit.Record(WebKitOrigin{Folder: dir.Path, Entry: path.Base(c.Path), URL: url,
				FolderModified: dir.Modified, EntryModified: c.Modified, event: m.event, label: m.label})
		}
	}
	return nil
}

// folders returns the storage folders present, or module.ErrNoData.
func (m *webKitFolders) folders(in *module.Input) ([]acq.File, error) {
	var out []acq.File
	for _, l := range m.places[in.Acq.Kind] {
		found, err := in.Source().Find(l.domain, l.path)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			if f.IsDir() {
				out = append(out, f)
			}
		}
	}
	if len(out) == 0 {
		return nil, module.ErrNoData
	}
	return out, nil
}

// webKitOriginURL rebuilds an origin from a WebKit storage name: "<scheme>_<host>_<port>",
// with an extension on files ("https_example.com_0.localstorage"). Port 0 is the scheme's
// default. SQLite companions (-wal, -shm) name the same origin and are skipped.
func webKitOriginURL(name string) (string, bool) {
	for _, s := range []string{"-wal", "-shm", "-journal"} {
		if strings.HasSuffix(name, s) {
			return "", false
		}
	}
	scheme, rest, ok := strings.Cut(name, "_")
	if !ok || scheme != "http" && scheme != "https" {
		return "", false
	}
	host, port, _ := strings.Cut(rest, "_")
	port, _, _ = strings.Cut(port, ".")
	if host == "" {
		return "", false
	}
	url := scheme + "://" + host
	if isDigitRun(port) && strings.TrimLeft(port, "0") != "" {
		url += ":" + port
	}
	return url, true
}
