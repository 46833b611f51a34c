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
	waAt = func(h int) time.Time { return fixture.Epoch.Add(time.Duration(h) * time.Hour) }
	// Message 3, from an unknown @lid sender, carries the planted link only in its preview;
	// WhatsApp's own media URLs (messages 2 and 5) are the decoys that must not come out.
	waFixture = fixture.WhatsAppData{
		Chats: []fixture.WhatsAppChat{
			{ContactJID: "15550100@s.whatsapp.net", PartnerName: "Ada", LastMessage: waAt(-1)},
			{ContactJID: "120363000000000001@g.us", PartnerName: "Family", SessionType: 1, GroupCreated: waAt(-720)},
			{ContactJID: "987654321@lid", Archived: true},
		},
		Messages: []fixture.WhatsAppMessage{
			{Chat: 1, FromJID: "15550100@s.whatsapp.net", Text: "recipe: https://example.com/recipe", Date: waAt(-50)},
			{Chat: 1, FromMe: true, ToJID: "15550100@s.whatsapp.net", Type: 1, Date: waAt(-49),
				MediaURL: "https://mmg.whatsapp.net/v/t62.7118-24/photo.enc", AuthorName: "Me"},
			{Chat: 3, FromJID: "987654321@lid", Type: 7, Date: waAt(-10), Data: []fixture.WhatsAppDataItem{{
				MatchedText: "https://track-demo.example.net/p?x=1", Content1: "https://track-demo.example.net/p?x=1",
				Title: "Your parcel", Summary: "Track it"}}},
			{Chat: 2, FromJID: "15550100@s.whatsapp.net", Text: "join https://chat.whatsapp.com/AbCdEf", Date: waAt(-5),
				Data: []fixture.WhatsAppDataItem{{Content2: "see https://cdn.example.org/preview.jpg"}}},
			{Chat: 2, FromJID: "15550101@s.whatsapp.net", Type: 2, Date: waAt(-4), MediaURL: "https://mmg-fna.whatsapp.net/d/f/voice.enc"},
		},
		LIDPairs: []fixture.WhatsAppLIDPair{{LID: "987654321", Phone: "15550177@s.whatsapp.net", Time: waAt(-100)}},
	}
)

// waRecords splits a run's records by type.
func waRecords(res moduletest.Result) (msgs []WhatsAppMessage, chats []WhatsAppChat, lids []WhatsAppLIDPair) {
	for _, r := range res.Records {
		switch r := r.(type) {
		case WhatsAppMessage:
			msgs = append(msgs, r)
		case WhatsAppChat:
			chats = append(chats, r)
		case WhatsAppLIDPair:
			lids = append(lids, r)
		}
	}
	return msgs, chats, lids
}

func runWhatsApp(t *testing.T, build func(*fixture.Backup) error) moduletest.Result {
	t.Helper()
	b := fixture.NewBackup()
	if err := build(b); err != nil {
		t.Fatal(err)
	}
	return moduletest.Run(t, NewWhatsApp(), moduletest.OpenBackup(t, b))
}

func TestWhatsAppMessages(t *testing.T) {
	all := [][]string{{"https://example.com/recipe"}, nil, {"https://track-demo.example.net/p?x=1"},
		{"https://chat.whatsapp.com/AbCdEf", "https://cdn.example.org/preview.jpg"}, nil}
	noContent2 := slices.Clone(all)
	noContent2[3] = all[3][:1]
	tests := []struct {
		name string
		opts fixture.WhatsAppOptions
		want [][]string // links per message
	}{
		{"current, LID.sqlite", fixture.WhatsAppOptions{}, all},
		{"LID pairs in ChatStorage", fixture.WhatsAppOptions{LIDInChatStorage: true}, all},
		{"no ZCONTENT2, media found through ZWAMESSAGE.ZMEDIAITEM", fixture.WhatsAppOptions{
			Omit: []string{"ZWAMESSAGEDATAITEM.ZCONTENT2", "ZWAMEDIAITEM.ZMESSAGE"}}, noContent2},
		{"no data items, no media table", fixture.WhatsAppOptions{Omit: []string{"ZWAMESSAGEDATAITEM", "ZWAMEDIAITEM"}},
			[][]string{all[0], nil, nil, all[3][:1], nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runWhatsApp(t, func(b *fixture.Backup) error { return fixture.WhatsApp(b, waFixture, tt.opts) })
			if res.Err != nil || len(res.Problems) > 0 || len(res.Detections) > 0 {
				t.Fatalf("err = %v, problems = %v, detections = %v", res.Err, res.Problems, res.Detections)
			}
			msgs, chats, lids := waRecords(res)
			if len(msgs) != 5 || len(chats) != 3 || len(lids) != 1 {
				t.Fatalf("records: %d messages, %d chats, %d LID pairs", len(msgs), len(chats), len(lids))
			}
			var got [][]string
			var observed []string
			for _, m := range msgs {
				got = append(got, m.Links)
				for _, o := range m.Observables() {
					observed = append(observed, o.Value)
				}
			}
			if !reflect.DeepEqual(got, tt.want) || !slices.Equal(observed, slices.Concat(tt.want...)) {
				t.Errorf("links = %q\nwant %q (observed %q)", got, tt.want, observed)
			}
			if m := msgs[2]; m.FromPhone != "+15550177" || m.Date != waAt(-10) || m.MessageType != 7 || m.ChatSession != 3 {
				t.Errorf("message 3 = %+v", m)
			}
		})
	}
}

func TestWhatsAppEvents(t *testing.T) {
	res := runWhatsApp(t, func(b *fixture.Backup) error { return fixture.WhatsApp(b, waFixture, fixture.WhatsAppOptions{}) })
	msgs, chats, _ := waRecords(res)
	if m := msgs[2]; m.PreviewTitle != "Your parcel" || m.Database != fixture.WhatsAppDomain+"/ChatStorage.sqlite" {
		t.Errorf("message 3 = %+v", m)
	}
	got := map[string][]time.Time{}
	descs := map[string]string{}
	for _, e := range res.Events() {
		got[e.Event] = append(got[e.Event], e.Time)
		descs[e.Event] = e.Description
	}
	want := map[string][]time.Time{
		"lid_pair_recorded":  {waAt(-100)},
		"message":            {waAt(-50), waAt(-49), waAt(-10), waAt(-5), waAt(-4)},
		"chat_first_message": {waAt(-50), waAt(-5), waAt(-10)},
		// Chat 1's own last-message date outlives its newest stored message.
		"chat_last_message": {waAt(-1), waAt(-4), waAt(-10)},
		"group_created":     {waAt(-720)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events = %v\nwant %v", got, want)
	}
	if d := descs["chat_last_message"]; d != "Last message in WhatsApp chat with +15550177" {
		t.Errorf("last chat description = %q", d)
	}
	if d := descs["group_created"]; d != "WhatsApp group chat 'Family' (120363000000000001@g.us) was created" {
		t.Errorf("group description = %q", d)
	}
	if c := chats[0]; c.StoredMessages != 2 || c.PartnerName != "Ada" || !c.LastStoredMessage.Equal(waAt(-49)) {
		t.Errorf("chat 1 = %+v", c)
	}
}

// TestWhatsAppBothApps: WhatsApp and WhatsApp Business each have a ChatStorage.sqlite, and
// the planted link sits in the Business one, which MVT (first database only) would miss.
func TestWhatsAppBothApps(t *testing.T) {
	business := fixture.WhatsAppData{
		Chats:    []fixture.WhatsAppChat{{ContactJID: "15550188@s.whatsapp.net"}},
		Messages: []fixture.WhatsAppMessage{{Chat: 1, FromJID: "15550188@s.whatsapp.net", Text: "invoice https://spy-demo.example/inv", Date: waAt(-2)}},
	}
	res := runWhatsApp(t, func(b *fixture.Backup) error {
		if err := fixture.WhatsApp(b, waFixture, fixture.WhatsAppOptions{}); err != nil {
			return err
		}
		return fixture.WhatsApp(b, business, fixture.WhatsAppOptions{Domain: fixture.WhatsAppBusinessDomain})
	})
	if res.Err != nil || len(res.Problems) > 0 {
		t.Fatalf("err = %v, problems = %v", res.Err, res.Problems)
	}
	msgs, chats, lids := waRecords(res)
	if len(msgs) != 6 || len(chats) != 4 || len(lids) != 1 {
		t.Fatalf("records: %d messages, %d chats, %d LID pairs", len(msgs), len(chats), len(lids))
	}
	last := msgs[5]
	if !slices.Equal(last.Links, []string{"https://spy-demo.example/inv"}) ||
		last.Database != fixture.WhatsAppBusinessDomain+"/ChatStorage.sqlite" {
		t.Errorf("business message = %+v", last)
	}
}

func TestWhatsAppDamage(t *testing.T) {
	t.Run("LID.sqlite unreadable: problem, pairs from ChatStorage", func(t *testing.T) {
		res := runWhatsApp(t, func(b *fixture.Backup) error {
			b.File(fixture.WhatsAppDomain, fixture.WhatsAppLIDPath, []byte("not a database"))
			return fixture.WhatsApp(b, waFixture, fixture.WhatsAppOptions{LIDInChatStorage: true})
		})
		msgs, _, lids := waRecords(res)
		if res.Err != nil || len(res.Problems) != 1 || len(lids) != 1 || msgs[2].FromPhone != "+15550177" {
			t.Errorf("err = %v, problems = %v, LID pairs = %v", res.Err, res.Problems, lids)
		}
	})
	t.Run("no chat session table: messages, and a problem", func(t *testing.T) {
		res := runWhatsApp(t, func(b *fixture.Backup) error {
			return fixture.WhatsApp(b, waFixture, fixture.WhatsAppOptions{Omit: []string{"ZWACHATSESSION"}})
		})
		msgs, chats, _ := waRecords(res)
		if res.Err != nil || len(res.Problems) != 1 || len(msgs) != 5 || len(chats) != 0 {
			t.Errorf("err = %v, problems = %v, %d messages, %d chats", res.Err, res.Problems, len(msgs), len(chats))
		}
	})
	t.Run("odd values", func(t *testing.T) {
		res := runWhatsApp(t, func(b *fixture.Backup) error {
			return b.SQLite(fixture.WhatsAppDomain, fixture.WhatsAppChatPath, `
				CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZTEXT VARCHAR, ZMESSAGEDATE TIMESTAMP);
				INSERT INTO ZWAMESSAGE VALUES (1, CAST('blob https://blob.example/x' AS BLOB), 'yesterday');
				INSERT INTO ZWAMESSAGE VALUES (2, X'68747470733a2f2f6261642e6578616d706c652fff', -5);`)
		})
		msgs, _, _ := waRecords(res)
		if res.Err != nil || len(msgs) != 2 || !slices.Equal(msgs[0].Links, []string{"https://blob.example/x"}) ||
			!msgs[0].Date.IsZero() || !slices.Equal(msgs[1].Links, []string{"https://bad.example/\uFFFD"}) {
			t.Errorf("err = %v, messages = %+v", res.Err, msgs)
		}
	})
}

func TestWhatsAppFailures(t *testing.T) {
	checkSQLiteFailures(t, NewWhatsApp(), fixture.WhatsAppDomain, fixture.WhatsAppChatPath)
}

const largeWhatsApp = 50_000

// largeWhatsAppMessage: a fifth carry a link, half of those in a link preview; a tenth are
// photos with a WhatsApp media URL.
func largeWhatsAppMessage(i int) fixture.WhatsAppMessage {
	m := fixture.WhatsAppMessage{Chat: 1 + i%20, FromJID: "15550100@s.whatsapp.net", Text: "see you at eight",
		Date: fixture.Epoch.Add(-time.Duration(largeWhatsApp-i) * time.Minute)}
	switch i % 10 {
	case 0:
		m.Text = "https://link" + string(rune('a'+i%26)) + ".example.org/x"
	case 1:
		m.Type, m.Text = 7, ""
		m.Data = []fixture.WhatsAppDataItem{{MatchedText: "https://preview.example.org/p", Title: "Preview"}}
	case 2:
		m.Type, m.Text, m.MediaURL = 1, "", "https://mmg.whatsapp.net/v/t62/photo.enc"
	}
	return m
}

func BenchmarkWhatsApp50k(b *testing.B) {
	chats := make([]fixture.WhatsAppChat, 20)
	for i := range chats {
		chats[i] = fixture.WhatsAppChat{ContactJID: "15550100@s.whatsapp.net"}
	}
	build := func(bk *fixture.Backup) error {
		return fixture.WhatsAppFunc(bk, chats, largeWhatsApp, largeWhatsAppMessage, fixture.WhatsAppOptions{})
	}
	benchRecords(b, NewWhatsApp(), build, largeWhatsApp+len(chats), 0)
}
