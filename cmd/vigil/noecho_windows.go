package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// readNoEcho reads one line from the console with echo switched off, and restores the
// console mode whatever happens.
func readNoEcho(f *os.File) ([]byte, error) {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return nil, err
	}
	quiet := mode&^windows.ENABLE_ECHO_INPUT | windows.ENABLE_PROCESSED_INPUT | windows.ENABLE_LINE_INPUT
	if err := windows.SetConsoleMode(h, quiet); err != nil {
		return nil, err
	}
	defer windows.SetConsoleMode(h, mode)
	return readSecretLine(f)
}
