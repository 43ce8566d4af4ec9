package indexer

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// LockHolder names the process holding the lock on the data directory's
// store (dir/mirsad.db), read from /proc/locks, so that a second process
// can say who is in its way. It returns "" where that is unknown (not
// Linux, no lock found).
func LockHolder(dir string) string {
	st, err := os.Stat(dir + string(os.PathSeparator) + DBFile)
	if err != nil {
		return ""
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	data, err := os.ReadFile("/proc/locks")
	if err != nil {
		return ""
	}
	suffix := ":" + strconv.FormatUint(sys.Ino, 10)
	for _, line := range strings.Split(string(data), "\n") {
		// 1: FLOCK  ADVISORY  WRITE 4242 08:01:123456 0 EOF
		f := strings.Fields(line)
		if len(f) < 6 || f[1] == "->" || !strings.HasSuffix(f[5], suffix) {
			continue
		}
		pid := f[4]
		cmd, _ := os.ReadFile("/proc/" + pid + "/cmdline")
		name := strings.TrimSpace(strings.ReplaceAll(string(cmd), "\x00", " "))
		if name == "" {
			return "pid " + pid
		}
		return "pid " + pid + " (" + name + ")"
	}
	return ""
}
