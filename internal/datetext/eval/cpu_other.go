//go:build !unix

package eval

import "time"

// cpuTime is unavailable here; shares fall back to wall time only.
func cpuTime() time.Duration { return 0 }
