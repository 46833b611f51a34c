//go:build darwin || freebsd || netbsd || openbsd

package fsdump

import "syscall"

func ctime(s *syscall.Stat_t) (int64, int64) { return s.Ctimespec.Sec, s.Ctimespec.Nsec }
