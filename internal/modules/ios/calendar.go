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

// sweetQuaDream documents the calendar-invitation exploit of QuaDream's Reign spyware.
const sweetQuaDream = "Microsoft Threat Intelligence and Citizen Lab, Sweet QuaDream: A First Look at " +
	"Spyware Vendor QuaDream's Exploits, Victims, and Customers (April 2023); MVT (calendar module)"

// Calendar reads the calendar's events and their organizers.
type Calendar struct {
	about
	places places
}

var calendarPlaces = places{
	acq.IOSBackup:     {{"HomeDomain", "Library/Calendar/Calendar.sqlitedb"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Library/Calendar/Calendar.sqlitedb"}},
}

// NewCalendar returns the calendar module.
func NewCalendar() *Calendar {
	return &Calendar{about: about{
		name:      "ios/calendar",
		desc:      `Calendar events and their organizers; flags "Meeting"/"Notes" invitations (QuaDream)`,
		kinds:     backupAndFS,
		artifacts: calendarPlaces.artifacts(),
	}, places: calendarPlaces}
}

// CalendarEvent is one CalendarItem with the Participant that organized it.
type CalendarEvent struct {
	ID                      int64     `json:"id"`
	UUID                    string    `json:"uuid,omitempty"`
	Summary                 string    `json:"summary,omitempty"`
	Description             string    `json:"description,omitempty"`
	Start                   time.Time `json:"start_date,omitzero"`
	End                     time.Time `json:"end_date,omitzero"`
	AllDay                  bool      `json:"all_day"`
	Hidden                  bool      `json:"hidden"`
	CalendarID              int64     `json:"calendar_id,omitempty"`
	URL                     string    `json:"url,omitempty"`
	Action                  string    `json:"action,omitempty"`
	ExternalID              string    `json:"external_id,omitempty"`
	ExternalModTag          string    `json:"external_mod_tag,omitempty"`
	UniqueIdentifier        string    `json:"unique_identifier,omitempty"`
	CreatedByID             int64     `json:"created_by_id,omitempty"`
	Created                 time.Time `json:"creation_date,omitzero"`
	LastModified            time.Time `json:"last_modified,omitzero"`
	OrganizerID             int64     `json:"organizer_id,omitempty"`
	ParticipantUUID         string    `json:"participant_uuid,omitempty"`
	ParticipantEmail        string    `json:"participant_email,omitempty"`
	ParticipantPhone        string    `json:"participant_phone,omitempty"`
	ParticipantComment      string    `json:"participant_comment,omitempty"`
	ParticipantLastModified time.Time `json:"participant_last_modified,omitzero"`
}

// Events implements module.Record with MVT's event names.
func (e CalendarEvent) Events() []timeline.Event {
	by := e.ParticipantEmail
	if by == "" {
		by = "unknown"
	}
	desc := fmt.Sprintf("Calendar event %s (%s) (invitation by %s)", strconv.Quote(e.Summary), strconv.Quote(e.Description), by)
	var out []timeline.Event
	for _, t := range []struct {
		name string
		at   time.Time
	}{{"start_date", e.Start}, {"end_date", e.End}, {"last_modified", e.LastModified},
		{"creation_date", e.Created}, {"participant_last_modified", e.ParticipantLastModified}} {
		if !t.at.IsZero() {
			out = append(out, timeline.Event{Time: t.at, Event: t.name, Description: desc})
		}
	}
	return out
}

// Observables implements module.Record: the organizer's address, for e-mail indicators.
func (e CalendarEvent) Observables() []ioc.Observable {
	if email := emailOf(e.ParticipantEmail); email != "" {
		return []ioc.Observable{{Type: ioc.Email, Value: email}}
	}
	return nil
}

// Run implements module.Module.
func (m *Calendar) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return m.read(ctx, db, f, emit) })
}

// calendarItemColumns and calendarParticipantColumns are read by name, NULL where the
// database lacks them; their order is the order read() scans them in.
var (
	calendarItemColumns = []string{"UUID", "summary", "description", "start_date", "end_date", "all_day",
		"hidden", "calendar_id", "url", "action", "external_id", "external_mod_tag", "unique_identifier",
		"created_by_id", "creation_date", "last_modified", "organizer_id"}
	calendarParticipantColumns = []string{"UUID", "email", "phone_number", "comment", "last_modified"}
)

func calendarQuery(db *module.DB) (string, error) {
	item, err := requireColumns(db, "CalendarItem")
	if err != nil {
		return "", err
	}
	person, err := db.Columns("Participant")
	if err != nil {
		return "", fmt.Errorf("table Participant: %w", err)
	}
	sel := []string{"c.ROWID"}
	for _, col := range calendarItemColumns {
		sel = append(sel, columnOr(item, "c", col, "NULL"))
	}
	join := ""
	if item["organizer_id"] && len(person) > 0 {
		join = " LEFT JOIN Participant p ON p.ROWID = c.organizer_id"
	} else {
		person = nil // no join: every participant column reads as NULL
	}
	for _, col := range calendarParticipantColumns {
		sel = append(sel, columnOr(person, "p", col, "NULL"))
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM CalendarItem c" + join + " ORDER BY c.ROWID", nil
}

func (m *Calendar) read(ctx context.Context, db *module.DB, f acq.File, emit module.Emitter) error {
	q, err := calendarQuery(db)
	if err != nil {
		return err
	}
	stmt, _, err := db.Prepare(q)
	if err != nil {
		return fmt.Errorf("query calendar items: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		e := CalendarEvent{
			ID: stmt.ColumnInt64(0), UUID: columnString(stmt, 1), Summary: columnString(stmt, 2),
			Description: columnString(stmt, 3), Start: columnMacTime(stmt, 4), End: columnMacTime(stmt, 5),
			AllDay: stmt.ColumnInt64(6) != 0, Hidden: stmt.ColumnInt64(7) != 0, CalendarID: stmt.ColumnInt64(8),
			URL: columnString(stmt, 9), Action: columnString(stmt, 10), ExternalID: columnString(stmt, 11),
			ExternalModTag: columnString(stmt, 12), UniqueIdentifier: columnString(stmt, 13),
			CreatedByID: stmt.ColumnInt64(14), Created: columnMacTime(stmt, 15),
			LastModified: columnMacTime(stmt, 16), OrganizerID: stmt.ColumnInt64(17),
			ParticipantUUID: columnString(stmt, 18), ParticipantEmail: columnString(stmt, 19),
			ParticipantPhone: columnString(stmt, 20), ParticipantComment: columnString(stmt, 21),
			ParticipantLastModified: columnMacTime(stmt, 22),
		}
		emit.Record(e)
		if e.Summary == "Meeting" && e.Description == "Notes" {
			emit.Detection(quaDreamInvitation(e))
		}
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read calendar items: %w", err)
	}
	return nil
}

// quaDreamInvitation reports an event shaped like the calendar invitations that delivered
// QuaDream's ENDOFDAYS zero-click exploit: title "Meeting", notes "Notes", typically
// invisible and dated in the past.
func quaDreamInvitation(e CalendarEvent) module.Detection {
	at := e.Created
	if at.IsZero() {
		at = e.Start
	}
	return module.Detection{
		Severity: module.High,
		Message: `A calendar event titled "Meeting" with the notes "Notes" was found: the shape of the ` +
			"invitations QuaDream's Reign spyware used to break into iPhones (event " + e.UUID + ")",
		Time:      at,
		Evidence:  e.UUID,
		Reference: sweetQuaDream,
		Record:    e,
	}
}
