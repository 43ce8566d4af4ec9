package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsCache holds one robots.txt verdict per scheme+host. Concurrent requests for a host share
// one fetch.
type robotsCache struct {
	c  *Client
	hc *http.Client
	mu sync.Mutex
	m  map[string]*robotsEntry
}

type robotsEntry struct {
	ready   chan struct{} // closed once group/err/expires are set
	group   *robotstxt.Group
	err     *Error // deferral (5xx, 429, unreachable) or SSRF: every URL on the host fails with it
	expires time.Time
}

func newRobotsCache(c *Client) *robotsCache {
	hc := &http.Client{
		Transport: c.rt,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 { // RFC 9309 section 2.3.1.2
				return errors.New("robots.txt: more than 5 redirects")
			}
			return nil
		},
	}
	return &robotsCache{c: c, hc: hc, m: make(map[string]*robotsEntry)}
}

func robotsKey(u *url.URL) string { return strings.ToLower(u.Scheme + "://" + u.Host) }

// allowed returns nil if robots.txt lets our agent fetch u, a KindBlockedByRobots error if it does
// not, and a KindRobotsUnavailable error while the host's robots.txt cannot be read.
func (r *robotsCache) allowed(ctx context.Context, u *url.URL) error {
	if u.Path == "/robots.txt" {
		return nil
	}
	e, err := r.get(ctx, u)
	if err != nil {
		return newError(u.String(), KindCanceled, err)
	}
	if e.err != nil {
		return &Error{URL: u.String(), Kind: e.err.Kind, StatusCode: e.err.StatusCode, Err: e.err.Err}
	}
	if e.group != nil && !e.group.Test(u.RequestURI()) {
		return newError(u.String(), KindBlockedByRobots,
			fmt.Errorf("disallowed by %s/robots.txt for user-agent %q", robotsKey(u), r.c.opts.RobotsAgent))
	}
	return nil
}

// crawlDelay returns the cached Crawl-delay for u's host without fetching anything.
func (r *robotsCache) crawlDelay(u *url.URL) time.Duration {
	r.mu.Lock()
	e := r.m[robotsKey(u)]
	r.mu.Unlock()
	if e == nil {
		return 0
	}
	select {
	case <-e.ready:
		if e.group != nil {
			return e.group.CrawlDelay
		}
	default:
	}
	return 0
}

func (r *robotsCache) get(ctx context.Context, u *url.URL) (*robotsEntry, error) {
	key := robotsKey(u)
	for {
		r.mu.Lock()
		e := r.m[key]
		if e != nil {
			select {
			case <-e.ready:
				if r.c.opts.Now().Before(e.expires) {
					r.mu.Unlock()
					return e, nil
				}
				e = nil // expired: fetch again below
			default:
			}
		}
		if e != nil { // another goroutine is fetching it
			r.mu.Unlock()
			select {
			case <-e.ready:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		e = &robotsEntry{ready: make(chan struct{})}
		r.m[key] = e
		r.mu.Unlock()

		canceled := r.fetch(ctx, u, e)
		if canceled != nil {
			r.mu.Lock()
			delete(r.m, key) // our caller gave up; do not make others inherit that
			r.mu.Unlock()
			e.err = newError(key+"/robots.txt", KindCanceled, canceled)
			close(e.ready)
			return nil, canceled
		}
		close(e.ready)
		return e, nil
	}
}

// fetch fills e. It returns ctx's error if the caller's context ended the fetch.
func (r *robotsCache) fetch(ctx context.Context, u *url.URL, e *robotsEntry) error {
	o := &r.c.opts
	robotsURL := robotsKey(u) + "/robots.txt"
	log := r.c.log.With("robots", robotsURL)
	now := o.Now()
	e.expires = now.Add(o.RobotsTTL)
	deferHost := func(status int, err error) {
		e.expires = now.Add(o.RobotsErrorTTL)
		e.err = &Error{Kind: KindRobotsUnavailable, StatusCode: status,
			Err: fmt.Errorf("robots.txt unavailable, deferring host for %s: %w", o.RobotsErrorTTL, err)}
		log.Warn("robots.txt unavailable", "status", status, "error", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
	if err != nil {
		deferHost(0, err)
		return nil
	}
	req.Header.Set("User-Agent", o.UserAgent)
	resp, err := r.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var fe *Error
		if errors.As(err, &fe) && (fe.Kind == KindSSRF || fe.Kind == KindScheme || fe.Kind == KindTLS) {
			// The host itself is off limits or broken: report that, not "robots.txt".
			e.expires = now.Add(o.RobotsErrorTTL)
			e.err = fe
			return nil
		}
		deferHost(0, err)
		return nil
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		body, err := io.ReadAll(io.LimitReader(resp.Body, o.RobotsMaxBytes))
		if err != nil && !errors.Is(err, ErrTooLarge) {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			deferHost(0, err)
			return nil
		}
		data, err := robotstxt.FromBytes(body)
		if err != nil {
			// Google's rule: unparsable lines are ignored; a file we cannot parse at all
			// restricts nothing.
			log.Warn("robots.txt unparsable, allowing all", "error", err)
			return nil
		}
		e.group = data.FindGroup(o.RobotsAgent)
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		deferHost(resp.StatusCode, fmt.Errorf("status %s", resp.Status))
	default:
		// 4xx (and odd 1xx/3xx leftovers): no robots.txt, no restriction (RFC 9309 2.3.1.3).
	}
	return nil
}
