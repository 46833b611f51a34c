package ios

import (
	"context"
	"fmt"
	"strings"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// Contacts reads the address book: context for the numbers and addresses other artifacts
// name. It checks nothing and dates nothing.
type Contacts struct {
	about
	places places
}

var contactsPlaces = places{
	acq.IOSBackup:     {{"HomeDomain", "Library/AddressBook/AddressBook.sqlitedb"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Library/AddressBook/AddressBook.sqlitedb"}},
}

// NewContacts returns the contacts module.
func NewContacts() *Contacts {
	return &Contacts{about: about{
		name:      "ios/contacts",
		desc:      "Address book entries (AddressBook.sqlitedb), as context for other artifacts",
		kinds:     backupAndFS,
		artifacts: contactsPlaces.artifacts(),
	}, places: contactsPlaces}
}

// AddressBookEntry is one value (phone number, e-mail address, URL...) of one person.
type AddressBookEntry struct {
	PersonID     int64  `json:"person_id"`
	First        string `json:"first,omitempty"`
	Middle       string `json:"middle,omitempty"`
	Last         string `json:"last,omitempty"`
	Organization string `json:"organization,omitempty"`
	Property     int64  `json:"property"`
	Kind         string `json:"kind,omitempty"` // phone, email, url; "" for other properties
	Label        string `json:"label,omitempty"`
	Value        string `json:"value"`
}

// Events implements module.Record: the address book carries no dates worth a timeline.
func (AddressBookEntry) Events() []timeline.Event { return nil }

// Observables implements module.Record: entries are context, not evidence (as in MVT).
func (AddressBookEntry) Observables() []ioc.Observable { return nil }

// addressBookKinds names the ABMultiValue properties people recognise.
var addressBookKinds = map[int64]string{3: "phone", 4: "email", 22: "url"}

// addressBookLabel turns Apple's built-in label "_$!<Mobile>!$_" into "Mobile"; custom
// labels are kept as typed.
func addressBookLabel(s string) string {
	if inner, ok := strings.CutPrefix(s, "_$!<"); ok {
		if inner, ok := strings.CutSuffix(inner, ">!$_"); ok {
			return inner
		}
	}
	return s
}

// Run implements module.Module.
func (m *Contacts) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return m.read(ctx, db, f, emit) })
}

// lowerColumns returns table's column names in lower case: the address book spells them
// "First", "Last", and SQL names are case-insensitive anyway.
func lowerColumns(db *module.DB, table string, required ...string) (map[string]bool, error) {
	cols, err := db.Columns(table)
	if err != nil {
		return nil, fmt.Errorf("table %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("no %s table", table)
	}
	lower := make(map[string]bool, len(cols))
	for c := range cols {
		lower[strings.ToLower(c)] = true
	}
	for _, c := range required {
		if !lower[c] {
			return nil, fmt.Errorf("table %s has no %s column", table, c)
		}
	}
	return lower, nil
}

func contactsQuery(db *module.DB) (string, error) {
	person, err := lowerColumns(db, "ABPerson")
	if err != nil {
		return "", err
	}
	multi, err := lowerColumns(db, "ABMultiValue", "record_id", "value")
	if err != nil {
		return "", err
	}
	labels, err := db.HasTable("ABMultiValueLabel")
	if err != nil {
		return "", fmt.Errorf("table ABMultiValueLabel: %w", err)
	}
	sel := []string{"p.ROWID"}
	for _, c := range []string{"first", "middle", "last", "organization"} {
		sel = append(sel, columnOr(person, "p", c, "NULL"))
	}
	sel = append(sel, columnOr(multi, "v", "property", "NULL"), "v.value")
	from := " FROM ABPerson p JOIN ABMultiValue v ON v.record_id = p.ROWID"
	if labels && multi["label"] {
		sel = append(sel, "l.value")
		from += " LEFT JOIN ABMultiValueLabel l ON l.ROWID = v.label"
	} else {
		sel = append(sel, "NULL")
	}
	order := " ORDER BY p.ROWID, v.ROWID"
	return "SELECT " + strings.Join(sel, ", ") + from + " WHERE v.value IS NOT NULL" + order, nil
}

func (m *Contacts) read(ctx context.Context, db *module.DB, f acq.File, emit module.Emitter) error {
	q, err := contactsQuery(db)
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(q)
	if err != nil {
		return fmt.Errorf("query contacts: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		e := AddressBookEntry{
			PersonID:     stmt.ColumnInt64(0),
			First:        columnString(stmt, 1),
			Middle:       columnString(stmt, 2),
			Last:         columnString(stmt, 3),
			Organization: columnString(stmt, 4),
			Property:     stmt.ColumnInt64(5),
			Value:        columnString(stmt, 6),
			Label:        addressBookLabel(columnString(stmt, 7)),
		}
		e.Kind = addressBookKinds[e.Property]
		emit.Record(e)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read contacts: %w", err)
	}
	return nil
}
