package ios

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// WhatsApp reads the messages and chats of WhatsApp and WhatsApp Business (each app group
// has its own ChatStorage.sqlite; every one found is read), with the links messages carry.
type WhatsApp struct {
	about
	places places
}

// whatsAppGroups are the app groups of WhatsApp and WhatsApp Business, as backup domains.
var whatsAppGroups = []string{
	"AppDomainGroup-group.net.whatsapp.WhatsApp.shared",
	"AppDomainGroup-group.net.whatsapp.WhatsAppSMB.shared",
}

// whatsAppPlaces returns where the app groups keep the database named file.
func whatsAppPlaces(file string) places {
	p := places{acq.IOSFilesystem: {{"", "private/var/mobile/Containers/Shared/AppGroup/*/" + file}}}
	for _, d := range whatsAppGroups {
		p[acq.IOSBackup] = append(p[acq.IOSBackup], location{d, file})
	}
	return p
}

var whatsAppChatPlaces = whatsAppPlaces("ChatStorage.sqlite")

// NewWhatsApp returns the whatsapp module.
func NewWhatsApp() *WhatsApp {
	return &WhatsApp{about: about{
		name:      "ios/whatsapp",
		desc:      "WhatsApp and WhatsApp Business messages with their links, chats, and LID ↔ phone number pairs",
		kinds:     backupAndFS,
		artifacts: whatsAppChatPlaces.artifacts(),
	}, places: whatsAppChatPlaces}
}

// Record types of the whatsapp module.
const (
	WhatsAppMessageRecordType = "message"
	WhatsAppChatRecordType    = "chat_session"
	WhatsAppLIDRecordType     = "lid_phone_number_pair"
)

// WhatsAppMessage is one message with the links found in it, its media item and its link
// previews.
type WhatsAppMessage struct {
	RecordType     string    `json:"record_type"`
	ID             int64     `json:"id"`
	ChatSession    int64     `json:"chat_session,omitempty"`
	FromJID        string    `json:"from_jid,omitempty"`
	FromPhone      string    `json:"from_phone,omitempty"` // the phone number of a @lid sender, when known
	ToJID          string    `json:"to_jid,omitempty"`
	FromMe         bool      `json:"is_from_me"`
	MessageType    int64     `json:"message_type"`
	Date           time.Time `json:"date,omitzero"`
	Text           string    `json:"text,omitempty"`
	AuthorName     string    `json:"author_name,omitempty"`
	MediaURL       string    `json:"media_url,omitempty"`
	PreviewTitle   string    `json:"preview_title,omitempty"`
	PreviewSummary string    `json:"preview_summary,omitempty"`
	Links          []string  `json:"links,omitempty"`
	Database       string    `json:"database"`
}

// Events implements module.Record.
func (m WhatsAppMessage) Events() []timeline.Event {
	if m.Date.IsZero() {
		return nil
	}
	from := m.FromJID
	if from == "" {
		from = "Unknown"
	}
	if m.FromPhone != "" {
		from += " (" + m.FromPhone + ")"
	}
	desc := strconv.Quote(m.Text) + " from " + from
	if len(m.Links) > 0 {
		desc += " - Embedded links: " + strings.Join(m.Links, ", ")
	}
	return []timeline.Event{{Time: m.Date, Event: "message", Description: desc}}
}

// Observables implements module.Record.
func (m WhatsAppMessage) Observables() []ioc.Observable {
	out := make([]ioc.Observable, len(m.Links))
	for i, l := range m.Links {
		out[i] = ioc.Observable{Type: ioc.URL, Value: l}
	}
	return out
}

// whatsAppMediaPrefixes start the URLs of WhatsApp's own media servers, which every photo
// and voice message carries and no indicator names.
var whatsAppMediaPrefixes = []string{"https://mmg-fna.whatsapp.net/", "https://mmg.whatsapp.net/"}

// addLinks appends the links of s that are neither WhatsApp media nor already listed.
func (m *WhatsAppMessage) addLinks(s string) {
	if s == "" {
		return
	}
next:
	for _, u := range ioc.ExtractURLs(s) {
		for _, p := range whatsAppMediaPrefixes {
			if strings.HasPrefix(u, p) {
				continue next
			}
		}
		for _, l := range m.Links {
			if l == u {
				continue next
			}
		}
		m.Links = append(m.Links, u)
	}
}

// Run implements module.Module.
func (m *WhatsApp) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachFile(ctx, files, emit, func(f acq.File) error { return m.read(ctx, in, f, emit) })
}

// fileLabel names a database for records: backups hold a ChatStorage.sqlite per app group,
// so the path alone would not say which app it belongs to.
func fileLabel(f acq.File) string {
	if f.Domain == "" {
		return f.Path
	}
	return f.Domain + "/" + f.Path
}

// read emits one ChatStorage.sqlite: LID pairs first (messages and chats need them), then
// messages as they are read, then chat sessions.
func (m *WhatsApp) read(ctx context.Context, in *module.Input, f acq.File, emit module.Emitter) error {
	db, err := module.OpenSQLite(in, f)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetInterrupt(ctx)
	if _, err := requireColumns(db, "ZWAMESSAGE", "Z_PK"); err != nil {
		return err
	}
	lids, err := whatsAppLIDs(ctx, in, f, db, emit)
	if err != nil {
		return err
	}
	if err := readWhatsAppMessages(db, fileLabel(f), lids, emit); err != nil {
		return err
	}
	if err := readWhatsAppChats(db, fileLabel(f), lids, emit); err != nil {
		// Messages were read: a chat table that cannot be is a partial result.
		emit.Problem(fmt.Errorf("%s: %w", fileLabel(f), err))
	}
	return nil
}
