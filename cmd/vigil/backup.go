package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-project/vigil/internal/acq/detect"
	"github.com/vigil-project/vigil/internal/acq/iosbackup"
	"github.com/vigil-project/vigil/internal/report"
)

func newBackup() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Work with encrypted iOS backups: save a derived key, write a decrypted copy",
	}
	cmd.AddCommand(newDeriveKey(), newDecrypt())
	return cmd
}

func addSecretFlags(cmd *cobra.Command, s *secretFlags, withKey bool) {
	cmd.Flags().StringVar(&s.passwordFile, "password-file", "", "file whose first line is the backup password; - reads standard input")
	if withKey {
		cmd.Flags().StringVar(&s.keyFile, "key-file", "", "key saved by 'vigil backup derive-key' (skips the slow derivation)")
	}
}

// credentials turns the flags into what unlocks a backup; nil when nothing was given and
// nothing could be asked. ask is set when the backup is known to be encrypted.
func (s secretFlags) credentials(stderr io.Writer, backup string, ask bool) (*iosbackup.Credentials, error) {
	if s.keyFile != "" {
		if s.passwordFile != "" {
			return nil, errors.New("give --password-file or --key-file, not both")
		}
		key, uuid, err := iosbackup.ReadKeyFile(s.keyFile)
		if err != nil {
			return nil, err
		}
		return &iosbackup.Credentials{Key: key, KeyUUID: uuid}, nil
	}
	pw, err := s.password(ask, trimPrompt(fmt.Sprintf("Password of the encrypted backup %s: ", backup)))
	if err != nil || pw == nil {
		return nil, err
	}
	return &iosbackup.Credentials{Password: pw, Progress: newDeriveProgress(stderr)}, nil
}

func newDeriveKey() *cobra.Command {
	var s secretFlags
	var out string
	cmd := &cobra.Command{
		Use:   "derive-key BACKUP -o KEYFILE",
		Short: "Derive an encrypted backup's key once and save it (0600) for fast later checks",
		Long: `Derive the key of an encrypted backup from its password and save it to KEYFILE (mode 0600).

iOS 10.2 and later protect backup passwords with about ten million rounds of PBKDF2, so
every check that starts from the password spends seconds deriving the key. With the saved
key, 'vigil check BACKUP --key-file KEYFILE' starts at once. The key unlocks the backup
like the password does: keep it as safe as the backup itself.

` + passwordHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return errors.New("say where to save the key with -o KEYFILE")
			}
			dir, err := backupDir(args[0])
			if err != nil {
				return err
			}
			creds, err := s.credentials(cmd.ErrOrStderr(), dir, true)
			if err != nil {
				return err
			}
			if creds == nil {
				return iosbackup.ErrNeedPassword
			}
			key, uuid, err := iosbackup.DeriveBackupKey(dir, creds.Password, creds.Progress)
			if err != nil {
				return err
			}
			if err := iosbackup.WriteKeyFile(out, key, uuid); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Saved the key of %s to %s (keybag %s).\n", dir, out, uuid)
			return nil
		},
	}
	addSecretFlags(cmd, &s, false)
	cmd.Flags().StringVarP(&out, "output", "o", "", "where to write the key file")
	return cmd
}

func newDecrypt() *cobra.Command {
	var s secretFlags
	var out string
	cmd := &cobra.Command{
		Use:   "decrypt BACKUP -o OUT",
		Short: "Write a fully decrypted copy of an encrypted backup",
		Long: `Write a decrypted copy of an encrypted backup into OUT: the decrypted Manifest.db, every
file under its usual id with its size checked against its record, and Manifest.plist marked
unencrypted, so that 'vigil check' and other tools can read it. Files that cannot be
decrypted are listed and skipped. 'vigil check' does not need this: it decrypts on read.

The copy holds the phone's data in the clear: keep it as safe as the backup.

` + passwordHelp,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDecrypt(cmd, s, args[0], out)
		},
	}
	addSecretFlags(cmd, &s, true)
	cmd.Flags().StringVarP(&out, "output", "o", "", "folder for the decrypted copy (new or empty)")
	return cmd
}

func runDecrypt(cmd *cobra.Command, s secretFlags, path, out string) error {
	if out == "" {
		return errors.New("say where to write the decrypted copy with -o OUT")
	}
	dir, err := backupDir(path)
	if err != nil {
		return err
	}
	if abs, _ := filepath.Abs(out); abs == dir || isInside(abs, dir) {
		return errors.New("the decrypted copy cannot go inside the backup: nothing is ever written into evidence")
	}
	if err := report.PrepareFolder(out, false); err != nil {
		return err
	}
	creds, err := s.credentials(cmd.ErrOrStderr(), dir, true)
	if err != nil {
		return err
	}
	b, err := iosbackup.Open(dir, creds)
	if err != nil {
		return err
	}
	defer b.Close()
	st, err := b.DecryptTo(out, nil)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "Decrypted %d files (%d bytes) into %s.\n", st.Files, st.Bytes, out)
	if st.Missing > 0 {
		fmt.Fprintf(w, "%d files are listed in Manifest.db but not present in the backup (normal for incomplete backups).\n", st.Missing)
	}
	for _, p := range st.Problems {
		fmt.Fprintf(w, "  could not decrypt %s %s (%s): %v\n", p.Domain, p.Path, p.ID, p.Err)
	}
	if len(st.Problems) > 0 {
		return fmt.Errorf("%d files could not be decrypted", len(st.Problems))
	}
	return nil
}

// backupDir resolves what the user named to the backup folder itself.
func backupDir(path string) (string, error) {
	a, err := detect.Locate(path)
	if err != nil {
		return "", err
	}
	return a, nil
}

func isInside(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !filepath.IsAbs(rel) &&
		!strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
