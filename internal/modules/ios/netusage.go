package ios

import (
	"context"

	"github.com/vigil-project/vigil/internal/acq"
	"github.com/vigil-project/vigil/internal/module"
)

var netUsagePlaces = places{
	acq.IOSFilesystem: {
		{"", "private/var/networkd/netusage.sqlite"},
		{"", "private/var/networkd/db/netusage.sqlite"},
	},
}

// NetUsage reads networkd's netusage.sqlite, which has DataUsage's schema but covers every
// interface, and is only found in filesystem dumps. Records are DataUsageRecords.
type NetUsage struct {
	about
	places places
}

// NewNetUsage returns the netusage module.
func NewNetUsage() *NetUsage {
	return &NetUsage{about: about{
		name: "ios/netusage",
		desc: "Processes that used the network (networkd's netusage.sqlite); flags deleted and " +
			"orphaned process rows, and processes whose program is nowhere in the dump",
		kinds:     fsOnlyKinds,
		artifacts: netUsagePlaces.artifacts(),
	}, places: netUsagePlaces}
}

// Run implements module.Module.
func (m *NetUsage) Run(ctx context.Context, in *module.Input, emit module.Emitter) error {
	files, err := m.places.find(in)
	if err != nil {
		return err
	}
	return eachDatabase(ctx, in, files, emit, func(db *module.DB, f acq.File) error {
		return readDataUsageChecked(ctx, in, db, emit)
	})
}
