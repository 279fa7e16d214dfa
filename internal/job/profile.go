package job

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// profiler writes a run's profiles into a folder (Options.ProfileDir): the
// processor's over the whole run (cpu.pprof) and, at the end of a stage,
// what is live on the heap (heap-<stage>.pprof, after a collection), which
// is what the README's account of memory at scale rests on. Read them with
// `go tool pprof`. (At the end of writing little is live: the outcomes are
// garbage once written.)
type profiler struct {
	dir string
	cpu *os.File
}

// startProfiler starts the processor profile into dir; a nil profiler,
// which does nothing, when dir is "".
func startProfiler(dir string) (*profiler, error) {
	if dir == "" {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err // names the folder
	}
	f, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return &profiler{dir: dir, cpu: f}, nil
}

// heap writes the live heap at the end of a stage.
func (p *profiler) heap(stage string) error {
	if p == nil {
		return nil
	}
	runtime.GC() // the profile shows the heap as of the last collection
	f, err := os.Create(filepath.Join(p.dir, "heap-"+stage+".pprof"))
	if err != nil {
		return err
	}
	err = pprof.WriteHeapProfile(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name(), err)
	}
	return nil
}

// stop ends the processor profile.
func (p *profiler) stop() error {
	if p == nil {
		return nil
	}
	pprof.StopCPUProfile()
	return p.cpu.Close() // an *os.PathError naming the file
}
