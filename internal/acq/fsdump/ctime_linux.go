package fsdump

import "syscall"

func ctime(s *syscall.Stat_t) (int64, int64) { return s.Ctim.Sec, s.Ctim.Nsec }
