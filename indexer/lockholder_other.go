//go:build !linux

package indexer

// LockHolder names the process holding the data directory's lock where
// the system says (Linux); here it cannot tell.
func LockHolder(dir string) string { return "" }
