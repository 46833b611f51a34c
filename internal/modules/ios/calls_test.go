package ios

import (
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module/moduletest"
	"github.com/vigil-project/vigil/internal/timeline"
)

// callsFixture: a decoy phone call, and the planted FaceTime call from an attacker account.
var callsFixture = []fixture.Call{
	{Address: "+15550100", Date: fixture.Epoch.Add(-3 * time.Hour), Duration: 42, Outgoing: true, Answered: true, Location: "Springfield"},
	{Address: "operator.demo@example.org", Date: fixture.Epoch.Add(-2 * time.Hour), Duration: 0, CallType: 16, Provider: "com.apple.FaceTime"},
}

func TestCallsSchemas(t *testing.T) {
	planted := ioc.Observable{Type: ioc.Email, Value: "operator.demo@example.org"}
	tests := []struct {
		name      string
		opts      fixture.CallsOptions
		provider  string // of the first call
		direction string
	}{
		{"current, address blob", fixture.CallsOptions{}, "com.apple.Telephony", "outgoing"},
		{"address as text", fixture.CallsOptions{AddressAsText: true}, "com.apple.Telephony", "outgoing"},
		{"older layout", fixture.CallsOptions{Omit: []string{"ZCALLRECORD.ZSERVICE_PROVIDER",
			"ZCALLRECORD.ZLOCATION", "ZCALLRECORD.ZCALLTYPE", "ZCALLRECORD.ZORIGINATED", "ZCALLRECORD.ZANSWERED"}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.Calls(b, callsFixture, tt.opts); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewCalls(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 || len(res.Records) != 2 {
				t.Fatalf("err = %v, problems = %v, records = %d", res.Err, res.Problems, len(res.Records))
			}
			if obs := res.Observables(); !slices.Equal(obs, []ioc.Observable{planted}) {
				t.Errorf("observables = %v, want only the planted account", obs)
			}
			c := res.Records[0].(CallRecord)
			if c.Address != "+15550100" || c.Duration != 42 || !c.Date.Equal(callsFixture[0].Date) ||
				c.ServiceProvider != tt.provider || c.Direction != tt.direction || c.Database != fixture.CallsPath {
				t.Errorf("call = %+v", c)
			}
		})
	}
}

func TestCallsEvents(t *testing.T) {
	b := fixture.NewBackup()
	if err := fixture.Calls(b, callsFixture, fixture.CallsOptions{}); err != nil {
		t.Fatal(err)
	}
	res := moduletest.Run(t, NewCalls(), moduletest.OpenBackup(t, b))
	want := []timeline.Event{
		{Time: callsFixture[0].Date, Event: "call", Description: "Call with +15550100 (outgoing) using com.apple.Telephony, 42 seconds"},
		{Time: callsFixture[1].Date, Event: "call", Description: "Call with operator.demo@example.org (incoming, not answered) using com.apple.FaceTime, 0 seconds"},
	}
	if got := res.Events(); !slices.Equal(got, want) {
		t.Errorf("events = %+v\nwant %+v", got, want)
	}
	if ct := res.Records[1].(CallRecord).CallType; ct == nil || *ct != 16 {
		t.Errorf("call type = %v, want 16", ct)
	}
}

func TestCallsFailures(t *testing.T) {
	checkSQLiteFailures(t, NewCalls(), fixture.CallsDomain, fixture.CallsPath)
	t.Run("no address column", func(t *testing.T) {
		b := fixture.NewBackup()
		if err := fixture.Calls(b, callsFixture, fixture.CallsOptions{Omit: []string{"ZCALLRECORD.ZADDRESS"}}); err != nil {
			t.Fatal(err)
		}
		if res := moduletest.Run(t, NewCalls(), moduletest.OpenBackup(t, b)); res.Err == nil {
			t.Fatal("a call history without ZADDRESS read without error")
		}
	})
}
