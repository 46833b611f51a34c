package ios

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

var (
	icAt = func(m int) time.Time { return fixture.Epoch.Add(time.Duration(m) * time.Minute) }
	// Contact 2 is the planted attacker account; 1 and 3 are phone numbers (decoys).
	icFixture = fixture.InteractionCData{
		Contacts: []fixture.InteractionContact{
			{DisplayName: "Ada", Identifier: "+15550100", IncomingSender: 3, FirstIncomingSender: icAt(-600), LastIncomingSender: icAt(-300)},
			{DisplayName: "Support", Identifier: "operator.demo@example.org", IncomingSender: 1, Created: icAt(-200), FirstIncomingSender: icAt(-200)},
			{DisplayName: "Me", Identifier: "+15550199"},
		},
		Interactions: []fixture.Interaction{
			{BundleID: "com.apple.MobileSMS", Account: "+15550199", Start: icAt(-300), End: icAt(-300), Created: icAt(-299),
				Sender: 1, Recipients: []int{3}, Attachments: []fixture.InteractionAttachment{{ContentText: "hello", UTI: "public.text", Size: 5}}},
			{BundleID: "com.apple.MobileSMS", Account: "+15550199", GroupName: "Support chat", Start: icAt(-200), End: icAt(-195),
				Created: icAt(-140), Sender: 2, Recipients: []int{3}, Attachments: []fixture.InteractionAttachment{
					{UTI: "com.compuserve.gif", Identifier: []byte{0xde, 0xad, 0xbe, 0xef}}, {ContentText: "open me"}}},
			{BundleID: "com.apple.facetime", Direction: 1, Start: icAt(-100), Created: icAt(-41), Sender: 3, Recipients: []int{1, 2}},
			{BundleID: "com.example.voip", Start: icAt(-50)},
		},
	}
)

func runInteractionC(t *testing.T, opts fixture.InteractionCOptions) moduletest.Result {
	t.Helper()
	b := fixture.NewBackup()
	if err := fixture.InteractionC(b, icFixture, opts); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewInteractionC(), moduletest.OpenBackup(t, b))
	if res.Err != nil || len(res.Problems) > 0 || len(res.Detections) > 0 {
		t.Fatalf("err = %v, problems = %v, detections = %v", res.Err, res.Problems, res.Detections)
	}
	return res
}

// icSummary is what a test compares of an interaction.
type icSummary struct {
	Sender      string
	Recipients  []string
	Attachments int
	GroupName   string
}

func summarize(res moduletest.Result) (inter []icSummary, contacts int) {
	for _, r := range res.Records {
		switch r := r.(type) {
		case Interaction:
			s := icSummary{Attachments: len(r.Attachments), GroupName: r.GroupName}
			if r.Sender != nil {
				s.Sender = r.Sender.Identifier
			}
			for _, p := range r.Recipients {
				s.Recipients = append(s.Recipients, p.Identifier)
			}
			inter = append(inter, s)
		case InteractionContact:
			contacts++
		}
	}
	return inter, contacts
}

func TestInteractionCSchemas(t *testing.T) {
	full := []icSummary{{"+15550100", []string{"+15550199"}, 1, ""},
		{"operator.demo@example.org", []string{"+15550199"}, 2, "Support chat"},
		{"+15550199", []string{"+15550100", "operator.demo@example.org"}, 0, ""}, {}}
	strip := func(recipients, attachments, group bool) []icSummary {
		out := slices.Clone(full)
		for i := range out {
			if recipients {
				out[i].Recipients = nil
			}
			if attachments {
				out[i].Attachments = 0
			}
			if group {
				out[i].GroupName = ""
			}
		}
		return out
	}
	planted := ioc.Observable{Type: ioc.Email, Value: "operator.demo@example.org"}
	tests := []struct {
		name        string
		opts        fixture.InteractionCOptions
		want        []icSummary
		observables int // all of them the planted account
	}{
		{"current", fixture.InteractionCOptions{}, full, 3},
		{"entities renumbered", fixture.InteractionCOptions{EntityShift: 1}, full, 3},
		{"old: no attachments, no group name", fixture.InteractionCOptions{Omit: []string{"ZATTACHMENT", "links:attachments",
			"ZINTERACTIONS.ZGROUPNAME", "ZINTERACTIONS.ZDERIVEDINTENTIDENTIFIER", "ZINTERACTIONS.ZTARGETBUNDLEID"}},
			strip(false, true, true), 3},
		{"no recipient links", fixture.InteractionCOptions{Omit: []string{"links:recipients"}}, strip(true, false, false), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runInteractionC(t, tt.opts)
			inter, contacts := summarize(res)
			if !reflect.DeepEqual(inter, tt.want) || contacts != 3 {
				t.Errorf("interactions = %+v (contacts %d)\nwant %+v", inter, contacts, tt.want)
			}
			obs := res.Observables()
			if len(obs) != tt.observables || slices.ContainsFunc(obs, func(o ioc.Observable) bool { return o != planted }) {
				t.Errorf("observables = %v, want %d times %v", obs, tt.observables, planted)
			}
		})
	}
}

func TestInteractionCNoContacts(t *testing.T) {
	res := runInteractionC(t, fixture.InteractionCOptions{Omit: []string{"ZCONTACTS"}})
	inter, contacts := summarize(res)
	if len(inter) != 4 || contacts != 0 || inter[1].Sender != "" || len(res.Observables()) != 0 {
		t.Errorf("interactions = %+v, contacts = %d, observables = %v", inter, contacts, res.Observables())
	}
}

func TestInteractionCEvents(t *testing.T) {
	res := runInteractionC(t, fixture.InteractionCOptions{})
	type ev struct {
		name string
		at   time.Time
	}
	var got []ev
	for _, e := range res.Events() {
		got = append(got, ev{e.Event, e.Time})
	}
	want := []ev{
		// Interaction 1: end equals start, and creation a minute later is normal.
		{"start_date", icAt(-300)},
		// Interaction 2: created an hour after it started (the threshold): the creation is an event.
		{"start_date", icAt(-200)}, {"end_date", icAt(-195)}, {"interactions_creation_date", icAt(-140)},
		// Interaction 3: created 59 minutes later, under the backfill threshold.
		{"start_date", icAt(-100)},
		{"start_date", icAt(-50)},
		// Contacts, once each.
		{"first_incoming_sender_date", icAt(-600)}, {"last_incoming_sender_date", icAt(-300)},
		{"contacts_creation_date", icAt(-200)}, {"first_incoming_sender_date", icAt(-200)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events = %v\nwant %v", got, want)
	}
	wantDesc := "[com.apple.MobileSMS] +15550199 - from Support (operator.demo@example.org) to Me (+15550199): open me"
	if d := res.Events()[1].Description; d != wantDesc {
		t.Errorf("description = %q\nwant %q", d, wantDesc)
	}
	if a := res.Records[1].(Interaction).Attachments[0]; a.Identifier != "DEADBEEF" || a.UTI != "com.compuserve.gif" {
		t.Errorf("attachment = %+v", a)
	}
}

func TestInteractionCFailures(t *testing.T) {
	checkSQLiteFailures(t, NewInteractionC(), fixture.InteractionCDomain, fixture.InteractionCPath)
}
