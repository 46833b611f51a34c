package ios

import "github.com/vigil-project/vigil/internal/acq"

// Kind lists of modules that also read a sysdiagnose archive, whose files sit below the
// archive's top folder ("logs/...", "system_logs.logarchive/...").
var (
	// backupFSAndSysdiag marks a module whose artifact backups, dumps and sysdiagnoses
	// all hold (TCC.db, configuration profiles).
	backupFSAndSysdiag = []acq.Kind{acq.IOSBackup, acq.IOSFilesystem, acq.IOSSysdiag}
	// fsAndSysdiag marks an artifact backups leave out (shutdown.log).
	fsAndSysdiag = []acq.Kind{acq.IOSFilesystem, acq.IOSSysdiag}
	// sysdiagOnly marks an artifact only a sysdiagnose collects (ps.txt, PowerLog copies,
	// tailspin's UUID map).
	sysdiagOnly = []acq.Kind{acq.IOSSysdiag}
)
