//go:build race

package iosbackup

// raceDetector is true when the tests run under -race, which makes the
// real-count key derivation (pure computation, one goroutine) 25 times slower.
const raceDetector = true
