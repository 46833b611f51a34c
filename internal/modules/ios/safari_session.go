package ios

import (
	"bytes"
	"fmt"

	"github.com/vigil-project/vigil/internal/format/applelz4"
	"github.com/vigil-project/vigil/internal/format/plistsafe"
)

// maxSessionState bounds one tab's decoded session state; real ones are kilobytes.
const maxSessionState = 16 << 20

// SafariSessionEntry is one page of a tab's back/forward list.
type SafariSessionEntry struct {
	URL         string `json:"url,omitempty"`
	OriginalURL string `json:"original_url,omitempty"` // before redirects
	Title       string `json:"title,omitempty"`
	DataLength  int    `json:"data_length,omitempty"` // size of WebKit's saved page state
}

// decodeSafariSession reads a tab's session_data. Safari stores it LZ4-framed when
// uncompressedSize is set and differs from the stored length (MVT skips this step and so
// misses those tabs' history); the plain state is WebKit's 4-byte version and a binary
// plist.
func decodeSafariSession(blob []byte, uncompressedSize int64) ([]SafariSessionEntry, error) {
	if len(blob) == 0 {
		return nil, nil
	}
	if applelz4.IsFramed(blob) || uncompressedSize > 0 && uncompressedSize != int64(len(blob)) {
		plain, err := applelz4.Decode(blob, maxSessionState)
		if err != nil {
			return nil, fmt.Errorf("compressed session state: %w", err)
		}
		blob = plain
	}
	if len(blob) < 4 || !bytes.HasPrefix(blob[4:], []byte("bplist")) {
		return nil, fmt.Errorf("session state of %d bytes is not a version header and a binary plist", len(blob))
	}
	var state map[string]any
	if err := plistsafe.Unmarshal(blob[4:], &state); err != nil {
		return nil, fmt.Errorf("session state: %w", err)
	}
	history, _ := state["SessionHistory"].(map[string]any)
	list, _ := history["SessionHistoryEntries"].([]any)
	var out []SafariSessionEntry
	for _, item := range list {
		e, ok := item.(map[string]any)
		if !ok {
			continue
		}
		data, _ := e["SessionHistoryEntryData"].([]byte)
		out = append(out, SafariSessionEntry{
			URL:         plistAsString(e["SessionHistoryEntryURL"]),
			OriginalURL: plistAsString(e["SessionHistoryEntryOriginalURL"]),
			Title:       plistAsString(e["SessionHistoryEntryTitle"]),
			DataLength:  len(data),
		})
	}
	return out, nil
}
