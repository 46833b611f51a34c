package ios

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

// interactionC's schema changes with iOS versions: columns come and go, and the Core Data
// link tables are named after entity numbers (Z_1INTERACTIONS, Z_2INTERACTIONRECIPIENT) that
// shift when Apple adds an entity. MVT tries four fixed queries in turn; here the query is
// built from the columns and link tables the database actually has, so a version none of
// those queries fits is still read, and nothing present is left out.

// Columns read from ZINTERACTIONS and ZCONTACTS, in scan order; absent ones read as NULL.
var (
	interactionColumns = []string{"ZBUNDLEID", "ZACCOUNT", "ZTARGETBUNDLEID", "ZDIRECTION", "ZMECHANISM",
		"ZISRESPONSE", "ZRECIPIENTCOUNT", "ZDOMAINIDENTIFIER", "ZGROUPNAME", "ZCONTENTURL", "ZLOCATIONUUID",
		"ZDERIVEDINTENTIDENTIFIER", "ZSTARTDATE", "ZENDDATE", "ZCREATIONDATE"}
	interactionPartyColumns = []string{"ZDISPLAYNAME", "ZIDENTIFIER", "ZPERSONID", "ZCUSTOMIDENTIFIER"}
)

// coreDataLink is a Core Data many-to-many table: the column holding the other entity's key
// and the one holding the interaction's. A zero coreDataLink means the table is absent.
type coreDataLink struct{ table, other, interaction string }

// interactionCSchema is what one interactionC.db holds.
type interactionCSchema struct {
	inter, contacts, attachment map[string]bool
	recipients, attachments     coreDataLink
}

func readInteractionCSchema(db *module.DB) (s interactionCSchema, err error) {
	if s.inter, err = requireColumns(db, "ZINTERACTIONS", "Z_PK"); err != nil {
		return s, err
	}
	if s.contacts, err = db.Columns("ZCONTACTS"); err != nil {
		return s, fmt.Errorf("table ZCONTACTS: %w", err)
	}
	if s.attachment, err = db.Columns("ZATTACHMENT"); err != nil {
		return s, fmt.Errorf("table ZATTACHMENT: %w", err)
	}
	if s.recipients, err = findCoreDataLink(db, "RECIPIENTS", "INTERACTIONRECIPIENT"); err != nil {
		return s, err
	}
	s.attachments, err = findCoreDataLink(db, "ATTACHMENTS", "INTERACTIONS")
	return s, err
}

// findCoreDataLink finds the link table with a column ending in otherSuffix and one ending in
// interactionSuffix, whatever entity numbers prefix them.
func findCoreDataLink(db *module.DB, otherSuffix, interactionSuffix string) (coreDataLink, error) {
	stmt, _, err := db.Prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'Z!_%' ESCAPE '!' ORDER BY name`)
	if err != nil {
		return coreDataLink{}, fmt.Errorf("list tables: %w", err)
	}
	var names []string
	for stmt.Step() {
		names = append(names, stmt.ColumnText(0))
	}
	err = errors.Join(stmt.Err(), stmt.Close())
	if err != nil {
		return coreDataLink{}, fmt.Errorf("list tables: %w", err)
	}
	for _, name := range names {
		cols, err := db.Columns(name)
		if err != nil {
			return coreDataLink{}, fmt.Errorf("table %s: %w", name, err)
		}
		l := coreDataLink{table: name}
		for c := range cols {
			switch u := strings.ToUpper(c); {
			case strings.HasSuffix(u, interactionSuffix):
				l.interaction = c
			case strings.HasSuffix(u, otherSuffix):
				l.other = c
			}
		}
		if l.other != "" && l.interaction != "" {
			return l, nil
		}
	}
	return coreDataLink{}, nil
}

// quoteName quotes an identifier read from the database's own catalogue.
func quoteName(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func partySelect(cols map[string]bool, alias string) string {
	sel := []string{columnOr(cols, alias, "Z_PK", "NULL")}
	for _, c := range interactionPartyColumns {
		sel = append(sel, columnOr(cols, alias, c, "NULL"))
	}
	return strings.Join(sel, ", ")
}

func (s interactionCSchema) interactionsQuery() string {
	sel := []string{"i.Z_PK"}
	for _, c := range interactionColumns {
		sel = append(sel, columnOr(s.inter, "i", c, "NULL"))
	}
	from := " FROM ZINTERACTIONS i"
	if s.inter["ZSENDER"] && s.contacts["Z_PK"] {
		sel = append(sel, partySelect(s.contacts, "s"))
		from += " LEFT JOIN ZCONTACTS s ON s.Z_PK = i.ZSENDER"
	} else {
		sel = append(sel, partySelect(nil, "s"))
	}
	return "SELECT " + strings.Join(sel, ", ") + from + " ORDER BY i.Z_PK"
}

// recipientsQuery lists (interaction, recipient) pairs in interaction order; "" when the
// database has no recipients.
func (s interactionCSchema) recipientsQuery() string {
	l := s.recipients
	if l.table == "" || !s.contacts["Z_PK"] {
		return ""
	}
	return "SELECT l." + quoteName(l.interaction) + ", " + partySelect(s.contacts, "c") +
		" FROM " + quoteName(l.table) + " l JOIN ZCONTACTS c ON c.Z_PK = l." + quoteName(l.other) +
		" ORDER BY l." + quoteName(l.interaction) + ", c.Z_PK"
}

// attachmentsQuery lists (interaction, attachment) pairs in interaction order; "" when the
// database has no attachments.
func (s interactionCSchema) attachmentsQuery() string {
	l, a := s.attachments, s.attachment
	if l.table == "" || !a["Z_PK"] {
		return ""
	}
	sel := []string{"l." + quoteName(l.interaction)}
	for _, c := range []string{"ZCONTENTTEXT", "ZUTI", "ZCONTENTURL", "ZSIZEINBYTES"} {
		sel = append(sel, columnOr(a, "a", c, "NULL"))
	}
	sel = append(sel, "hex("+columnOr(a, "a", "ZIDENTIFIER", "NULL")+")",
		columnOr(a, "a", "ZCLOUDIDENTIFIER", "NULL"), columnOr(a, "a", "ZPHOTOLOCALIDENTIFIER", "NULL"))
	return "SELECT " + strings.Join(sel, ", ") + " FROM " + quoteName(l.table) + " l JOIN ZATTACHMENT a ON a.Z_PK = l." +
		quoteName(l.other) + " ORDER BY l." + quoteName(l.interaction) + ", a.Z_PK"
}

// scanParty reads the five party columns from col on.
func scanParty(stmt *sqlite3.Stmt, col int) InteractionParty {
	return InteractionParty{ContactID: stmt.ColumnInt64(col), DisplayName: columnString(stmt, col+1),
		Identifier: columnString(stmt, col+2), PersonID: columnString(stmt, col+3), CustomID: columnString(stmt, col+4)}
}

// scanSender is scanParty for the sender, nil when the interaction names none.
func scanSender(stmt *sqlite3.Stmt, col int) *InteractionParty {
	if stmt.ColumnType(col) == sqlite3.NULL {
		return nil
	}
	p := scanParty(stmt, col)
	return &p
}

func interactionDirection(stmt *sqlite3.Stmt, col int) string {
	switch {
	case stmt.ColumnType(col) == sqlite3.NULL:
		return ""
	case stmt.ColumnInt64(col) == 0:
		return "incoming"
	case stmt.ColumnInt64(col) == 1:
		return "outgoing"
	}
	return strconv.FormatInt(stmt.ColumnInt64(col), 10)
}

func scanInteraction(stmt *sqlite3.Stmt, db string) Interaction {
	return Interaction{
		RecordType: InteractionRecordType, ID: stmt.ColumnInt64(0), BundleID: columnString(stmt, 1),
		Account: columnString(stmt, 2), TargetBundleID: columnString(stmt, 3), Direction: interactionDirection(stmt, 4),
		Mechanism: columnIntOrNil(stmt, 5), IsResponse: stmt.ColumnInt64(6) != 0, RecipientCount: stmt.ColumnInt64(7),
		DomainIdentifier: columnString(stmt, 8), GroupName: columnString(stmt, 9), ContentURL: columnString(stmt, 10),
		LocationUUID: columnString(stmt, 11), DerivedIntentID: columnString(stmt, 12), Start: columnMacTime(stmt, 13),
		End: columnMacTime(stmt, 14), Created: columnMacTime(stmt, 15), Sender: scanSender(stmt, 16), Database: db,
	}
}

func (m *InteractionC) read(ctx context.Context, db *module.DB, f acq.File, emit module.Emitter) error {
	s, err := readInteractionCSchema(db)
	if err != nil {
		return err
	}
	if err := readInteractions(db, s, f.Path, emit); err != nil {
		return err
	}
	if s.contacts["Z_PK"] {
		return readInteractionContacts(db, s.contacts, f.Path, emit)
	}
	return nil
}
