package ios

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// WhatsAppContacts reads WhatsApp's address book (ContactsV2.sqlite): who the contacts are,
// their LIDs, their "about" texts and their disappearing-messages timers, which
// ChatStorage.sqlite does not record for one-to-one chats.
type WhatsAppContacts struct {
	about
	places places
}

var whatsAppContactsPlaces = whatsAppPlaces("ContactsV2.sqlite")

// NewWhatsAppContacts returns the whatsapp_contacts module.
func NewWhatsAppContacts() *WhatsAppContacts {
	return &WhatsAppContacts{about: about{
		name:      "ios/whatsapp_contacts",
		desc:      "WhatsApp contacts with their disappearing-messages timers and about texts (ContactsV2.sqlite; often missing from incremental backups)",
		kinds:     backupAndFS,
		artifacts: whatsAppContactsPlaces.artifacts(),
	}, places: whatsAppContactsPlaces}
}

// WhatsAppContact is one contact of ZWAADDRESSBOOKCONTACT. Columns the database lacks leave
// their fields empty; a nil timer means "unknown", not "off".
type WhatsAppContact struct {
	ID                   int64     `json:"id"`
	WhatsAppID           string    `json:"whatsapp_id,omitempty"`
	LID                  string    `json:"lid,omitempty"`
	PhoneNumber          string    `json:"phone_number,omitempty"`
	LocalizedPhoneNumber string    `json:"localized_phone_number,omitempty"`
	FullName             string    `json:"full_name,omitempty"`
	GivenName            string    `json:"given_name,omitempty"`
	LastName             string    `json:"last_name,omitempty"`
	UserName             string    `json:"user_name,omitempty"`
	BusinessName         string    `json:"business_name,omitempty"`
	AboutText            string    `json:"about_text,omitempty"`
	AboutEmoji           string    `json:"about_emoji,omitempty"`
	Notes                string    `json:"notes,omitempty"`
	DisappearingDuration *int64    `json:"disappearing_mode_duration,omitempty"` // seconds
	DisappearingOn       *bool     `json:"disappearing_mode_is_on,omitempty"`
	DisappearingLabel    string    `json:"disappearing_mode_label,omitempty"`
	DisappearingSet      time.Time `json:"disappearing_mode_timestamp,omitzero"`
	AboutChanged         time.Time `json:"about_timestamp,omitzero"`
	AboutExpires         time.Time `json:"about_expiration_timestamp,omitzero"`
	LastUpdated          time.Time `json:"last_updated,omitzero"`
	PhoneStatus          *int64    `json:"phone_status,omitempty"`
	SyncPolicy           *int64    `json:"sync_policy,omitempty"`
	Database             string    `json:"database"`
}

// disappearingLabels name WhatsApp's standard timers.
var disappearingLabels = map[int64]string{86400: "24 hours", 604800: "7 days", 1209600: "14 days",
	2592000: "30 days", 7776000: "90 days"}

func disappearingLabel(sec int64) string {
	if sec == 0 {
		return "off"
	}
	if l, ok := disappearingLabels[sec]; ok {
		return l
	}
	return strconv.FormatInt(sec, 10) + " seconds"
}

// who names the contact in event descriptions: its WhatsApp id, LID or number, and name.
func (c WhatsAppContact) who() string {
	id := "unknown"
	for _, s := range []string{c.WhatsAppID, c.LID, c.PhoneNumber} {
		if s != "" {
			id = s
			break
		}
	}
	if c.FullName != "" {
		id += " (" + c.FullName + ")"
	}
	return id
}

// Events implements module.Record with MVT's event names.
func (c WhatsAppContact) Events() []timeline.Event {
	who := c.who()
	var out []timeline.Event
	add := func(at time.Time, name, desc string) {
		if !at.IsZero() {
			out = append(out, timeline.Event{Time: at, Event: name, Description: desc})
		}
	}
	timer := c.DisappearingLabel
	if timer == "" {
		timer = "unknown"
	}
	add(c.DisappearingSet, "disappearing_mode_set", fmt.Sprintf("WhatsApp disappearing messages timer set to '%s' for %s", timer, who))
	add(c.AboutChanged, "about_changed", fmt.Sprintf("WhatsApp about of %s changed to %s", who, strconv.Quote(c.AboutText)))
	add(c.AboutExpires, "about_expiration", fmt.Sprintf("WhatsApp about of %s expires", who))
	add(c.LastUpdated, "contact_last_updated", "WhatsApp contact "+who+" last updated")
	return out
}

// Observables implements module.Record: contacts are context (MVT checks nothing here).
func (WhatsAppContact) Observables() []ioc.Observable { return nil }

// Run implements module.Module.
func (m *WhatsAppContacts) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return m.read(ctx, db, f, emit) })
}

// waContactField is a contact field: the columns that may hold it, in order of preference
// (WhatsApp renames columns across versions), and how to store it.
type waContactField struct {
	columns []string
	set     func(c *WhatsAppContact, stmt *sqlite3.Stmt, col int)
}

// waText returns a setter for a string field; some versions store strings as UTF-8 blobs.
func waText(field func(*WhatsAppContact) *string) func(*WhatsAppContact, *sqlite3.Stmt, int) {
	return func(c *WhatsAppContact, stmt *sqlite3.Stmt, col int) { *field(c) = columnString(stmt, col) }
}

// waDate returns a setter for a Mac absolute date field.
func waDate(field func(*WhatsAppContact) *time.Time) func(*WhatsAppContact, *sqlite3.Stmt, int) {
	return func(c *WhatsAppContact, stmt *sqlite3.Stmt, col int) { *field(c) = columnMacTime(stmt, col) }
}

var waContactFields = []waContactField{
	{[]string{"ZWHATSAPPID"}, waText(func(c *WhatsAppContact) *string { return &c.WhatsAppID })},
	{[]string{"ZLID"}, waText(func(c *WhatsAppContact) *string { return &c.LID })},
	{[]string{"ZPHONENUMBER"}, waText(func(c *WhatsAppContact) *string { return &c.PhoneNumber })},
	{[]string{"ZLOCALIZEDPHONENUMBER"}, waText(func(c *WhatsAppContact) *string { return &c.LocalizedPhoneNumber })},
	{[]string{"ZFULLNAME"}, waText(func(c *WhatsAppContact) *string { return &c.FullName })},
	{[]string{"ZGIVENNAME"}, waText(func(c *WhatsAppContact) *string { return &c.GivenName })},
	{[]string{"ZLASTNAME"}, waText(func(c *WhatsAppContact) *string { return &c.LastName })},
	{[]string{"ZUSERNAME"}, waText(func(c *WhatsAppContact) *string { return &c.UserName })},
	{[]string{"ZBUSINESSNAME"}, waText(func(c *WhatsAppContact) *string { return &c.BusinessName })},
	{[]string{"ZABOUTTEXT"}, waText(func(c *WhatsAppContact) *string { return &c.AboutText })},
	{[]string{"ZABOUTEMOJI"}, waText(func(c *WhatsAppContact) *string { return &c.AboutEmoji })},
	{[]string{"ZNOTES"}, waText(func(c *WhatsAppContact) *string { return &c.Notes })},
	{[]string{"ZDISAPPEARINGMODETIMESTAMP"}, waDate(func(c *WhatsAppContact) *time.Time { return &c.DisappearingSet })},
	{[]string{"ZABOUTTIMESTAMP"}, waDate(func(c *WhatsAppContact) *time.Time { return &c.AboutChanged })},
	{[]string{"ZABOUTEXPIRATIONTIMESTAMP"}, waDate(func(c *WhatsAppContact) *time.Time { return &c.AboutExpires })},
	{[]string{"ZLASTUPDATED"}, waDate(func(c *WhatsAppContact) *time.Time { return &c.LastUpdated })},
	{[]string{"ZDISAPPEARINGMODEDURATION"}, func(c *WhatsAppContact, stmt *sqlite3.Stmt, col int) {
		// With the column present, NULL means no timer: "off", not unknown.
		d := stmt.ColumnInt64(col)
		on := d != 0
		c.DisappearingDuration, c.DisappearingOn, c.DisappearingLabel = &d, &on, disappearingLabel(d)
	}},
	{[]string{"ZPHONESTATUS", "ZPHONENUMBERSTATUS"}, func(c *WhatsAppContact, stmt *sqlite3.Stmt, col int) {
		c.PhoneStatus = columnIntOrNil(stmt, col)
	}},
	{[]string{"ZSYNCPOLICY"}, func(c *WhatsAppContact, stmt *sqlite3.Stmt, col int) { c.SyncPolicy = columnIntOrNil(stmt, col) }},
}

// waContactsQuery selects the fields whose columns exist, and returns their setters in
// column order.
func waContactsQuery(db *module.DB) (string, []waContactField, error) {
	cols, err := requireColumns(db, "ZWAADDRESSBOOKCONTACT")
	if err != nil {
		return "", nil, err
	}
	sel := []string{"c.ROWID"}
	var fields []waContactField
	for _, f := range waContactFields {
		for _, name := range f.columns {
			if cols[name] {
				sel = append(sel, "c."+name)
				fields = append(fields, f)
				break
			}
		}
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM ZWAADDRESSBOOKCONTACT c ORDER BY c.ROWID", fields, nil
}

func (m *WhatsAppContacts) read(ctx context.Context, db *module.DB, f acq.File, emit module.Emitter) error {
	q, fields, err := waContactsQuery(db)
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(q)
	if err != nil {
		return fmt.Errorf("query contacts: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		c := WhatsAppContact{ID: stmt.ColumnInt64(0), Database: fileLabel(f)}
		for i, field := range fields {
			field.set(&c, stmt, i+1)
		}
		emit.Record(c)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read contacts: %w", err)
	}
	return nil
}
