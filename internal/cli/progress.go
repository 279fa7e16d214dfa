package cli

import (
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws the ingest's progress bar on a terminal. Log lines written
// through it first clear the bar, so that they never share its line; the bar
// comes back with the next file finished.
type progress struct {
	w   io.Writer
	mu  sync.Mutex // the bar is not safe for a Clear during an update
	bar *progressbar.ProgressBar
}

// newProgress draws on w.
func newProgress(w io.Writer) *progress { return &progress{w: w} }

// report is the ingest's progress callback: done of total files finished.
func (p *progress) report(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("reading workbooks"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	_ = p.bar.Set(done)
	if done == total {
		p.clear()
	}
}

// Write writes a log line below a cleared bar.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	return p.w.Write(b)
}

// finish clears the bar if the reading stopped before its end.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

// clear removes the bar for good; p.mu is held.
func (p *progress) clear() {
	if p.bar != nil {
		_ = p.bar.Clear()
		_ = p.bar.Exit()
		p.bar = nil
	}
}
