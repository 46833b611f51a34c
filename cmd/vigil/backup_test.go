package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/fixture"
)

func encryptedDemo(t *testing.T) (backup, bundle, pwFile string) {
	t.Helper()
	work := t.TempDir()
	plain, bundle := filepath.Join(work, "plain"), filepath.Join(work, "demo.stix2")
	if err := fixture.WriteDemo(plain, bundle); err != nil {
		t.Fatal(err)
	}
	b, err := fixture.DemoBackup()
	if err != nil {
		t.Fatal(err)
	}
	backup = filepath.Join(work, "encrypted")
	if err := b.WriteEncrypted(backup, fixture.EncryptOptions{Password: "pässword with spaces "}); err != nil {
		t.Fatal(err)
	}
	pwFile = filepath.Join(work, "pw.txt")
	os.WriteFile(pwFile, []byte("pässword with spaces \n"), 0o600)
	return backup, bundle, pwFile
}

func wantExit(t *testing.T, err error, code int) {
	t.Helper()
	var ee exitError
	if !errors.As(err, &ee) || ee.code != code {
		t.Fatalf("err = %v, want exit status %d", err, code)
	}
}

func TestEncryptedBackupCommands(t *testing.T) {
	backup, bundle, pwFile := encryptedDemo(t)
	dir := t.TempDir()

	_, err := execute(t, "check", backup, "--iocs", bundle, "-o", filepath.Join(dir, "r1"))
	if err == nil || !strings.Contains(err.Error(), "--password-file") {
		t.Errorf("no password: err = %v, want advice on how to give one", err)
	}
	_, err = execute(t, "check", backup, "--iocs", bundle, "--password-file", pwFile, "-o", filepath.Join(dir, "r2"))
	wantExit(t, err, 1)

	keyFile := filepath.Join(dir, "backup.key")
	out, err := execute(t, "backup", "derive-key", backup, "--password-file", pwFile, "-o", keyFile)
	if err != nil || !strings.Contains(out, "Saved the key") {
		t.Fatalf("derive-key: %v\n%s", err, out)
	}
	if st, _ := os.Stat(keyFile); st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	_, err = execute(t, "check", backup, "--iocs", bundle, "--key-file", keyFile, "-o", filepath.Join(dir, "r3"))
	wantExit(t, err, 1)

	decrypted := filepath.Join(dir, "decrypted")
	out, err = execute(t, "backup", "decrypt", backup, "--key-file", keyFile, "-o", decrypted)
	if err != nil || !strings.Contains(out, "Decrypted") {
		t.Fatalf("decrypt: %v\n%s", err, out)
	}
	_, err = execute(t, "check", decrypted, "--iocs", bundle, "-o", filepath.Join(dir, "r4"))
	wantExit(t, err, 1)
	for _, name := range []string{"sms.json", "safari_history.json", "manifest.json", "detections.json", "timeline.csv"} {
		a, _ := os.ReadFile(filepath.Join(dir, "r2", name))
		b, _ := os.ReadFile(filepath.Join(dir, "r4", name))
		// The one fact that differs: the device record says whether the backup was encrypted.
		a = []byte(strings.NewReplacer(`"encrypted": true`, `"encrypted": false`,
			`"encrypted":true`, `"encrypted":false`).Replace(string(a)))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s: decrypt-on-read and the decrypted copy disagree (%d vs %d bytes)", name, len(a), len(b))
		}
	}

	if _, err := execute(t, "backup", "decrypt", backup, "--key-file", keyFile, "-o", filepath.Join(backup, "x")); err == nil {
		t.Error("decrypt accepted a folder inside the backup")
	}
	if _, err := os.Stat(filepath.Join(backup, "x")); err == nil {
		t.Error("decrypt wrote inside the backup")
	}
	wrong := filepath.Join(dir, "wrong.txt")
	os.WriteFile(wrong, []byte("nope\n"), 0o600)
	if _, err := execute(t, "check", backup, "--password-file", wrong, "-o", filepath.Join(dir, "r5")); err == nil ||
		!strings.Contains(err.Error(), "does not unlock") {
		t.Errorf("wrong password: err = %v", err)
	}
}
