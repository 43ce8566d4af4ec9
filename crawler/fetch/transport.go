package fetch

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// guardedTransport is the RoundTripper every request goes through: scheme check, whole-request
// timeout (kept running until the body is closed), our own gzip decoding and a body cap that
// applies after decoding and fails loudly. The SSRF guard lives in its dialer.
type guardedTransport struct {
	base *http.Transport
	opts *Options
}

func newBaseTransport(o *Options) *http.Transport {
	d := &net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30e9}
	if !o.AllowPrivateNetworks {
		d.Control = dialControl(o.testExemptDial)
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if o.TLSConfig != nil {
		tlsConf = o.TLSConfig.Clone()
	}
	return &http.Transport{
		Proxy:                  nil, // a proxy would be dialled instead of the target and void the guard
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    o.HeaderTimeout,
		ResponseHeaderTimeout:  o.HeaderTimeout,
		ExpectContinueTimeout:  1e9,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    max(2, o.PerHostConcurrency),
		IdleConnTimeout:        90e9,
		MaxResponseHeaderBytes: 1 << 20,
		DisableCompression:     true, // we decode gzip ourselves so the cap counts decoded bytes
	}
}

func (t *guardedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rawURL := req.URL.String()
	if s := req.URL.Scheme; s != "http" && s != "https" {
		closeReqBody(req)
		return nil, newError(rawURL, KindScheme, fmt.Errorf("unsupported scheme %q (only http and https)", s))
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.opts.Timeout)
	r2 := req.Clone(ctx)
	if r2.Header.Get("User-Agent") == "" {
		r2.Header.Set("User-Agent", t.opts.UserAgent)
	}
	r2.Header.Set("Accept-Encoding", "gzip")
	resp, err := t.base.RoundTrip(r2)
	if err != nil {
		err = classify(rawURL, req.Context(), ctx, t.opts, err)
		cancel()
		return nil, err
	}
	limit := t.opts.MaxBodyBytes
	var body io.Reader = resp.Body
	ce := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	switch {
	case ce == "gzip" || ce == "x-gzip":
		body = &lazyGzip{src: resp.Body}
		markDecoded(resp)
	case ce == "" && gzipFile(req, resp):
		// A .gz file (sitemaps) without Content-Encoding: colly would gunzip it after its
		// own size limit, unbounded. Decode it here so the cap counts decoded bytes for everyone.
		br := bufio.NewReader(resp.Body)
		body = br
		if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
			body = &lazyGzip{src: br}
			markDecoded(resp)
		}
	case resp.ContentLength > limit:
		// Declared too large: fail before reading a byte.
		resp.Body.Close()
		cancel()
		return nil, newError(rawURL, KindTooLarge, &tooLargeError{limit: limit})
	}
	resp.Body = &cappedBody{
		r: body, closer: resp.Body, limit: limit, url: rawURL,
		parent: req.Context(), ctx: ctx, cancel: cancel, opts: t.opts,
	}
	return resp, nil
}

func gzipFile(req *http.Request, resp *http.Response) bool {
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	return strings.HasSuffix(strings.ToLower(req.URL.Path), ".gz") || strings.Contains(ct, "gzip")
}

// markDecoded tells downstream readers (colly checks Uncompressed) that the body is decoded.
func markDecoded(resp *http.Response) {
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	resp.Uncompressed = true
}

func closeReqBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// classify turns a transport error into an *Error. parent is the caller's context, ctx the one
// carrying our own timeout.
func classify(rawURL string, parent, ctx context.Context, o *Options, err error) error {
	var fe *Error
	if errors.As(err, &fe) {
		if fe.URL == "" {
			fe.URL = rawURL
		}
		return fe
	}
	var se *ssrfError
	if errors.As(err, &se) {
		return newError(rawURL, KindSSRF, se)
	}
	if parent.Err() != nil {
		if errors.Is(parent.Err(), context.DeadlineExceeded) {
			return newError(rawURL, KindTimeout, fmt.Errorf("deadline exceeded: %w", err))
		}
		return newError(rawURL, KindCanceled, parent.Err())
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return newError(rawURL, KindTimeout, fmt.Errorf("request took longer than %s: %w", o.Timeout, context.DeadlineExceeded))
	}
	var certErr x509.CertificateInvalidError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var tlsRec tls.RecordHeaderError
	var tlsCert *tls.CertificateVerificationError
	if errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) ||
		errors.As(err, &tlsRec) || errors.As(err, &tlsCert) {
		return newError(rawURL, KindTLS, fmt.Errorf("tls: %w", err))
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return newError(rawURL, KindTimeout, err)
	}
	return newError(rawURL, KindNetwork, err)
}

// lazyGzip defers gzip.NewReader to the first Read, so an empty body (HEAD, 204, 304) or a broken
// header surfaces as a read error rather than in RoundTrip.
type lazyGzip struct {
	src io.Reader
	zr  *gzip.Reader
	err error
}

func (g *lazyGzip) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.zr == nil {
		zr, err := gzip.NewReader(g.src)
		if err != nil {
			if err == io.EOF {
				g.err = io.EOF
			} else {
				g.err = fmt.Errorf("gzip: %w", err)
			}
			return 0, g.err
		}
		g.zr = zr
	}
	return g.zr.Read(p)
}

// cappedBody delivers at most limit bytes and then fails with KindTooLarge: a caller that reads to
// EOF can never mistake a truncated body for a whole one.
type cappedBody struct {
	r      io.Reader
	closer io.Closer
	limit  int64
	n      int64
	url    string
	parent context.Context
	ctx    context.Context
	cancel context.CancelFunc
	opts   *Options
	err    error
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if room := b.limit + 1 - b.n; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if b.n > b.limit {
		n -= int(b.n - b.limit)
		b.err = newError(b.url, KindTooLarge, &tooLargeError{limit: b.limit})
		b.cancel() // stop the transfer now rather than draining a 2 GB stream
		return n, b.err
	}
	if err != nil && err != io.EOF {
		b.err = classify(b.url, b.parent, b.ctx, b.opts, err)
		return n, b.err
	}
	return n, err
}

func (b *cappedBody) Close() error {
	err := b.closer.Close()
	b.cancel()
	return err
}
