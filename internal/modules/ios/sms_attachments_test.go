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
	attMessages = []fixture.SMSMessage{
		{Text: "photo", Handle: "+15550100", Date: fixture.Epoch.Add(-5 * time.Hour)},
		{Text: "", Handle: "attacker@example.org", Date: fixture.Epoch.Add(-4 * time.Hour)},
		{Text: "here", Handle: "+15550100", FromMe: true, Date: fixture.Epoch.Add(-3 * time.Hour)},
	}
	attAt = func(h int) time.Time { return fixture.Epoch.Add(-time.Duration(h) * time.Hour) }
	// The planted traces are attachments 2 (a /var/tmp …-1 file received from the attacker)
	// and 6 (a path an indicator names); the others are decoys.
	attFixture = []fixture.SMSAttachment{
		{Message: 1, Filename: "~/Library/SMS/Attachments/0a/10/A1B2/IMG_0001.HEIC", TransferName: "IMG_0001.HEIC",
			MIMEType: "image/heic", Bytes: 123456, Created: attAt(5), UserInfo: []byte("bplist00")},
		{Message: 2, Filename: "/var/tmp/com.apple.messages/8A1F0C31-1", TransferName: "8A1F0C31.gif", Bytes: 748, Created: attAt(4)},
		{Message: 3, Filename: "/var/tmp/outgoing-1", Outgoing: true, Created: attAt(3)},
		{Message: 1, Filename: "/var/tmp/received-12", Created: attAt(3)},
		{Message: 1, Filename: "/private/var/tmp/dir-1/file", Created: attAt(3)},
		{Message: 0, Filename: "~/Library/Caches/com.demo.implant/payload.pdf", Created: attAt(2), Sticker: true},
	}
)

func runSMSAttachments(t *testing.T, opts fixture.SMSOptions) moduletest.Result {
	t.Helper()
	b := fixture.NewBackup()
	if err := fixture.SMSWithAttachments(b, attMessages, attFixture, opts); err != nil {
		t.Fatal(err)
	}
	return moduletest.Run(t, NewSMSAttachments(), moduletest.OpenBackup(t, b))
}

func TestSMSAttachments(t *testing.T) {
	for name, opts := range map[string]fixture.SMSOptions{"current": {}, "iOS 10 and older": {OldSchema: true}} {
		t.Run(name, func(t *testing.T) {
			res := runSMSAttachments(t, opts)
			if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != len(attFixture) {
				t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
			}
			if len(res.Detections) != 1 {
				t.Fatalf("detections = %+v, want only the received /var/tmp …-1 attachment", res.Detections)
			}
			d := res.Detections[0]
			if d.Severity != module.Medium || d.Evidence != attFixture[1].Filename || !d.Time.Equal(attAt(4)) ||
				d.Reference == "" || d.Record.(SMSAttachment).Handle != "attacker@example.org" {
				t.Errorf("detection = %+v", d)
			}
			obs := res.Observables()
			for _, want := range []string{"/private/var/mobile/Library/SMS/Attachments/0a/10/A1B2/IMG_0001.HEIC",
				"/var/tmp/com.apple.messages/8A1F0C31-1", "/private/var/mobile/Library/Caches/com.demo.implant/payload.pdf"} {
				if !slices.Contains(obs, ioc.Observable{Type: ioc.FilePath, Value: want}) {
					t.Errorf("observables lack %s: %v", want, obs)
				}
			}
			first, orphan := res.Records[0].(SMSAttachment), res.Records[5].(SMSAttachment)
			if first.MessageID != 1 || first.Handle != "+15550100" || first.Service != "iMessage" ||
				!first.HasUserInfo || first.TotalBytes != 123456 || !first.Created.Equal(attAt(5)) {
				t.Errorf("attachment 1 = %+v", first)
			}
			if orphan.MessageID != 0 || orphan.Handle != "" || orphan.Sticker != !opts.OldSchema {
				t.Errorf("attachment without message = %+v", orphan)
			}
		})
	}
}

func TestSMSAttachmentsEvents(t *testing.T) {
	res := runSMSAttachments(t, fixture.SMSOptions{})
	ev := res.Events()
	if len(ev) != len(attFixture) || ev[0].Event != "sms_attachment" {
		t.Fatalf("events = %+v", ev)
	}
	want := `iMessage: attachment "IMG_0001.HEIC" received from +15550100, 123456 bytes (sticker: false, user info: true)`
	if ev[0].Description != want {
		t.Errorf("description = %q\nwant %q", ev[0].Description, want)
	}
	if want := `Unknown: attachment "~/Library/Caches/com.demo.implant/payload.pdf" received from unknown, 0 bytes (sticker: true, user info: false)`; ev[5].Description != want {
		t.Errorf("description = %q\nwant %q", ev[5].Description, want)
	}
}

func TestSMSAttachmentsFailures(t *testing.T) {
	checkSQLiteFailures(t, NewSMSAttachments(), fixture.SMSDomain, fixture.SMSPath)
	t.Run("sms.db without attachment table", func(t *testing.T) {
		b := fixture.NewBackup()
		if err := fixture.SMS(b, attMessages, fixture.SMSOptions{}); err != nil {
			t.Fatal(err)
		}
		if res := moduletest.Run(t, NewSMSAttachments(), moduletest.OpenBackup(t, b)); res.Err == nil {
			t.Fatal("no error for a database without attachments")
		}
	})
}
