//go:build unix

package eval

import (
	"syscall"
	"time"
)

// cpuTime is the user+system CPU time this process has used so far, so
// that the cost shares can be read without the noise of other processes
// sharing the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
