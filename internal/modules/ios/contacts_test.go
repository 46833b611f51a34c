package ios

import (
	"reflect"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
	"github.com/vigil-project/vigil/internal/module/moduletest"
)

var contactsFixture = []fixture.Contact{
	{First: "Ada", Middle: "B.", Last: "Lovelace", Organization: "Analytical Engines", Values: []fixture.ContactValue{
		{Property: fixture.ContactPhone, Label: "_$!<Mobile>!$_", Value: "+15550100"},
		{Property: 5, Label: "_$!<Home>!$_"}, // a postal address: its value is NULL, its parts elsewhere
		{Property: fixture.ContactEmail, Label: "Burner", Value: "operator.demo@example.org"},
	}},
	{Organization: "No Values Inc."},
	{First: "Grace", Values: []fixture.ContactValue{{Property: fixture.ContactURL, Value: "https://example.com/grace"}}},
}

func TestContacts(t *testing.T) {
	full := []AddressBookEntry{
		{PersonID: 1, First: "Ada", Middle: "B.", Last: "Lovelace", Organization: "Analytical Engines", Property: 3, Kind: "phone", Label: "Mobile", Value: "+15550100"},
		{PersonID: 1, First: "Ada", Middle: "B.", Last: "Lovelace", Organization: "Analytical Engines", Property: 4, Kind: "email", Label: "Burner", Value: "operator.demo@example.org"},
		{PersonID: 3, First: "Grace", Property: 22, Kind: "url", Value: "https://example.com/grace"},
	}
	noLabels := func() []AddressBookEntry {
		out := slices.Clone(full)
		for i := range out {
			out[i].Label, out[i].Middle = "", ""
		}
		return out
	}()
	tests := []struct {
		name string
		omit []string
		want []AddressBookEntry
	}{
		{"current", nil, full},
		{"no label table, no middle name", []string{"ABMultiValueLabel", "ABPerson.Middle"}, noLabels},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture.NewBackup()
			if err := fixture.Contacts(b, contactsFixture, fixture.ContactsOptions{Omit: tt.omit}); err != nil {
				t.Fatal(err)
			}
			res := moduletest.Run(t, NewContacts(), moduletest.OpenBackup(t, b))
			if res.Err != nil || len(res.Problems) > 0 {
				t.Fatalf("err = %v, problems = %v", res.Err, res.Problems)
			}
			var got []AddressBookEntry
			for _, r := range res.Records {
				got = append(got, r.(AddressBookEntry))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("entries = %+v\nwant %+v", got, tt.want)
			}
			// The address book is context: even an indicator's e-mail address is not checked
			// here (other modules see it where it was used), and nothing goes on the timeline.
			if len(res.Observables()) > 0 || len(res.Events()) > 0 || len(res.Detections) > 0 {
				t.Errorf("observables %v, events %v, detections %v", res.Observables(), res.Events(), res.Detections)
			}
		})
	}
}

func TestContactsFailures(t *testing.T) {
	checkSQLiteFailures(t, NewContacts(), fixture.ContactsDomain, fixture.ContactsPath)
}
