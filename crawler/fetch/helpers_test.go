package fetch

import (
	"context"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock makes politeness and retry waits instant and observable.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.sleeps = append(f.sleeps, d)
	return nil
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *fakeClock) Sleeps() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// newTestClient reaches loopback test servers (AllowPrivateNetworks) with a fake clock.
func newTestClient(t *testing.T, mod func(*Options)) (*Client, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	o := Options{
		AllowPrivateNetworks: true,
		Timeout:              5 * time.Second,
		HeaderTimeout:        3 * time.Second,
		DialTimeout:          2 * time.Second,
		RetryBase:            time.Second,
		Now:                  clk.Now,
		Sleep:                clk.Sleep,
	}
	if mod != nil {
		mod(&o)
	}
	c := New(o, nil)
	t.Cleanup(c.CloseIdleConnections)
	return c, clk
}

// exemptServer lets exactly srv's listener through the SSRF guard, standing in for a public site.
func exemptServer(srv *httptest.Server) func(netip.AddrPort) bool {
	u, _ := url.Parse(srv.URL)
	want, _ := netip.ParseAddrPort(u.Host)
	return func(ap netip.AddrPort) bool { return ap == want }
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func arabicSentences(t *testing.T) []string {
	t.Helper()
	return strings.Split(strings.TrimSpace(readTestdata(t, "arabic.txt")), "\n")
}
