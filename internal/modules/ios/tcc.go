package ios

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ncruces/go-sqlite3"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/format/timestamp"
	"github.com/vigil-project/vigil/internal/ioc"
	"github.com/vigil-project/vigil/internal/module"
	"github.com/vigil-project/vigil/internal/timeline"
)

var tccPlaces = places{
	acq.IOSBackup:     {{"HomeDomain", "Library/TCC/TCC.db"}},
	acq.IOSFilesystem: {{"", "private/var/mobile/Library/TCC/TCC.db"}},
	acq.IOSSysdiag:    {{"", "logs/Accessibility/TCC.db"}},
}

// TCC reads the privacy permissions (Transparency, Consent and Control) apps and system
// processes hold: microphone, camera, photos, contacts ...
type TCC struct {
	about
	places places
}

// NewTCC returns the tcc module.
func NewTCC() *TCC {
	return &TCC{about: about{
		name:      "ios/tcc",
		desc:      "Privacy permissions granted or denied to apps and processes (TCC.db)",
		kinds:     backupFSAndSysdiag,
		artifacts: tccPlaces.artifacts(),
	}, places: tccPlaces}
}

// Names of TCC's values, as MVT writes them.
var (
	tccAuthValues   = []string{"denied", "unknown", "allowed", "limited"}
	tccAllowed      = []string{"denied", "allowed"}
	tccAuthReasons  = []string{"", "error", "user_consent", "user_set", "system_set", "service_policy", "mdm_policy", "override_policy", "missing_usage_string", "prompt_timeout", "preflight_unknown", "entitled", "app_type_policy"}
	errNoAccessCols = errors.New("table access has neither auth_value (iOS 14+) nor allowed (older iOS)")
)

// TCCAccess is one permission of TCC.db's access table.
type TCCAccess struct {
	Service      string    `json:"service"`
	Client       string    `json:"client"`
	ClientType   string    `json:"client_type"`             // bundle_id or absolute_path
	AuthValue    string    `json:"auth_value,omitempty"`    // iOS 14+: denied, unknown, allowed, limited
	AuthReason   string    `json:"auth_reason,omitempty"`   // iOS 14+: user_consent, system_set ...
	Allowed      string    `json:"allowed_value,omitempty"` // before iOS 14: denied, allowed
	PromptCount  *int64    `json:"prompt_count,omitempty"`  // before iOS 14
	LastModified time.Time `json:"last_modified,omitzero"`  // absent before iOS 12
	Schema       string    `json:"schema"`                  // v3 (iOS 14+), v2, v1
	Database     string    `json:"database"`
}

// Access is the decision, whatever the schema generation.
func (a TCCAccess) Access() string {
	if a.AuthValue != "" {
		return a.AuthValue
	}
	return a.Allowed
}

// Events implements module.Record.
func (a TCCAccess) Events() []timeline.Event {
	if a.LastModified.IsZero() {
		return nil
	}
	return []timeline.Event{{Time: a.LastModified, Event: "AccessRequest",
		Description: fmt.Sprintf("Access to %s by %s %s", a.Service, a.Client, a.Access())}}
}

// Observables implements module.Record. A bundle-id client is checked as an app id and,
// as MVT does, as a process name; a path client as a process (its base name) and as a
// path, so that path indicators (/private/var/tmp/...) match it too.
func (a TCCAccess) Observables() []ioc.Observable {
	if a.ClientType == "bundle_id" {
		return bundleObservables(a.Client)
	}
	return pathObservables(a.Client)
}

// Run implements module.Module.
func (m *TCC) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return readTCC(db, f.Path, emit)
	})
}

// readTCC picks the schema generation from the columns, as MVT does by trying queries.
func readTCC(db *module.DB, file string, emit module.Emitter) error {
	cols, err := requireColumns(db, "access", "service", "client")
	if err != nil {
		return err
	}
	var schema, decision, detail string
	switch {
	case cols["auth_value"] && cols["auth_reason"]:
		schema, decision, detail = "v3", "a.auth_value", "a.auth_reason"
	case cols["allowed"]:
		schema, decision, detail = "v1", "a.allowed", columnOr(cols, "a", "prompt_count", "NULL")
		if cols["last_modified"] {
			schema = "v2"
		}
	default:
		return errNoAccessCols
	}
	stmt, _, err := db.Prepare(`SELECT a.service, a.client, ` + columnOr(cols, "a", "client_type", "0") + `, ` +
		decision + `, ` + detail + `, ` + columnOr(cols, "a", "last_modified", "NULL") + `
		FROM access a ORDER BY 6, a.service, a.client`)
	if err != nil {
		return fmt.Errorf("query access: %w", err)
	}
	defer stmt.Close()
	for stmt.Step() {
		emit.Record(scanTCC(stmt, schema, file))
	}
	if err := stmt.Err(); err != nil {
		return fmt.Errorf("read access: %w", err)
	}
	return nil
}

func scanTCC(stmt *sqlite3.Stmt, schema, file string) TCCAccess {
	a := TCCAccess{
		Service:      columnText(stmt, 0),
		Client:       columnText(stmt, 1),
		ClientType:   "bundle_id",
		LastModified: timestamp.Unix(stmt.ColumnFloat(5)),
		Schema:       schema,
		Database:     file,
	}
	if stmt.ColumnInt64(2) != 0 {
		a.ClientType = "absolute_path" // as MVT: anything but 0 is a path
	}
	if schema == "v3" {
		a.AuthValue = tccName(tccAuthValues, stmt.ColumnInt64(3))
		a.AuthReason = tccName(tccAuthReasons, stmt.ColumnInt64(4))
		return a
	}
	a.Allowed = tccName(tccAllowed, stmt.ColumnInt64(3))
	if stmt.ColumnType(4) != sqlite3.NULL {
		n := stmt.ColumnInt64(4)
		a.PromptCount = &n
	}
	return a
}

// tccName is the name of v in names, or its number when TCC has a value Vigil does not know.
func tccName(names []string, v int64) string {
	if v >= 0 && v < int64(len(names)) && names[v] != "" {
		return names[v]
	}
	return strconv.FormatInt(v, 10)
}
