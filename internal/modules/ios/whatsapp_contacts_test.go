package ios

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

var (
	wcAt      = func(d int) time.Time { return fixture.Epoch.AddDate(0, 0, d) }
	wcFixture = []fixture.WhatsAppContact{
		{WhatsAppID: "15550100@s.whatsapp.net", LID: "111222333@lid", Phone: "+1 555 0100", FullName: "Ada",
			Disappearing: 604800, DisappearingSet: wcAt(-5), AboutText: "Hey there", AboutChanged: wcAt(-30), LastUpdated: wcAt(-1)},
		{WhatsAppID: "15550111@s.whatsapp.net", BusinessName: "Café Ünïcode", AboutEmoji: "🌴", AboutExpires: wcAt(1), PhoneStatus: 2},
		{Phone: "+1 555 0122", Disappearing: 12345, SyncPolicy: 1},
	}
)

func runWhatsAppContacts(t *testing.T, opts fixture.WhatsAppContactsOptions) []WhatsAppContact {
	t.Helper()
	b := fixture.NewBackup()
	if err := fixture.WhatsAppContacts(b, wcFixture, opts); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewWhatsAppContacts(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Detections) > 0 || len(res.Observables()) > 0 {
		t.Fatalf("err = %v, problems = %v, detections = %v, observables = %v", res.Err, res.Problems, res.Detections, res.Observables())
	}
	var out []WhatsAppContact
	for _, r := range res.Records {
		out = append(out, r.(WhatsAppContact))
	}
	return out
}

func TestWhatsAppContactsSchemas(t *testing.T) {
	base := runWhatsAppContacts(t, fixture.WhatsAppContactsOptions{})
	if len(base) != 3 {
		t.Fatalf("contacts = %d, want 3", len(base))
	}
	if c := base[0]; c.LID != "111222333@lid" || *c.DisappearingDuration != 604800 || !*c.DisappearingOn ||
		c.DisappearingLabel != "7 days" || !c.DisappearingSet.Equal(wcAt(-5)) || c.Database != fixture.WhatsAppDomain+"/ContactsV2.sqlite" {
		t.Errorf("contact 1 = %+v", c)
	}
	if c := base[1]; *c.DisappearingOn || c.DisappearingLabel != "off" || c.BusinessName != "Café Ünïcode" || *c.PhoneStatus != 2 {
		t.Errorf("contact 2 = %+v", c)
	}
	if c := base[2]; c.DisappearingLabel != "12345 seconds" || *c.SyncPolicy != 1 {
		t.Errorf("contact 3 = %+v", c)
	}

	t.Run("strings as blobs, ZPHONENUMBERSTATUS", func(t *testing.T) {
		got := runWhatsAppContacts(t, fixture.WhatsAppContactsOptions{StringsAsBlobs: true, PhoneNumberStatus: true})
		if !reflect.DeepEqual(got, base) {
			t.Errorf("contacts = %+v\nwant %+v", got, base)
		}
	})
	t.Run("older version: fewer columns", func(t *testing.T) {
		got := runWhatsAppContacts(t, fixture.WhatsAppContactsOptions{Omit: []string{"ZWAADDRESSBOOKCONTACT.ZLID",
			"ZWAADDRESSBOOKCONTACT.ZDISAPPEARINGMODEDURATION", "ZWAADDRESSBOOKCONTACT.ZABOUTEXPIRATIONTIMESTAMP",
			"ZWAADDRESSBOOKCONTACT.ZPHONESTATUS"}})
		want := slices.Clone(base)
		for i := range want {
			want[i].LID, want[i].AboutExpires, want[i].PhoneStatus = "", time.Time{}, nil
			want[i].DisappearingDuration, want[i].DisappearingOn, want[i].DisappearingLabel = nil, nil, ""
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("contacts = %+v\nwant %+v", got, want)
		}
		if ev := got[0].Events(); ev[0].Description != "WhatsApp disappearing messages timer set to 'unknown' for 15550100@s.whatsapp.net (Ada)" {
			t.Errorf("event = %+v", ev[0])
		}
	})
}

func TestWhatsAppContactsEvents(t *testing.T) {
	got := runWhatsAppContacts(t, fixture.WhatsAppContactsOptions{Domain: fixture.WhatsAppBusinessDomain})
	var names []string
	for _, c := range got {
		for _, e := range c.Events() {
			names = append(names, e.Event+"@"+e.Time.Format(time.DateOnly))
		}
	}
	want := []string{"disappearing_mode_set@2026-03-09", "about_changed@2026-02-12", "contact_last_updated@2026-03-13",
		"about_expiration@2026-03-15"}
	if !slices.Equal(names, want) {
		t.Errorf("events = %v\nwant %v", names, want)
	}
	if d := got[0].Events()[0].Description; d != "WhatsApp disappearing messages timer set to '7 days' for 15550100@s.whatsapp.net (Ada)" {
		t.Errorf("description = %q", d)
	}
}

func TestWhatsAppContactsFailures(t *testing.T) {
	checkSQLiteFailures(t, NewWhatsAppContacts(), fixture.WhatsAppDomain, fixture.WhatsAppContactsPath)
}
