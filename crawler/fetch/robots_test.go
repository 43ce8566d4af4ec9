package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRobotsCache(t *testing.T) {
	var robotsFetches atomic.Int32
	var body atomic.Value
	body.Store("User-agent: *\nDisallow: /a/\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robotsFetches.Add(1)
			time.Sleep(20 * time.Millisecond) // let concurrent callers pile up
			io.WriteString(w, body.Load().(string))
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c, clk := newTestClient(t, func(o *Options) { o.RobotsTTL = time.Hour; o.PerHostConcurrency = 8 })

	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Get(context.Background(), fmt.Sprintf("%s/b/%d", srv.URL, i), Conditional{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := robotsFetches.Load(); n != 1 {
		t.Fatalf("robots.txt fetched %d times for 10 concurrent requests, want 1", n)
	}

	body.Store("User-agent: *\nDisallow: /b/\n")
	if _, err := c.Get(context.Background(), srv.URL+"/b/x", Conditional{}); err != nil {
		t.Fatalf("within the TTL the cached rules apply: %v", err)
	}
	clk.Advance(61 * time.Minute)
	_, err := c.Get(context.Background(), srv.URL+"/b/x", Conditional{})
	mustKind(t, err, KindBlockedByRobots)
	if n := robotsFetches.Load(); n != 2 {
		t.Errorf("robots.txt fetched %d times after the TTL, want 2", n)
	}
}

// TestRobotsSizeCap: rules past RobotsMaxBytes are not read, and an oversized robots.txt does not
// fail the fetch.
func TestRobotsSizeCap(t *testing.T) {
	padding := strings.Repeat("# padding line of an overgrown robots.txt\n", 20000) // ~860 KB
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			io.WriteString(w, "User-agent: *\nDisallow: /early/\n"+padding+"Disallow: /late/\n")
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c, _ := newTestClient(t, func(o *Options) { o.RobotsMaxBytes = 64 << 10; o.MaxBodyBytes = 512 << 10 })
	_, err := c.Get(context.Background(), srv.URL+"/early/1", Conditional{})
	mustKind(t, err, KindBlockedByRobots)
	if _, err := c.Get(context.Background(), srv.URL+"/late/1", Conditional{}); err != nil {
		t.Errorf("rule beyond the cap applied or the cap failed the fetch: %v", err)
	}
}

// TestBodyCapBoundary: exactly the cap passes, one byte more fails.
func TestBodyCapBoundary(t *testing.T) {
	const limit = 1000
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/"), &n)
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, strings.Repeat("a", n))
	}))
	defer srv.Close()
	c, _ := newTestClient(t, func(o *Options) { o.MaxBodyBytes = limit })
	tests := []struct {
		n       int
		wantErr bool
	}{{0, false}, {limit - 1, false}, {limit, false}, {limit + 1, true}, {10 * limit, true}}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			resp, err := c.Get(context.Background(), fmt.Sprintf("%s/%d", srv.URL, tt.n), Conditional{})
			if tt.wantErr {
				mustKind(t, err, KindTooLarge)
				return
			}
			if err != nil || len(resp.Body) != tt.n {
				t.Fatalf("got %v, err %v", resp, err)
			}
		})
	}
}
