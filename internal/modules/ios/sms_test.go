package ios

import (
	"encoding/hex"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

const appleAlert = "ALERT: State-sponsored attackers may be targeting your iPhone. Apple believes you are being targeted."

func TestSMSMessages(t *testing.T) {
	at := func(m int) time.Time { return fixture.Epoch.Add(time.Duration(m) * time.Minute) }
	msgs := []fixture.SMSMessage{
		{Text: "Your parcel: https://track.example.com/p?id=1.", Handle: "+15550100", Service: "SMS", Date: at(-60), DateRead: at(-59)},
		{Text: "Tap https://planted.example.net/x now", AttributedOnly: true, Handle: "attacker@example.org", Date: at(-50)},
		{Text: appleAlert, Date: at(-40)},
		{Text: "ALERT: Apple detected a targeted mercenary spyware attack against your iPhone.", AttributedOnly: true, Date: at(-30)},
		{Text: "Someone forwarded me this: " + appleAlert, Handle: "+15550100", Date: at(-20)},
		{Text: "see you", Handle: "+15550100", FromMe: true, Date: at(-10)},
	}
	b := fixture.NewBackup()
	if err := fixture.SMS(b, msgs, fixture.SMSOptions{}); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewSMS(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != len(msgs) {
		t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
	}
	rec := func(i int) SMSMessage { return res.Records[i].(SMSMessage) }
	tests := []struct {
		i          int
		links      []SMSLink
		textSource string
	}{
		{0, []SMSLink{{"https://track.example.com/p?id=1", FromText}}, FromText},
		{1, []SMSLink{{"https://planted.example.net/x", FromAttributedBody}}, FromAttributedBody},
		{2, nil, FromText},
		{3, nil, FromAttributedBody},
		{5, nil, FromText},
	}
	for _, tt := range tests {
		m := rec(tt.i)
		if !reflect.DeepEqual(m.Links, tt.links) || m.TextSource != tt.textSource || m.Text != msgs[tt.i].Text ||
			!m.Date.Equal(msgs[tt.i].Date) || m.Handle != msgs[tt.i].Handle || m.FromMe != msgs[tt.i].FromMe {
			t.Errorf("message %d = %+v", tt.i, m)
		}
	}
	if obs := res.Observables(); !slices.Contains(obs, ioc.Observable{Type: ioc.URL, Value: "https://planted.example.net/x"}) ||
		!slices.Contains(obs, ioc.Observable{Type: ioc.Email, Value: "attacker@example.org"}) || len(obs) != 3 {
		t.Errorf("observables = %+v", obs)
	}

	var alerted []int64
	for _, d := range res.Detections {
		if d.Severity != module.High || d.Reference == "" || !d.Time.Equal(d.Record.(SMSMessage).Date) {
			t.Errorf("detection = %+v", d)
		}
		alerted = append(alerted, d.Record.(SMSMessage).RowID)
	}
	if !slices.Equal(alerted, []int64{3, 4}) {
		t.Errorf("threat notifications found in rows %v, want 3 and 4 (row 5 only quotes one)", alerted)
	}

	ev := res.Events()
	if len(ev) != len(msgs)+1 || ev[0].Event != "sms_received" || ev[1].Event != "sms_read" || !ev[1].Time.Equal(at(-59)) {
		t.Errorf("events = %+v", ev)
	}
	if want := `SMS 5A1E0000-0000-4000-8000-000000000001 from +15550100: "Your parcel: https://track.example.com/p?id=1."`; ev[0].Description != want {
		t.Errorf("description = %q, want %q", ev[0].Description, want)
	}
}

func TestSMSOldSchema(t *testing.T) {
	date := time.Date(2015, 6, 1, 12, 0, 0, 0, time.UTC)
	b := fixture.NewBackup()
	err := fixture.SMS(b, []fixture.SMSMessage{
		{Text: "old link http://old.example.com/", Handle: "+15550101", Date: date, DateRead: date.Add(time.Hour), AttributedOnly: true},
	}, fixture.SMSOptions{OldSchema: true})
	if err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewSMS(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Records) != 1 {
		t.Fatalf("err = %v, records = %d", res.Err, len(res.Records))
	}
	m := res.Records[0].(SMSMessage)
	if !m.Date.Equal(date) || !m.DateRead.Equal(date.Add(time.Hour)) ||
		!reflect.DeepEqual(m.Links, []SMSLink{{"http://old.example.com/", FromText}}) {
		t.Errorf("message = %+v", m)
	}
}

// smsScript builds a minimal sms.db by hand, for attributedBody values the builder never makes.
func smsScript(text string, body []byte) string {
	textSQL := "NULL"
	if text != "" {
		textSQL = "'" + text + "'"
	}
	return `CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT, text TEXT,
		handle_id INTEGER DEFAULT 0, attributedBody BLOB, date INTEGER);
		CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT);
		INSERT INTO message (guid, text, attributedBody, date) VALUES ('g', ` + textSQL + `, X'` +
		hex.EncodeToString(body) + `', 700000000000000000);`
}

func TestSMSAttributedBodyEdges(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		body     []byte
		links    []SMSLink
		problems int
	}{
		{"link only in the archive", "click here", fixture.AttributedBody("click here https://hidden.example/a"),
			[]SMSLink{{"https://hidden.example/a", FromAttributedBody}}, 0},
		{"undecodable archive", "", []byte("\x04\x0bstreamtyped\xff\xff"), nil, 1},
		{"undecodable archive behind a text link", "see https://shown.example/", []byte("garbage"),
			[]SMSLink{{"https://shown.example/", FromText}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := b.SQLite(fixture.SMSDomain, fixture.SMSPath, smsScript(tt.text, tt.body)); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewSMS(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Records) != 1 || len(res.Problems) != tt.problems {
				t.Fatalf("err = %v, records = %d, problems = %v", res.Err, len(res.Records), res.Problems)
			}
			if m := res.Records[0].(SMSMessage); !reflect.DeepEqual(m.Links, tt.links) {
				t.Errorf("links = %+v, want %+v", m.Links, tt.links)
			}
		})
	}
}

func TestSMSFailures(t *testing.T) {
	t.Run("absent", func(t *testing.T) {
		res := moduletest.Run(t, NewSMS(), moduletest.OpenBackup(t, fixture.NewBackup()))
		if !errors.Is(res.Err, module.ErrNoData) {
			t.Fatalf("err = %v, want ErrNoData", res.Err)
		}
	})
	for name, data := range map[string][]byte{
		"random bytes":     []byte("\x8f\x1d\x00\x92 not sqlite at all"),
		"no message table": mustSQLite(t, `CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT);`),
	} {
		t.Run(name, func(t *testing.T) {
			b := fixture.NewBackup()
			b.File(fixture.SMSDomain, fixture.SMSPath, data)
			res := moduletest.Run(t, NewSMS(), moduletest.OpenBackup(t, b))
			if res.Err == nil || errors.Is(res.Err, module.ErrNoData) {
				t.Fatalf("err = %v", res.Err)
			}
		})
	}
}

func mustSQLite(t *testing.T, script string) []byte {
	t.Helper()
	data, err := fixture.BuildSQLite(script)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
