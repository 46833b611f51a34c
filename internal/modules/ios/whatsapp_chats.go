package ios

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// WhatsAppChat is one chat session with the dates of its first and last messages.
type WhatsAppChat struct {
	RecordType         string    `json:"record_type"`
	ID                 int64     `json:"id"`
	ContactJID         string    `json:"contact_jid,omitempty"`
	ResolvedPhone      string    `json:"partner_resolved_phone_number,omitempty"` // for a @lid contact
	PartnerName        string    `json:"partner_name,omitempty"`
	SessionType        int64     `json:"session_type"`
	Archived           bool      `json:"archived"`
	Removed            bool      `json:"removed"`
	MessageCounter     int64     `json:"message_counter"`
	LastMessage        time.Time `json:"last_message_date,omitzero"`
	GroupCreated       time.Time `json:"group_creation_date,omitzero"`
	FirstStoredMessage time.Time `json:"first_stored_message_date,omitzero"`
	LastStoredMessage  time.Time `json:"last_stored_message_date,omitzero"`
	StoredMessages     int64     `json:"stored_message_count"`
	Database           string    `json:"database"`
}

func (c WhatsAppChat) describe() string {
	id := c.ResolvedPhone
	if id == "" {
		id = c.ContactJID
	}
	if id == "" {
		id = "unknown"
	}
	if c.PartnerName != "" {
		id = fmt.Sprintf("'%s' (%s)", c.PartnerName, id)
	}
	if strings.HasSuffix(c.ContactJID, "@g.us") || !c.GroupCreated.IsZero() {
		return "WhatsApp group chat " + id
	}
	return "WhatsApp chat with " + id
}

// Events implements module.Record. The last message is the session's own date when it has
// one: it stays after the newest stored message is deleted, and the gap shows the deletion.
func (c WhatsAppChat) Events() []timeline.Event {
	chat := c.describe()
	last := c.LastMessage
	if last.IsZero() {
		last = c.LastStoredMessage
	}
	var out []timeline.Event
	for _, e := range []struct {
		at         time.Time
		name, desc string
	}{{c.GroupCreated, "group_created", chat + " was created"},
		{c.FirstStoredMessage, "chat_first_message", "First stored message in " + chat},
		{last, "chat_last_message", "Last message in " + chat}} {
		if !e.at.IsZero() {
			out = append(out, timeline.Event{Time: e.at, Event: e.name, Description: e.desc})
		}
	}
	return out
}

// Observables implements module.Record: chats name people, not indicators.
func (WhatsAppChat) Observables() []ioc.Observable { return nil }

// WhatsAppLIDPair is one LID (WhatsApp's opaque user id) with the phone number it stands for.
type WhatsAppLIDPair struct {
	RecordType  string    `json:"record_type"`
	LID         string    `json:"lid"`
	PhoneNumber string    `json:"phone_number"`
	Recorded    time.Time `json:"pair_timestamp,omitzero"`
	Database    string    `json:"database"`
}

// Events implements module.Record.
func (p WhatsAppLIDPair) Events() []timeline.Event {
	if p.Recorded.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: p.Recorded, Event: "lid_pair_recorded",
		Description: fmt.Sprintf("WhatsApp associated LID %s with phone number %s", p.LID, p.PhoneNumber)}}
}

// Observables implements module.Record.
func (WhatsAppLIDPair) Observables() []ioc.Observable { return nil }

// whatsAppLIDMap maps LID digits to "+<phone digits>".
type whatsAppLIDMap map[string]string

// phoneOf returns the phone number of a "<digits>@lid" JID, or "".
func (l whatsAppLIDMap) phoneOf(jid string) string {
	if lid, ok := strings.CutSuffix(jid, "@lid"); ok {
		return l[lid]
	}
	return ""
}

// whatsAppLIDs reads the LID pairs of f's app group: from the LID.sqlite beside it, else
// from the same table inside ChatStorage.sqlite (older versions). A LID.sqlite that cannot
// be read is a problem, and the fallback is still tried.
func whatsAppLIDs(ctx context.Context, in *module.Input, f acq.File, chat *module.DB, emit module.Emitter) (whatsAppLIDMap, error) {
	found, err := in.Source().Find(f.Domain, path.Join(path.Dir(f.Path), "LID.sqlite"))
	if err != nil {
		return nil, err
	}
	for _, lf := range found {
		if lf.IsDir() {
			continue
		}
		lids, err := readLIDFile(ctx, in, lf, emit)
		if err == nil {
			return lids, nil
		}
		emit.Problem(fmt.Errorf("%s: %w", fileLabel(lf), err))
	}
	if ok, err := chat.HasTable("ZWAPHONENUMBERLIDPAIR"); err != nil || !ok {
		return whatsAppLIDMap{}, err
	}
	return readLIDPairs(chat, fileLabel(f), emit)
}

func readLIDFile(ctx context.Context, in *module.Input, f acq.File, emit module.Emitter) (whatsAppLIDMap, error) {
	db, err := module.OpenSQLite(in, f)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	db.SetInterrupt(ctx)
	return readLIDPairs(db, fileLabel(f), emit)
}

// readLIDPairs emits the pairs of ZWAPHONENUMBERLIDPAIR and returns them as a map.
func readLIDPairs(db *module.DB, label string, emit module.Emitter) (whatsAppLIDMap, error) {
	cols, err := requireColumns(db, "ZWAPHONENUMBERLIDPAIR", "ZLID", "ZPHONENUMBER")
	if err != nil {
		return nil, err
	}
	stmt, _, err := db.Prepare(`SELECT ZLID, ZPHONENUMBER, ` + columnOr(cols, "p", "ZTIMESTAMP", "NULL") +
		` FROM ZWAPHONENUMBERLIDPAIR p ORDER BY p.ROWID`)
	if err != nil {
		return nil, fmt.Errorf("query LID pairs: %w", err)
	}
	defer stmt.Close()
	lids := whatsAppLIDMap{}
	for stmt.Step() {
		p := WhatsAppLIDPair{RecordType: WhatsAppLIDRecordType, LID: columnString(stmt, 0),
			PhoneNumber: columnString(stmt, 1), Recorded: columnMacTime(stmt, 2), Database: label}
		emit.Record(p)
		lid, _, _ := strings.Cut(p.LID, "@")
		phone, _, _ := strings.Cut(p.PhoneNumber, "@")
		if phone = strings.TrimPrefix(phone, "+"); lid != "" && phone != "" {
			lids[lid] = "+" + phone
		}
	}
	if err := stmt.Err(); err != nil {
		return nil, fmt.Errorf("read LID pairs: %w", err)
	}
	return lids, nil
}

// whatsAppChatsQuery selects each session with its group's creation date and the date range
// and count of its stored messages, as MVT does; absent columns and tables read as NULL.
func whatsAppChatsQuery(db *module.DB) (string, error) {
	s, err := requireColumns(db, "ZWACHATSESSION", "Z_PK")
	if err != nil {
		return "", err
	}
	group, err := db.Columns("ZWAGROUPINFO")
	if err != nil {
		return "", fmt.Errorf("table ZWAGROUPINFO: %w", err)
	}
	msg, err := db.Columns("ZWAMESSAGE")
	if err != nil {
		return "", fmt.Errorf("table ZWAMESSAGE: %w", err)
	}
	sel := []string{"s.Z_PK"}
	for _, c := range []string{"ZCONTACTJID", "ZPARTNERNAME", "ZSESSIONTYPE", "ZARCHIVED", "ZREMOVED", "ZMESSAGECOUNTER", "ZLASTMESSAGEDATE"} {
		sel = append(sel, columnOr(s, "s", c, "NULL"))
	}
	from := " FROM ZWACHATSESSION s"
	if s["ZGROUPINFO"] && group["Z_PK"] && group["ZCREATIONDATE"] {
		sel = append(sel, "g.ZCREATIONDATE")
		from += " LEFT JOIN ZWAGROUPINFO g ON g.Z_PK = s.ZGROUPINFO"
	} else {
		sel = append(sel, "NULL")
	}
	if msg["ZCHATSESSION"] {
		date := columnOr(msg, "m", "ZMESSAGEDATE", "NULL")
		sel = append(sel, "MIN("+date+")", "MAX("+date+")", "COUNT(m.ROWID)")
		from += " LEFT JOIN ZWAMESSAGE m ON m.ZCHATSESSION = s.Z_PK"
	} else {
		sel = append(sel, "NULL", "NULL", "0")
	}
	return "SELECT " + strings.Join(sel, ", ") + from + " GROUP BY s.Z_PK ORDER BY s.Z_PK", nil
}

// readWhatsAppChats emits the chat sessions of one database.
func readWhatsAppChats(db *module.DB, label string, lids whatsAppLIDMap, emit module.Emitter) error {
	q, err := whatsAppChatsQuery(db)
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(q)
	if err != nil {
		return fmt.Errorf("query chat sessions: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		c := WhatsAppChat{
			RecordType: WhatsAppChatRecordType, ID: stmt.ColumnInt64(0), ContactJID: columnString(stmt, 1),
			PartnerName: columnString(stmt, 2), SessionType: stmt.ColumnInt64(3), Archived: stmt.ColumnInt64(4) != 0,
			Removed: stmt.ColumnInt64(5) != 0, MessageCounter: stmt.ColumnInt64(6), LastMessage: columnMacTime(stmt, 7),
			GroupCreated: columnMacTime(stmt, 8), FirstStoredMessage: columnMacTime(stmt, 9),
			LastStoredMessage: columnMacTime(stmt, 10), StoredMessages: stmt.ColumnInt64(11), Database: label,
		}
		c.ResolvedPhone = lids.phoneOf(c.ContactJID)
		emit.Record(c)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read chat sessions: %w", err)
	}
	return nil
}
