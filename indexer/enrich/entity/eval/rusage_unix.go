//go:build unix

package eval

import (
	"syscall"
	"time"
)

// cpuTime is the user+system CPU time of this process so far: under a CPU
// shared with other work it measures our own cost better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
