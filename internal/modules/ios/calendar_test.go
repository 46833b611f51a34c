package ios

import (
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

var (
	calAt = func(d int) time.Time { return fixture.Epoch.AddDate(0, 0, d) }
	// Event 2 is the planted QuaDream-style invitation; 1 and 3 are decoys (a real meeting
	// with other notes, and an event without organizer).
	calFixture = []fixture.CalendarEvent{
		{Summary: "Meeting", Description: "Agenda: budget", Start: calAt(1), End: calAt(1).Add(time.Hour),
			Created: calAt(-2), Modified: calAt(-2), Organizer: &fixture.CalendarParticipant{Email: "mailto:boss@example.com"}},
		{Summary: "Meeting", Description: "Notes", Start: calAt(-400), End: calAt(-400).Add(time.Hour), Created: calAt(-3),
			Hidden: true, Organizer: &fixture.CalendarParticipant{Email: "operator.demo@example.org", Phone: "+15550199", Modified: calAt(-3)}},
		{Summary: "Dentist", Start: calAt(5), AllDay: true},
	}
)

func TestCalendar(t *testing.T) {
	tests := []struct {
		name      string
		omit      []string
		organizer bool // whether organizer e-mails can be read
	}{
		{"current", nil, true},
		{"older: no action, no phone_number", []string{"CalendarItem.action", "Participant.phone_number"}, true},
		{"no Participant table", []string{"Participant"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.Calendar(b, calFixture, fixture.CalendarOptions{Omit: tt.omit}); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewCalendar(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 3 {
				t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
			}
			if len(res.Detections) != 1 {
				t.Fatalf("detections = %+v, want the planted invitation only", res.Detections)
			}
			d := res.Detections[0]
			if d.Severity != module.High || d.Reference == "" || !d.Time.Equal(calAt(-3)) ||
				d.Record.(CalendarEvent).ID != 2 || d.Evidence != "CA1E0000-0000-4000-8000-000000000002" {
				t.Errorf("detection = %+v", d)
			}
			var want []ioc.Observable
			if tt.organizer {
				want = []ioc.Observable{{Type: ioc.Email, Value: "boss@example.com"}, {Type: ioc.Email, Value: "operator.demo@example.org"}}
			}
			if got := res.Observables(); !slices.Equal(got, want) {
				t.Errorf("observables = %v, want %v", got, want)
			}
			ev := res.Records[1].(CalendarEvent)
			if !ev.Hidden || !ev.Start.Equal(calAt(-400)) || tt.organizer && ev.OrganizerID != 102 {
				t.Errorf("event 2 = %+v", ev)
			}
		})
	}
}

func TestCalendarEvents(t *testing.T) {
	b := fixture.NewBackup()
	if err := fixture.Calendar(b, calFixture[1:2], fixture.CalendarOptions{}); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewCalendar(), moduletest.OpenBackup(t, b))
	var names []string
	for _, e := range res.Events() {
		names = append(names, e.Event)
		if e.Description != `Calendar event "Meeting" ("Notes") (invitation by operator.demo@example.org)` {
			t.Errorf("description = %q", e.Description)
		}
	}
	if want := []string{"start_date", "end_date", "creation_date", "participant_last_modified"}; !slices.Equal(names, want) {
		t.Errorf("events = %v, want %v", names, want)
	}
}

// TestCalendarOddValues: dates stored as text and a summary stored as a blob are read, not
// dropped (MVT passes such strings through).
func TestCalendarOddValues(t *testing.T) {
	b := fixture.NewBackup()
	err := b.SQLite(fixture.CalendarDomain, fixture.CalendarPath, `
		CREATE TABLE CalendarItem (ROWID INTEGER PRIMARY KEY, summary TEXT, description TEXT, start_date TEXT);
		INSERT INTO CalendarItem VALUES (1, CAST('Meeting' AS BLOB), 'Notes', '700000000.5');`)
	if err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewCalendar(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Records) != 1 || len(res.Detections) != 1 {
		t.Fatalf("err = %v, records = %d, detections = %d", res.Err, len(res.Records), len(res.Detections))
	}
	if e := res.Records[0].(CalendarEvent); !e.Start.Equal(time.Date(2023, 3, 8, 20, 26, 40, 5e8, time.UTC)) {
		t.Errorf("start = %v", e.Start)
	}
}

func TestCalendarFailures(t *testing.T) {
	checkSQLiteFailures(t, NewCalendar(), fixture.CalendarDomain, fixture.CalendarPath)
}
