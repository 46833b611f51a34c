package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

// secretFlags are how a backup password or key reaches Vigil. There is deliberately no
// flag that takes the password itself: it would end up in shell history and process lists.
type secretFlags struct {
	passwordFile string // a file holding the password, or "-" for standard input
	keyFile      string // a key file written by 'vigil backup derive-key'
}

// password returns the password the user gave, nil when they gave none and stdin is not a
// terminal, or asks for it without echo when ask is set and stdin is a terminal.
func (s secretFlags) password(ask bool, prompt string) ([]byte, error) {
	switch s.passwordFile {
	case "-":
		return readSecretLine(os.Stdin)
	case "":
	default:
		f, err := os.Open(s.passwordFile)
		if err != nil {
			return nil, fmt.Errorf("password file: %w", err)
		}
		defer f.Close()
		return readSecretLine(f)
	}
	if !ask || !isatty.IsTerminal(os.Stdin.Fd()) {
		return nil, nil
	}
	fmt.Fprint(os.Stderr, prompt)
	pw, err := readNoEcho(os.Stdin)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return nil, fmt.Errorf("reading the password: %w", err)
	}
	return pw, nil
}

// readSecretLine reads the first line of r: a password file may end with a newline that is
// not part of the password, while every other character (spaces included) is.
func readSecretLine(r io.Reader) ([]byte, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 64<<10)).ReadBytes('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the password: %w", err)
	}
	line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
	if len(line) == 0 {
		return nil, errors.New("the password file is empty")
	}
	return line, nil
}

const passwordHelp = `Encrypted backups: give the backup password with --password-file FILE (the first line
of FILE), --password-file - (read from standard input), or type it when asked (no echo) when
standard input is a terminal. A key saved by 'vigil backup derive-key' skips the slow key
derivation: --key-file KEYFILE. There is no flag that takes the password itself, so that it
never lands in shell history or process lists.`

// trimPrompt keeps prompts on one line whatever the backup path.
func trimPrompt(s string) string { return strings.ReplaceAll(s, "\n", " ") }
