package main

import (
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// profiling writes CPU and heap profiles for performance work; the flags are hidden
// because analysts never need them.
type profiling struct {
	cpu, mem string
	cpuFile  *os.File
}

func (p *profiling) flags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile to this file")
	f.StringVar(&p.mem, "memprofile", "", "write a heap profile to this file at the end")
	f.MarkHidden("cpuprofile")
	f.MarkHidden("memprofile")
}

func (p *profiling) start() error {
	if p.cpu == "" {
		return nil
	}
	f, err := os.Create(p.cpu)
	if err != nil {
		return err
	}
	p.cpuFile = f
	return pprof.StartCPUProfile(f)
}

// stop is called whatever the command's outcome, exit status 1 included.
func (p *profiling) stop() {
	if p.cpuFile != nil {
		pprof.StopCPUProfile()
		p.cpuFile.Close()
	}
	if p.mem != "" {
		if f, err := os.Create(p.mem); err == nil {
			runtime.GC()
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
}
