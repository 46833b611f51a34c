package ios

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

// InteractionC reads CoreDuet's record of who the phone's owner interacted with, through
// which app, and when (interactionC.db). It outlives the apps' own histories.
type InteractionC struct {
	about
	places places
}

var interactionCPlaces = places{
	acq.IOSBackup:     {{"HomeDomain", "Library/CoreDuet/People/interactionC.db"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Library/CoreDuet/People/interactionC.db"}},
}

// NewInteractionC returns the interactionc module.
func NewInteractionC() *InteractionC {
	return &InteractionC{about: about{
		name:      "ios/interactionc",
		desc:      "People interactions recorded by CoreDuet (interactionC.db): app, sender, recipients, dates",
		kinds:     backupAndFS,
		artifacts: interactionCPlaces.artifacts(),
	}, places: interactionCPlaces}
}

// Record types of the interactionc module.
const (
	InteractionRecordType        = "interaction"
	InteractionContactRecordType = "contact"
)

// InteractionParty is a sender or recipient of an interaction (a ZCONTACTS row).
type InteractionParty struct {
	ContactID   int64  `json:"contact_id"`
	DisplayName string `json:"display_name,omitempty"`
	Identifier  string `json:"identifier,omitempty"` // phone number, e-mail address, app-specific id
	PersonID    string `json:"person_id,omitempty"`
	CustomID    string `json:"custom_id,omitempty"`
}

// String names the party as "display name (identifier)".
func (p InteractionParty) String() string {
	return fmt.Sprintf("%s (%s)", p.DisplayName, p.Identifier)
}

// InteractionAttachment is content attached to an interaction.
type InteractionAttachment struct {
	ContentText  string `json:"content_text,omitempty"`
	UTI          string `json:"uti,omitempty"`
	ContentURL   string `json:"content_url,omitempty"`
	Size         int64  `json:"size,omitempty"`
	Identifier   string `json:"identifier,omitempty"` // hex
	CloudID      string `json:"cloud_id,omitempty"`
	PhotoLocalID string `json:"photo_local_id,omitempty"`
}

// Interaction is one ZINTERACTIONS row with its sender, recipients and attachments.
type Interaction struct {
	RecordType       string                  `json:"record_type"`
	ID               int64                   `json:"id"`
	BundleID         string                  `json:"bundle_id,omitempty"`
	Account          string                  `json:"account,omitempty"`
	TargetBundleID   string                  `json:"target_bundle_id,omitempty"`
	Direction        string                  `json:"direction,omitempty"` // incoming, outgoing, or the stored number
	Mechanism        *int64                  `json:"mechanism,omitempty"`
	IsResponse       bool                    `json:"is_response"`
	RecipientCount   int64                   `json:"recipient_count"`
	DomainIdentifier string                  `json:"domain_identifier,omitempty"`
	GroupName        string                  `json:"group_name,omitempty"`
	ContentURL       string                  `json:"content_url,omitempty"`
	LocationUUID     string                  `json:"location_uuid,omitempty"`
	DerivedIntentID  string                  `json:"derived_intent_id,omitempty"`
	Start            time.Time               `json:"start_date,omitzero"`
	End              time.Time               `json:"end_date,omitzero"`
	Created          time.Time               `json:"creation_date,omitzero"`
	Sender           *InteractionParty       `json:"sender,omitempty"`
	Recipients       []InteractionParty      `json:"recipients,omitempty"`
	Attachments      []InteractionAttachment `json:"attachments,omitempty"`
	Database         string                  `json:"database"`
}

// backfillGap is how far an interaction's creation may lag its start before the creation
// date is worth its own event: CoreDuet writes an interaction when it happens, so a record
// created an hour or more after (or before) its start was imported, backfilled or edited
// later, which is how tampering with this database shows.
const backfillGap = time.Hour

// Events implements module.Record: start and end (end only when it differs), and creation
// only when it is at least backfillGap away from the start.
func (r Interaction) Events() []timeline.Event {
	desc := r.describe()
	var out []timeline.Event
	if !r.Start.IsZero() {
		out = append(out, timeline.Event{Time: r.Start, Event: "start_date", Description: desc})
	}
	if !r.End.IsZero() && !r.End.Equal(r.Start) {
		out = append(out, timeline.Event{Time: r.End, Event: "end_date", Description: desc})
	}
	if gap := r.Created.Sub(r.Start).Abs(); !r.Created.IsZero() && (r.Start.IsZero() || gap >= backfillGap) {
		out = append(out, timeline.Event{Time: r.Created, Event: "interactions_creation_date", Description: desc})
	}
	return out
}

func (r Interaction) describe() string {
	from := "unknown"
	if r.Sender != nil {
		from = r.Sender.String()
	}
	to := make([]string, len(r.Recipients))
	for i, p := range r.Recipients {
		to[i] = p.String()
	}
	desc := fmt.Sprintf("[%s] %s - from %s to %s", r.BundleID, r.Account, from, strings.Join(to, ", "))
	for _, a := range r.Attachments {
		if a.ContentText != "" {
			return desc + ": " + a.ContentText
		}
	}
	return desc
}

// Observables implements module.Record: e-mail identifiers of the sender and recipients
// (iMessage and FaceTime accounts), for e-mail indicators.
func (r Interaction) Observables() []ioc.Observable {
	var out []ioc.Observable
	add := func(p InteractionParty) {
		if e := emailOf(p.Identifier); e != "" && !containsObservable(out, e) {
			out = append(out, ioc.Observable{Type: ioc.Email, Value: e})
		}
	}
	if r.Sender != nil {
		add(*r.Sender)
	}
	for _, p := range r.Recipients {
		add(p)
	}
	return out
}

func containsObservable(obs []ioc.Observable, v string) bool {
	for _, o := range obs {
		if o.Value == v {
			return true
		}
	}
	return false
}

// Run implements module.Module.
func (m *InteractionC) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return m.read(ctx, db, f, emit) })
}
