package fetch

import (
	"errors"
	"fmt"
)

// Kind classifies a failed fetch so that callers can branch (skip, retry later, report) without
// parsing messages.
type Kind string

// The kinds of failure a fetch reports. Callers compare with errors.Is(err, fetch.ErrTooLarge) and
// friends, or read (*Error).Kind after errors.As.
const (
	KindBlockedByRobots   Kind = "blocked-by-robots"
	KindRobotsUnavailable Kind = "robots-unavailable" // robots.txt answered 5xx/429 or failed: retry later
	KindSSRF              Kind = "ssrf"
	KindTooLarge          Kind = "too-large"
	KindTimeout           Kind = "timeout"
	KindStatus            Kind = "status"
	KindRedirectLoop      Kind = "redirect-loop"
	KindScheme            Kind = "scheme"
	KindNetwork           Kind = "network"
	KindTLS               Kind = "tls"
	KindInvalidURL        Kind = "invalid-url"
	KindCanceled          Kind = "canceled"
)

// Sentinels that match any *Error of the same Kind under errors.Is.
var (
	ErrBlockedByRobots   = &Error{Kind: KindBlockedByRobots}
	ErrRobotsUnavailable = &Error{Kind: KindRobotsUnavailable}
	ErrSSRF              = &Error{Kind: KindSSRF}
	ErrTooLarge          = &Error{Kind: KindTooLarge}
	ErrTimeout           = &Error{Kind: KindTimeout}
	ErrStatus            = &Error{Kind: KindStatus}
	ErrRedirectLoop      = &Error{Kind: KindRedirectLoop}
	ErrScheme            = &Error{Kind: KindScheme}
	ErrNetwork           = &Error{Kind: KindNetwork}
	ErrTLS               = &Error{Kind: KindTLS}
	ErrInvalidURL        = &Error{Kind: KindInvalidURL}
	ErrCanceled          = &Error{Kind: KindCanceled}
)

// Error is the error returned by the client. It names the URL and the kind of failure, and wraps
// the underlying cause.
type Error struct {
	URL        string
	Kind       Kind
	StatusCode int // for KindStatus (and KindRobotsUnavailable when robots.txt answered)
	Err        error
}

func (e *Error) Error() string {
	msg := string(e.Kind)
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if e.URL == "" {
		return "fetch: " + msg
	}
	return "fetch: " + e.URL + ": " + msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error of the same Kind (a sentinel such as ErrTooLarge).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Kind == e.Kind && (t.URL == "" || t.URL == e.URL)
}

// Retryable reports whether trying again later may succeed.
func (e *Error) Retryable() bool {
	switch e.Kind {
	case KindTimeout, KindNetwork, KindRobotsUnavailable:
		return true
	case KindStatus:
		return e.StatusCode == 429 || e.StatusCode >= 500
	}
	return false
}

// tooLargeError is the cause of a KindTooLarge failure; the transport returns it from Read so that
// even callers that only see the body (colly) fail instead of truncating.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("response exceeds %s after decompression", formatBytes(e.limit))
}

// Is makes a bare body-read error match ErrTooLarge too.
func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// ssrfError is the cause of a KindSSRF failure, produced at dial time.
type ssrfError struct {
	addr   string
	reason string
}

func (e *ssrfError) Error() string {
	return fmt.Sprintf("refusing to connect to %s (%s); set allow_private_networks to permit it", e.addr, e.reason)
}

func (e *ssrfError) Is(target error) bool { return target == ErrSSRF }

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func newError(url string, kind Kind, err error) *Error {
	return &Error{URL: url, Kind: kind, Err: err}
}

// asKind reports the kind of a cause produced inside the transport, if it has one.
func asKind(err error) (Kind, bool) {
	var fe *Error
	switch {
	case errors.As(err, &fe):
		return fe.Kind, true
	case errors.Is(err, ErrTooLarge):
		return KindTooLarge, true
	case errors.Is(err, ErrSSRF):
		return KindSSRF, true
	}
	return "", false
}
