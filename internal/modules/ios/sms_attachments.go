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

// SMSAttachments reads the attachments of sms.db (SMS, MMS and iMessage) and where iOS
// stored them.
type SMSAttachments struct {
	about
	places places
}

// NewSMSAttachments returns the sms_attachments module.
func NewSMSAttachments() *SMSAttachments {
	return &SMSAttachments{about: about{
		name:      "ios/sms_attachments",
		desc:      "SMS/iMessage attachments and their file paths; flags received attachments stored as /var/tmp/…-1",
		kinds:     backupAndFS,
		artifacts: smsPlaces.artifacts(), // the same sms.db as the sms module
	}, places: smsPlaces}
}

// SMSAttachment is one attachment of sms.db with the message that carried it.
type SMSAttachment struct {
	RowID        int64     `json:"rowid"`
	GUID         string    `json:"guid,omitempty"`
	Filename     string    `json:"filename,omitempty"` // as stored, often "~/Library/SMS/Attachments/…"
	Path         string    `json:"path,omitempty"`     // Filename as an absolute device path
	TransferName string    `json:"transfer_name,omitempty"`
	MIMEType     string    `json:"mime_type,omitempty"`
	UTI          string    `json:"uti,omitempty"`
	TotalBytes   int64     `json:"total_bytes"`
	Outgoing     bool      `json:"is_outgoing"`
	Sticker      bool      `json:"is_sticker"`
	HasUserInfo  bool      `json:"has_user_info"`
	Created      time.Time `json:"created_date,omitzero"`
	Started      time.Time `json:"start_date,omitzero"`
	MessageID    int64     `json:"message_id,omitempty"` // 0: no message refers to it
	Service      string    `json:"service,omitempty"`
	Handle       string    `json:"handle,omitempty"` // the other party: phone number or e-mail
}

// Direction is "sent" or "received", MVT's words.
func (a SMSAttachment) Direction() string {
	if a.Outgoing {
		return "sent"
	}
	return "received"
}

// Events implements module.Record.
func (a SMSAttachment) Events() []timeline.Event {
	if a.Created.IsZero() {
		return nil
	}
	service, who, name := a.Service, a.Handle, a.TransferName
	if service == "" {
		service = "Unknown"
	}
	if who == "" {
		who = "unknown"
	}
	if name == "" {
		name = a.Filename
	}
	dir := "from"
	if a.Outgoing {
		dir = "to"
	}
	return []timeline.Event{{Time: a.Created, Event: "sms_attachment", Description: fmt.Sprintf(
		"%s: attachment %s %s %s %s, %d bytes (sticker: %t, user info: %t)",
		service, strconv.Quote(name), a.Direction(), dir, who, a.TotalBytes, a.Sticker, a.HasUserInfo)}}
}

// Observables implements module.Record: the path, for file-path and file-name indicators.
func (a SMSAttachment) Observables() []ioc.Observable {
	switch {
	case strings.HasPrefix(a.Path, "/"):
		return []ioc.Observable{{Type: ioc.FilePath, Value: a.Path}}
	case a.Path != "":
		return []ioc.Observable{{Type: ioc.FileName, Value: a.Path}}
	}
	return nil
}

// devicePath makes an attachment filename absolute: Messages writes the mobile user's home
// as "~/".
func devicePath(name string) string {
	if rest, ok := strings.CutPrefix(name, "~/"); ok {
		return "/private/var/mobile/" + rest
	}
	return name
}

// Run implements module.Module.
func (m *SMSAttachments) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return m.read(ctx, db, f, emit) })
}

// smsAttachmentsQuery joins each attachment to its message and handle as MVT does, with
// LEFT JOINs so that attachments no message refers to any more are kept.
func smsAttachmentsQuery(db *module.DB) (string, error) {
	att, err := requireColumns(db, "attachment", "filename")
	if err != nil {
		return "", err
	}
	sel := []string{"a.ROWID", "a.filename"}
	for _, c := range []string{"guid", "transfer_name", "mime_type", "uti", "total_bytes", "is_outgoing",
		"is_sticker", "created_date", "start_date"} {
		sel = append(sel, columnOr(att, "a", c, "NULL"))
	}
	sel = append(sel, columnOr(att, "a", "user_info", "NULL")+" IS NOT NULL")
	join, err := db.Columns("message_attachment_join")
	if err != nil {
		return "", fmt.Errorf("table message_attachment_join: %w", err)
	}
	msg, err := db.Columns("message")
	if err != nil {
		return "", fmt.Errorf("table message: %w", err)
	}
	handle, err := db.Columns("handle")
	if err != nil {
		return "", fmt.Errorf("table handle: %w", err)
	}
	from := " FROM attachment a"
	if !join["message_id"] || !join["attachment_id"] {
		return `SELECT ` + strings.Join(sel, ", ") + `, NULL, NULL, NULL` + from + ` ORDER BY a.ROWID`, nil
	}
	from += " LEFT JOIN message_attachment_join j ON j.attachment_id = a.ROWID"
	service, who := "NULL", "NULL"
	if len(msg) > 0 {
		from += " LEFT JOIN message m ON m.ROWID = j.message_id"
		service = columnOr(msg, "m", "service", "NULL")
		if msg["handle_id"] && handle["id"] {
			from += " LEFT JOIN handle h ON h.ROWID = m.handle_id"
			who = "h.id"
		}
	}
	return `SELECT ` + strings.Join(sel, ", ") + `, j.message_id, ` + service + `, ` + who + from +
		` ORDER BY a.ROWID, j.message_id`, nil
}

// read streams the attachments of one sms.db.
func (m *SMSAttachments) read(ctx context.Context, db *module.DB, f acq.File, emit module.Emitter) error {
	q, err := smsAttachmentsQuery(db)
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(q)
	if err != nil {
		return fmt.Errorf("query attachments: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		a := SMSAttachment{
			RowID:        stmt.ColumnInt64(0),
			Filename:     columnString(stmt, 1),
			GUID:         columnString(stmt, 2),
			TransferName: columnString(stmt, 3),
			MIMEType:     columnString(stmt, 4),
			UTI:          columnString(stmt, 5),
			TotalBytes:   stmt.ColumnInt64(6),
			Outgoing:     stmt.ColumnInt64(7) == 1,
			Sticker:      stmt.ColumnInt64(8) != 0,
			Created:      columnMacTime(stmt, 9),
			Started:      columnMacTime(stmt, 10),
			HasUserInfo:  stmt.ColumnInt64(11) != 0,
			MessageID:    stmt.ColumnInt64(12),
			Service:      columnString(stmt, 13),
			Handle:       columnString(stmt, 14),
		}
		a.Path = devicePath(a.Filename)
		emit.Record(a)
		if d, ok := tmpAttachment(a); ok {
			emit.Detection(d)
		}
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read attachments: %w", err)
	}
	return nil
}

// tmpAttachment flags a received attachment stored directly under /var/tmp with a name ending
// in "-1": Messages keeps attachments in ~/Library/SMS/Attachments, and this shape was left by
// attachments delivered during iMessage zero-click exploitation.
func tmpAttachment(a SMSAttachment) (module.Detection, bool) {
	p := a.Path
	if strings.HasPrefix(p, "/var/") {
		p = "/private" + p
	}
	if a.Outgoing || !strings.HasPrefix(p, "/private/var/tmp/") || !strings.HasSuffix(p, "-1") {
		return module.Detection{}, false
	}
	return module.Detection{
		Severity: module.Medium,
		Message: "A received iMessage attachment was stored in /var/tmp with a name ending in -1, " +
			"as attachments of iMessage zero-click exploits were: " + a.Filename,
		Time:      a.Created,
		Evidence:  a.Filename,
		Reference: amnestyPegasus2021 + "; MVT (sms_attachments module)",
		Record:    a,
	}, true
}
