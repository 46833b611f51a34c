package ios

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/module"
)

// whatsAppMessageColumns are read from ZWAMESSAGE in this order, NULL when absent.
var whatsAppMessageColumns = []string{"ZCHATSESSION", "ZFROMJID", "ZTOJID", "ZTEXT", "ZMESSAGEDATE", "ZISFROMME", "ZMESSAGETYPE"}

// whatsAppMediaQuery lists (message, author name, media URL) in message order. Media items
// point back to their message (ZMESSAGE, which MVT joins on); where a version lacks that
// column, the message's own ZMEDIAITEM is followed instead.
func whatsAppMediaQuery(db *module.DB, msg map[string]bool) (string, error) {
	media, err := db.Columns("ZWAMEDIAITEM")
	if err != nil {
		return "", fmt.Errorf("table ZWAMEDIAITEM: %w", err)
	}
	if !media["ZAUTHORNAME"] && !media["ZMEDIAURL"] {
		return "", nil
	}
	cols := columnOr(media, "mi", "ZAUTHORNAME", "NULL") + ", " + columnOr(media, "mi", "ZMEDIAURL", "NULL")
	switch {
	case media["ZMESSAGE"]:
		return "SELECT mi.ZMESSAGE, " + cols + " FROM ZWAMEDIAITEM mi WHERE mi.ZMESSAGE IS NOT NULL ORDER BY mi.ZMESSAGE, mi.ROWID", nil
	case msg["ZMEDIAITEM"] && media["Z_PK"]:
		return "SELECT m.Z_PK, " + cols + " FROM ZWAMESSAGE m JOIN ZWAMEDIAITEM mi ON mi.Z_PK = m.ZMEDIAITEM ORDER BY m.Z_PK", nil
	}
	return "", nil
}

// whatsAppDataQuery lists a message's data items (link previews) in message order.
func whatsAppDataQuery(db *module.DB) (string, error) {
	data, err := db.Columns("ZWAMESSAGEDATAITEM")
	if err != nil {
		return "", fmt.Errorf("table ZWAMESSAGEDATAITEM: %w", err)
	}
	if !data["ZMESSAGE"] {
		return "", nil
	}
	sel := []string{"d.ZMESSAGE"}
	for _, c := range []string{"ZCONTENT1", "ZCONTENT2", "ZMATCHEDTEXT", "ZSUMMARY", "ZTITLE"} {
		sel = append(sel, columnOr(data, "d", c, "NULL"))
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM ZWAMESSAGEDATAITEM d WHERE d.ZMESSAGE IS NOT NULL ORDER BY d.ZMESSAGE, d.ROWID", nil
}

// openWhatsAppChildren opens the media and data-item walks; either may be nil (absent).
func openWhatsAppChildren(db *module.DB, msg map[string]bool) (media, data *childRows, err error) {
	q, err := whatsAppMediaQuery(db, msg)
	if err == nil && q != "" {
		media, err = newChildRows(db, q)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("media items: %w", err)
	}
	if q, err = whatsAppDataQuery(db); err == nil && q != "" {
		data, err = newChildRows(db, q)
	}
	if err != nil {
		return nil, nil, errors.Join(fmt.Errorf("data items: %w", err), media.close())
	}
	return media, data, nil
}

// readWhatsAppMessages streams the messages of one database, each with its links.
func readWhatsAppMessages(db *module.DB, label string, lids whatsAppLIDMap, emit module.Emitter) error {
	msg, err := db.Columns("ZWAMESSAGE")
	if err != nil {
		return fmt.Errorf("table ZWAMESSAGE: %w", err)
	}
	sel := []string{"m.Z_PK"}
	for _, c := range whatsAppMessageColumns {
		sel = append(sel, columnOr(msg, "m", c, "NULL"))
	}
	stmt, _, err := db.Prepare("SELECT " + strings.Join(sel, ", ") + " FROM ZWAMESSAGE m ORDER BY m.Z_PK")
	if err != nil {
		return fmt.Errorf("query messages: %w", err)
	}
	defer stmt.Close()
	media, data, err := openWhatsAppChildren(db, msg)
	if err != nil {
		return err
	}
	for stmt.Step() {
		m := scanWhatsAppMessage(stmt, label)
		m.FromPhone = lids.phoneOf(m.FromJID)
		m.addLinks(m.Text)
		media.each(m.ID, func(c *sqlite3.Stmt) {
			m.AuthorName, m.MediaURL = columnString(c, 1), columnString(c, 2)
			m.addLinks(m.MediaURL)
		})
		data.each(m.ID, func(c *sqlite3.Stmt) { m.addDataItem(c) })
		emit.Record(m)
	}
	err = errors.Join(stmt.Err(), media.close(), data.close())
	if err != nil {
		return fmt.Errorf("read messages: %w", err)
	}
	return nil
}

func scanWhatsAppMessage(stmt *sqlite3.Stmt, label string) WhatsAppMessage {
	return WhatsAppMessage{
		RecordType: WhatsAppMessageRecordType, ID: stmt.ColumnInt64(0), ChatSession: stmt.ColumnInt64(1),
		FromJID: columnString(stmt, 2), ToJID: columnString(stmt, 3), Text: columnString(stmt, 4),
		Date: columnMacTime(stmt, 5), FromMe: stmt.ColumnInt64(6) != 0, MessageType: stmt.ColumnInt64(7),
		Database: label,
	}
}

// addDataItem takes the links of a link preview (its matched text and contents, in MVT's
// column order) and the first preview's title and summary.
func (m *WhatsAppMessage) addDataItem(c *sqlite3.Stmt) {
	m.addLinks(columnString(c, 3))
	m.addLinks(columnString(c, 1))
	m.addLinks(columnString(c, 2))
	if m.PreviewTitle == "" && m.PreviewSummary == "" {
		m.PreviewSummary, m.PreviewTitle = columnString(c, 4), columnString(c, 5)
	}
}
