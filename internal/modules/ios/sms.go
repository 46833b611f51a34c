package ios

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// SMS reads the messages of sms.db (SMS and iMessage) and the links they carry.
type SMS struct {
	about
	places places
}

var smsPlaces = places{
	acq.IOSBackup:     {{"HomeDomain", "Library/SMS/sms.db"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Library/SMS/sms.db"}},
}

// NewSMS returns the sms module.
func NewSMS() *SMS {
	return &SMS{about: about{
		name:      "ios/sms",
		desc:      "SMS and iMessage messages with their links (also from attributedBody); flags Apple threat notifications",
		kinds:     backupAndFS,
		artifacts: smsPlaces.artifacts(),
	}, places: smsPlaces}
}

// Where a link of a message was found.
const (
	FromText           = "text"            // the message's text column
	FromAttributedBody = "attributed_body" // the archived NSAttributedString
)

// SMSLink is one link of a message and the column it came from.
type SMSLink struct {
	URL    string `json:"url"`
	Source string `json:"source"`
}

// SMSMessage is one message of sms.db.
type SMSMessage struct {
	RowID    int64     `json:"rowid"`
	GUID     string    `json:"guid,omitempty"`
	Service  string    `json:"service,omitempty"`
	Account  string    `json:"account,omitempty"`
	Handle   string    `json:"handle,omitempty"` // the other party: phone number or e-mail
	FromMe   bool      `json:"is_from_me"`
	Date     time.Time `json:"date,omitzero"`
	DateRead time.Time `json:"date_read,omitzero"`
	Text     string    `json:"text,omitempty"`
	// TextSource says where Text came from: the text column, or attributedBody when iOS left
	// the column empty.
	TextSource string    `json:"text_source,omitempty"`
	Links      []SMSLink `json:"links,omitempty"`
}

// Events implements module.Record.
func (m SMSMessage) Events() []timeline.Event {
	desc := m.describe()
	var out []timeline.Event
	if !m.Date.IsZero() {
		out = append(out, timeline.Event{Time: m.Date, Event: "sms_received", Description: desc})
	}
	if !m.DateRead.IsZero() {
		out = append(out, timeline.Event{Time: m.DateRead, Event: "sms_read", Description: desc})
	}
	return out
}

func (m SMSMessage) describe() string {
	dir := "from"
	if m.FromMe {
		dir = "to"
	}
	who := m.Handle
	if who == "" {
		who = "unknown"
	}
	service := m.Service
	if service == "" {
		service = "Message"
	}
	return fmt.Sprintf("%s %s %s %s: %s", service, m.GUID, dir, who, strconv.Quote(m.Text))
}

// Observables implements module.Record.
func (m SMSMessage) Observables() []ioc.Observable {
	out := make([]ioc.Observable, 0, len(m.Links)+1)
	for _, l := range m.Links {
		out = append(out, ioc.Observable{Type: ioc.URL, Value: l.URL})
	}
	if strings.Contains(m.Handle, "@") {
		out = append(out, ioc.Observable{Type: ioc.Email, Value: m.Handle})
	}
	return out
}

// Run implements module.Module.
func (s *SMS) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := s.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return s.read(ctx, db, f, emit) })
}

// smsQuery selects a message's fields by name; columns the database lacks read as NULL.
func smsQuery(db *module.DB) (string, error) {
	msg, err := requireColumns(db, "message")
	if err != nil {
		return "", err
	}
	handles, err := db.Columns("handle")
	if err != nil {
		return "", fmt.Errorf("table handle: %w", err)
	}
	handle, join := "NULL", ""
	if handles["id"] && msg["handle_id"] {
		handle, join = "h.id", " LEFT JOIN handle h ON h.ROWID = m.handle_id"
	}
	cols := []string{"m.ROWID"}
	for _, c := range []string{"guid", "text", "attributedBody", "service", "account", "is_from_me", "date", "date_read"} {
		cols = append(cols, columnOr(msg, "m", c, "NULL"))
	}
	// A LEFT JOIN keeps messages without a handle (sent to groups, system messages), which
	// MVT's inner join drops.
	return `SELECT ` + strings.Join(cols, ", ") + `, ` + handle + ` FROM message m` + join + ` ORDER BY m.ROWID`, nil
}

// read streams one sms.db: each message is emitted as soon as it is read.
func (s *SMS) read(ctx context.Context, db *module.DB, f acq.File, emit module.Emitter) error {
	q, err := smsQuery(db)
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(q)
	if err != nil {
		return fmt.Errorf("query messages: %w", err)
	}
	defer stmt.Close()
	var bad bodyErrors
	for stmt.Step() {
		m := SMSMessage{
			RowID:    stmt.ColumnInt64(0),
			GUID:     stmt.ColumnText(1),
			Text:     stmt.ColumnText(2),
			Service:  stmt.ColumnText(4),
			Account:  stmt.ColumnText(5),
			FromMe:   stmt.ColumnInt64(6) != 0,
			Date:     timestamp.MacAbsoluteAuto(stmt.ColumnInt64(7)),
			DateRead: timestamp.MacAbsoluteAuto(stmt.ColumnInt64(8)),
			Handle:   stmt.ColumnText(9),
		}
		// The blob is SQLite's memory until the next Step; it is decoded, never kept.
		bad.note(m.RowID, m.addBody(stmt.ColumnRawBlob(3)))
		emit.Record(m)
		if d, ok := threatNotification(m); ok {
			emit.Detection(d)
		}
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read messages: %w", err)
	}
	if err := bad.err(); err != nil {
		emit.Problem(fmt.Errorf("%s: %w", f.Path, err))
	}
	return nil
}

// bodyErrors counts attributedBody values that could not be decoded, so that a database full
// of them gives one problem report rather than one per message.
type bodyErrors struct {
	n     int
	rowid int64
	first error
}

func (b *bodyErrors) note(rowid int64, err error) {
	if err == nil {
		return
	}
	if b.n == 0 {
		b.rowid, b.first = rowid, err
	}
	b.n++
}

func (b *bodyErrors) err() error {
	if b.n == 0 {
		return nil
	}
	return fmt.Errorf("%d attributedBody values could not be decoded (first, message %d: %w)", b.n, b.rowid, b.first)
}
