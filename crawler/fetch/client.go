// Package fetch is Mirsad's HTTP client for the open web: timeouts on every phase, http/https only,
// an SSRF guard at dial time, a body cap after decompression, robots.txt, per-host politeness,
// retries that honour Retry-After, conditional GET, and charset decoding to UTF-8.
//
// The crawler uses Client.Get for feeds and pages; colly and anything else that wants an
// *http.Client take Client.Transport or Client.HTTPClient, which carry the same guard, timeouts
// and cap (but not robots, politeness or retries, which those callers do themselves).
package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultUserAgent names the crawler and where to reach its operators, as polite crawlers do.
const DefaultUserAgent = "Mirsad/0.1 (+https://github.com/mirsad-observatory/mirsad; news research crawler)"

// Options configure a Client. A zero field takes the default given in its comment.
type Options struct {
	UserAgent     string        // DefaultUserAgent
	Timeout       time.Duration // whole request, redirects and body included: 30s
	DialTimeout   time.Duration // TCP connect: 10s
	HeaderTimeout time.Duration // TLS handshake, and from request sent to response headers: 15s
	MaxBodyBytes  int64         // after decompression: 10 MiB
	MaxRedirects  int           // 10; negative: follow none
	// AllowPrivateNetworks switches the SSRF guard off: for demos and tests on loopback only.
	AllowPrivateNetworks bool
	PerHostDelay         time.Duration // minimum gap between request starts to one host: 0
	PerHostConcurrency   int           // requests in flight per host: 2
	RobotsTTL            time.Duration // how long a fetched robots.txt is trusted: 24h
	RobotsErrorTTL       time.Duration // how long a 5xx/429/unreachable robots.txt defers a host: 5m
	RobotsMaxBytes       int64         // robots.txt read limit (RFC 9309 asks for at least 500 KiB): 512 KiB
	RobotsAgent          string        // product token matched in robots.txt: first token of UserAgent
	MaxCrawlDelay        time.Duration // Crawl-delay is honoured up to this: 30s
	MaxRetries           int           // retries after 429/502/503/504 or a network error: 3; negative: none
	RetryBase            time.Duration // first backoff step, doubled per retry, with jitter: 1s
	MaxRetryWait         time.Duration // clamp for Retry-After and backoff: 2m
	TLSConfig            *tls.Config   // optional (tests: RootCAs); nil uses the system roots, TLS 1.2+
	Now                  func() time.Time
	Sleep                func(ctx context.Context, d time.Duration) error

	testExemptDial func(netip.AddrPort) bool // tests only: see dialControl
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	def(&o.Timeout, 30*time.Second)
	def(&o.DialTimeout, 10*time.Second)
	def(&o.HeaderTimeout, 15*time.Second)
	def(&o.RobotsTTL, 24*time.Hour)
	def(&o.RobotsErrorTTL, 5*time.Minute)
	def(&o.MaxCrawlDelay, 30*time.Second)
	def(&o.RetryBase, time.Second)
	def(&o.MaxRetryWait, 2*time.Minute)
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 10 << 20
	}
	if o.RobotsMaxBytes <= 0 {
		o.RobotsMaxBytes = 512 << 10
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = 10
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = 3
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	if o.PerHostConcurrency <= 0 {
		o.PerHostConcurrency = 2
	}
	if o.PerHostDelay < 0 {
		o.PerHostDelay = 0
	}
	if o.RobotsAgent == "" {
		o.RobotsAgent = productToken(o.UserAgent)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	return o
}

func productToken(ua string) string {
	tok := ua
	if i := strings.IndexAny(tok, "/ ("); i >= 0 {
		tok = tok[:i]
	}
	if tok == "" {
		return "*"
	}
	return tok
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Conditional carries the validators stored from the previous fetch of a URL.
type Conditional struct {
	ETag         string
	LastModified string
}

// Response is a fetched resource.
type Response struct {
	URL        string // final URL, after redirects
	StatusCode int
	Header     http.Header
	Body       []byte // as received, after decompression
	// Text is Body decoded to UTF-8 for text types (empty otherwise), control characters removed
	// and a leading XML declaration re-labelled UTF-8; see DecodeText.
	Text          string
	Charset       string
	CharsetSource CharsetSource
	Invalid       bool // some bytes were invalid in Charset and became U+FFFD
	ControlChars  int  // control characters removed from Text
	ETag          string
	LastModified  string
	NotModified   bool // 304: Body and Text are empty, nothing to parse or index
	Attempts      int
}

// Client fetches politely and safely. It is safe for concurrent use.
type Client struct {
	opts   Options
	log    *slog.Logger
	rt     *guardedTransport
	hc     *http.Client // Get: redirects checked against robots.txt too
	robots *robotsCache
	gate   *hostGate
}

// New returns a Client. A nil logger discards logs.
func New(opts Options, logger *slog.Logger) *Client {
	o := opts.withDefaults()
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{opts: o, log: logger.With("component", "fetch")}
	c.rt = &guardedTransport{base: newBaseTransport(&c.opts), opts: &c.opts}
	c.hc = &http.Client{Transport: c.rt, CheckRedirect: c.checkRedirect(true)}
	c.robots = newRobotsCache(c)
	c.gate = newHostGate(&c.opts)
	return c
}

// Transport returns the guarded RoundTripper (SSRF guard, timeouts, post-decompression body cap,
// http/https only) for colly's WithTransport and the like. Set colly's MaxBodySize to 0: it counts
// compressed bytes and truncates silently, while this transport fails at the cap.
func (c *Client) Transport() http.RoundTripper { return c.rt }

// HTTPClient returns an *http.Client over Transport that also limits redirects and stops loops.
func (c *Client) HTTPClient() *http.Client {
	return &http.Client{Transport: c.rt, CheckRedirect: c.checkRedirect(false)}
}

// Allowed applies the client's robots.txt rules (cache, TTL, 5xx/429 deferral) to rawURL without
// fetching it, for callers that fetch through Transport, such as colly in OnRequest (colly's own
// robots handling treats a 5xx robots.txt as "disallow all" and never retries it). It returns nil,
// or an *Error of kind blocked-by-robots, robots-unavailable, ssrf, scheme or invalid-url.
func (c *Client) Allowed(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return newError(rawURL, KindInvalidURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return newError(rawURL, KindScheme, fmt.Errorf("unsupported scheme %q (only http and https)", u.Scheme))
	}
	return c.robots.allowed(ctx, u)
}

// CloseIdleConnections releases pooled connections.
func (c *Client) CloseIdleConnections() { c.rt.base.CloseIdleConnections() }

func (c *Client) checkRedirect(robots bool) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		target := req.URL.String()
		if s := req.URL.Scheme; s != "http" && s != "https" {
			return newError(target, KindScheme, fmt.Errorf("redirect to unsupported scheme %q", s))
		}
		for _, v := range via {
			if v.URL.String() == target {
				return newError(via[0].URL.String(), KindRedirectLoop,
					fmt.Errorf("redirect loop: %s", redirectChain(via, target)))
			}
		}
		if len(via) > c.opts.MaxRedirects {
			return newError(via[0].URL.String(), KindRedirectLoop,
				fmt.Errorf("stopped after %d redirects: %s", c.opts.MaxRedirects, redirectChain(via, target)))
		}
		if robots {
			if err := c.robots.allowed(req.Context(), req.URL); err != nil {
				return err
			}
		}
		return nil
	}
}

func redirectChain(via []*http.Request, next string) string {
	var b strings.Builder
	for _, v := range via {
		b.WriteString(v.URL.String())
		b.WriteString(" -> ")
	}
	b.WriteString(next)
	return b.String()
}

// Get fetches rawURL: robots.txt first, then per-host politeness, then the request with cond's
// validators, retrying 429/502/503/504 and network errors with Retry-After or exponential backoff.
// A 2xx returns the body (decoded to Text for text types); a 304 returns NotModified; anything
// else is an *Error.
func (c *Client) Get(ctx context.Context, rawURL string, cond Conditional) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, newError(rawURL, KindInvalidURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, newError(rawURL, KindScheme, fmt.Errorf("unsupported scheme %q (only http and https)", u.Scheme))
	}
	if u.Host == "" {
		return nil, newError(rawURL, KindInvalidURL, errors.New("no host"))
	}
	if err := c.robots.allowed(ctx, u); err != nil {
		return nil, err
	}
	log := c.log.With("url", rawURL)
	for attempt := 0; ; attempt++ {
		resp, retryAfter, err := c.attempt(ctx, u, cond)
		if err == nil {
			resp.Attempts = attempt + 1
			log.Debug("fetched", "status", resp.StatusCode, "bytes", len(resp.Body), "charset", resp.Charset, "charset_source", resp.CharsetSource)
			return resp, nil
		}
		var fe *Error
		if attempt >= c.opts.MaxRetries || !errors.As(err, &fe) || !retryableAttempt(fe) {
			return nil, err
		}
		wait := c.backoff(attempt)
		if retryAfter > 0 {
			wait = min(retryAfter, c.opts.MaxRetryWait)
		}
		log.Info("retrying", "attempt", attempt+1, "wait", wait, "error", err)
		c.gate.holdOff(u.Host, c.opts.Now().Add(wait))
	}
}

func retryableAttempt(e *Error) bool {
	switch e.Kind {
	case KindNetwork:
		return true
	case KindStatus:
		switch e.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
	}
	return false
}

// backoff is exponential with jitter in [d/2, d], so that many clients do not retry in step.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opts.RetryBase << min(attempt, 20)
	if d <= 0 || d > c.opts.MaxRetryWait {
		d = c.opts.MaxRetryWait
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// attempt makes one request. It returns the Retry-After delay the server asked for, if any.
func (c *Client) attempt(ctx context.Context, u *url.URL, cond Conditional) (*Response, time.Duration, error) {
	rawURL := u.String()
	release, err := c.gate.acquire(ctx, u.Host, c.delayFor(u))
	if err != nil {
		return nil, 0, newError(rawURL, KindCanceled, err)
	}
	defer release()
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, newError(rawURL, KindInvalidURL, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
	if cond.ETag != "" {
		req.Header.Set("If-None-Match", cond.ETag)
	}
	if cond.LastModified != "" {
		req.Header.Set("If-Modified-Since", cond.LastModified)
	}
	hr, err := c.hc.Do(req)
	if err != nil {
		return nil, 0, c.wrap(rawURL, ctx, actx, err)
	}
	defer hr.Body.Close()
	final := hr.Request.URL.String()
	resp := &Response{
		URL: final, StatusCode: hr.StatusCode, Header: hr.Header,
		ETag: hr.Header.Get("ETag"), LastModified: hr.Header.Get("Last-Modified"),
	}
	switch {
	case hr.StatusCode == http.StatusNotModified:
		resp.NotModified = true
		if resp.ETag == "" {
			resp.ETag = cond.ETag
		}
		if resp.LastModified == "" {
			resp.LastModified = cond.LastModified
		}
		return resp, 0, nil
	case hr.StatusCode >= 200 && hr.StatusCode < 300:
		body, err := io.ReadAll(hr.Body)
		if err != nil {
			return nil, 0, c.wrap(final, ctx, actx, err)
		}
		resp.Body = body
		ct := hr.Header.Get("Content-Type")
		if IsText(ct, body) {
			d := DecodeText(body, ct)
			resp.Text, resp.Charset, resp.CharsetSource = d.Text, d.Charset, d.Source
			resp.Invalid, resp.ControlChars = d.Invalid, d.ControlChars
		}
		return resp, 0, nil
	}
	// Read a little of an error body so the connection can be reused, no more.
	_, _ = io.Copy(io.Discard, io.LimitReader(hr.Body, 64<<10))
	e := &Error{URL: final, Kind: KindStatus, StatusCode: hr.StatusCode,
		Err: fmt.Errorf("status %s", hr.Status)}
	return nil, parseRetryAfter(hr.Header.Get("Retry-After"), c.opts.Now()), e
}

// wrap returns err as an *Error naming rawURL.
func (c *Client) wrap(rawURL string, parent, actx context.Context, err error) error {
	return classify(rawURL, parent, actx, &c.opts, err)
}

// parseRetryAfter reads delay-seconds or an HTTP-date; 0 means absent or unusable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// delayFor is the gap to keep between requests to u's host: ours or the site's Crawl-delay,
// whichever is longer, the latter capped.
func (c *Client) delayFor(u *url.URL) time.Duration {
	d := c.opts.PerHostDelay
	if cd := c.robots.crawlDelay(u); cd > d {
		d = min(cd, c.opts.MaxCrawlDelay)
		d = max(d, c.opts.PerHostDelay)
	}
	return d
}
