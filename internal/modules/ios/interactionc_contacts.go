package ios

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// InteractionContact is one ZCONTACTS row: a person with the first and last times they
// sent to or received from the phone's owner. These dates are per contact, so they are
// emitted once here rather than repeated on every interaction as MVT does.
type InteractionContact struct {
	RecordType string `json:"record_type"`
	InteractionParty
	IncomingSenderCount    int64     `json:"incoming_sender_count"`
	IncomingRecipientCount int64     `json:"incoming_recipient_count"`
	OutgoingRecipientCount int64     `json:"outgoing_recipient_count"`
	Created                time.Time `json:"creation_date,omitzero"`
	FirstIncomingRecipient time.Time `json:"first_incoming_recipient_date,omitzero"`
	FirstIncomingSender    time.Time `json:"first_incoming_sender_date,omitzero"`
	FirstOutgoingRecipient time.Time `json:"first_outgoing_recipient_date,omitzero"`
	LastIncomingSender     time.Time `json:"last_incoming_sender_date,omitzero"`
	LastIncomingRecipient  time.Time `json:"last_incoming_recipient_date,omitzero"`
	LastOutgoingRecipient  time.Time `json:"last_outgoing_recipient_date,omitzero"`
	Database               string    `json:"database"`
}

// interactionContactDates are the ZCONTACTS date columns with MVT's event names, in the
// order of InteractionContact's fields.
var interactionContactDates = []struct{ column, event string }{
	{"ZCREATIONDATE", "contacts_creation_date"},
	{"ZFIRSTINCOMINGRECIPIENTDATE", "first_incoming_recipient_date"},
	{"ZFIRSTINCOMINGSENDERDATE", "first_incoming_sender_date"},
	{"ZFIRSTOUTGOINGRECIPIENTDATE", "first_outgoing_recipient_date"},
	{"ZLASTINCOMINGSENDERDATE", "last_incoming_sender_date"},
	{"ZLASTINCOMINGRECIPIENTDATE", "last_incoming_recipient_date"},
	{"ZLASTOUTGOINGRECIPIENTDATE", "last_outgoing_recipient_date"},
}

func (c *InteractionContact) dates() []*time.Time {
	return []*time.Time{&c.Created, &c.FirstIncomingRecipient, &c.FirstIncomingSender, &c.FirstOutgoingRecipient,
		&c.LastIncomingSender, &c.LastIncomingRecipient, &c.LastOutgoingRecipient}
}

// Events implements module.Record.
func (c InteractionContact) Events() []timeline.Event {
	desc := "Contact " + c.InteractionParty.String()
	var out []timeline.Event
	for i, t := range c.dates() {
		if !t.IsZero() {
			out = append(out, timeline.Event{Time: *t, Event: interactionContactDates[i].event, Description: desc})
		}
	}
	return out
}

// Observables implements module.Record: the contact's e-mail identifier, which stays here
// after the interactions that named it expired.
func (c InteractionContact) Observables() []ioc.Observable {
	if e := emailOf(c.Identifier); e != "" {
		return []ioc.Observable{{Type: ioc.Email, Value: e}}
	}
	return nil
}

// readInteractions streams interactions, each with its recipients and attachments.
func readInteractions(db *module.DB, s interactionCSchema, path string, emit module.Emitter) error {
	stmt, _, err := db.Prepare(s.interactionsQuery())
	if err != nil {
		return fmt.Errorf("query interactions: %w", err)
	}
	defer stmt.Close()
	var recipients, attachments *childRows
	if q := s.recipientsQuery(); q != "" {
		if recipients, err = newChildRows(db, q); err != nil {
			return fmt.Errorf("recipients: %w", err)
		}
	}
	if q := s.attachmentsQuery(); q != "" {
		if attachments, err = newChildRows(db, q); err != nil {
			return errors.Join(fmt.Errorf("attachments: %w", err), recipients.close())
		}
	}
	for stmt.Step() {
		r := scanInteraction(stmt, path)
		recipients.each(r.ID, func(c *sqlite3.Stmt) { r.Recipients = append(r.Recipients, scanParty(c, 1)) })
		attachments.each(r.ID, func(c *sqlite3.Stmt) { r.Attachments = append(r.Attachments, scanAttachment(c)) })
		emit.Record(r)
	}
	err = stmt.Err()
	if cerr := recipients.close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("recipients: %w", cerr))
	}
	if cerr := attachments.close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("attachments: %w", cerr))
	}
	if err != nil {
		return fmt.Errorf("read interactions: %w", err)
	}
	return nil
}

func scanAttachment(c *sqlite3.Stmt) InteractionAttachment {
	return InteractionAttachment{ContentText: columnString(c, 1), UTI: columnString(c, 2), ContentURL: columnString(c, 3),
		Size: c.ColumnInt64(4), Identifier: c.ColumnText(5), CloudID: columnString(c, 6), PhotoLocalID: columnString(c, 7)}
}

// readInteractionContacts emits every ZCONTACTS row with its first/last dates.
func readInteractionContacts(db *module.DB, cols map[string]bool, path string, emit module.Emitter) error {
	sel := []string{partySelect(cols, "c")}
	for _, n := range []string{"ZINCOMINGSENDERCOUNT", "ZINCOMINGRECIPIENTCOUNT", "ZOUTGOINGRECIPIENTCOUNT"} {
		sel = append(sel, columnOr(cols, "c", n, "NULL"))
	}
	for _, d := range interactionContactDates {
		sel = append(sel, columnOr(cols, "c", d.column, "NULL"))
	}
	stmt, _, err := db.Prepare("SELECT " + strings.Join(sel, ", ") + " FROM ZCONTACTS c ORDER BY c.Z_PK")
	if err != nil {
		return fmt.Errorf("query contacts: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		c := InteractionContact{RecordType: InteractionContactRecordType, InteractionParty: scanParty(stmt, 0),
			IncomingSenderCount: stmt.ColumnInt64(5), IncomingRecipientCount: stmt.ColumnInt64(6),
			OutgoingRecipientCount: stmt.ColumnInt64(7), Database: path}
		for i, t := range c.dates() {
			*t = columnMacTime(stmt, 8+i)
		}
		emit.Record(c)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read contacts: %w", err)
	}
	return nil
}
