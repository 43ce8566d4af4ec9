// Package reliability holds the reliability suite: tests that build the
// real mirsad binary and run it as a subprocess against loopback sites
// and webhook receivers, then crash it (SIGKILL at random points), stop
// it (SIGTERM), race a second process against it, damage its data
// directory, fill its disk, load it and send it hostile requests, and
// check that nothing acknowledged is lost.
//
// The tests only build with the reliability tag:
//
//	go test -tags=reliability ./reliability            # short variant, a few minutes
//	MIRSAD_RELIABILITY_LONG=1 go test -tags=reliability -timeout 60m ./reliability
//
// The long variant runs more crash seeds and the 60-second load test
// during an ingest of the ant-arabic-news corpus (MIRSAD_CORPUS or
// ../shared/corpus). Results are in RELIABILITY.md.
package reliability
