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

// Calls reads the call history (phone, FaceTime and VoIP apps using CallKit).
type Calls struct {
	about
	places places
}

var callsPlaces = places{
	acq.IOSBackup:     {{"HomeDomain", "Library/CallHistoryDB/CallHistory.storedata"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Library/CallHistoryDB/CallHistory.storedata"}},
}

// NewCalls returns the calls module.
func NewCalls() *Calls {
	return &Calls{about: about{
		name:      "ios/calls",
		desc:      "Call history (CallHistory.storedata: phone, FaceTime, CallKit apps); backups keep it only when encrypted",
		kinds:     backupAndFS,
		artifacts: callsPlaces.artifacts(),
	}, places: callsPlaces}
}

// CallRecord is one call of ZCALLRECORD.
type CallRecord struct {
	ID              int64     `json:"id"`
	Date            time.Time `json:"date,omitzero"`
	Duration        float64   `json:"duration"`          // seconds
	Address         string    `json:"address,omitempty"` // number or e-mail address of the other party
	Direction       string    `json:"direction,omitempty"`
	Answered        *bool     `json:"answered,omitempty"`
	CallType        *int64    `json:"call_type,omitempty"` // 1 phone, 8 FaceTime video, 16 FaceTime audio
	ServiceProvider string    `json:"service_provider,omitempty"`
	Location        string    `json:"location,omitempty"`
	Database        string    `json:"database"`
}

// Events implements module.Record.
func (c CallRecord) Events() []timeline.Event {
	if c.Date.IsZero() {
		return nil
	}
	who := c.Address
	if who == "" {
		who = "unknown"
	}
	var flags []string
	if c.Direction != "" {
		flags = append(flags, c.Direction)
	}
	if c.Answered != nil && !*c.Answered {
		flags = append(flags, "not answered")
	}
	desc := "Call with " + who
	if len(flags) > 0 {
		desc += " (" + strings.Join(flags, ", ") + ")"
	}
	if c.ServiceProvider != "" {
		desc += " using " + c.ServiceProvider
	}
	desc += fmt.Sprintf(", %g seconds", c.Duration)
	return []timeline.Event{{Time: c.Date, Event: "call", Description: desc}}
}

// Observables implements module.Record: FaceTime and iMessage accounts are e-mail addresses,
// which e-mail indicators name.
func (c CallRecord) Observables() []ioc.Observable {
	if e := emailOf(c.Address); e != "" {
		return []ioc.Observable{{Type: ioc.Email, Value: e}}
	}
	return nil
}

// Run implements module.Module.
func (m *Calls) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error { return m.read(ctx, db, f, emit) })
}

func (m *Calls) read(ctx context.Context, db *module.DB, f acq.File, emit module.Emitter) error {
	cols, err := requireColumns(db, "ZCALLRECORD", "ZDATE", "ZADDRESS")
	if err != nil {
		return err
	}
	sel := []string{"c.ROWID", "c.ZDATE", "c.ZADDRESS"}
	for _, name := range []string{"ZDURATION", "ZORIGINATED", "ZANSWERED", "ZCALLTYPE", "ZSERVICE_PROVIDER", "ZLOCATION"} {
		sel = append(sel, columnOr(cols, "c", name, "NULL"))
	}
	stmt, _, err := db.Prepare(`SELECT ` + strings.Join(sel, ", ") + ` FROM ZCALLRECORD c ORDER BY c.ROWID`)
	if err != nil {
		return fmt.Errorf("query calls: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		c := CallRecord{
			ID:              stmt.ColumnInt64(0),
			Date:            columnMacTime(stmt, 1),
			Address:         columnString(stmt, 2),
			Duration:        stmt.ColumnFloat(3),
			Answered:        columnBoolOrNil(stmt, 5),
			CallType:        columnIntOrNil(stmt, 6),
			ServiceProvider: columnString(stmt, 7),
			Location:        columnString(stmt, 8),
			Database:        f.Path,
		}
		if out := columnBoolOrNil(stmt, 4); out != nil {
			c.Direction = map[bool]string{true: "outgoing", false: "incoming"}[*out]
		}
		emit.Record(c)
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read calls: %w", err)
	}
	return nil
}
