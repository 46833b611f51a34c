//go:build !(linux || darwin || freebsd || netbsd || openbsd || windows)

package main

import (
	"errors"
	"os"
)

func readNoEcho(*os.File) ([]byte, error) {
	return nil, errors.New("cannot switch off echo on this system: use --password-file")
}
