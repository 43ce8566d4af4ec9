// Package api serves Mirsad's HTTP JSON API and its web page. Handlers are
// thin: parse the request, call the service once, write the answer.
package api

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/search"
)

// Searcher is what the API needs of the search service.
type Searcher interface {
	Search(ctx context.Context, q search.Query) (*search.Result, error)
	Document(ctx context.Context, id string) (*document.Article, error)
	Export(ctx context.Context, q search.Query, limit int, fn func(search.Hit) error) error
	Claims(ctx context.Context, q search.ClaimQuery) (*search.ClaimResult, error)
	SearchEntities(ctx context.Context, q string, limit int) (*search.EntityResult, error)
}

//go:embed web
var webFS embed.FS

// Server holds the handlers.
type Server struct {
	svc     Searcher
	logger  *slog.Logger
	metrics *Metrics
	mounts  map[string]http.Handler
}

// Options configure a Server beyond its search service.
type Options struct {
	Logger  *slog.Logger
	Metrics *Metrics // nil: a registry of the API's own metrics only
	// Mounts adds handlers of other packages (alerts, run history) under
	// their mux patterns, e.g. "/api/subscriptions/".
	Mounts map[string]http.Handler
}

// New returns a Server.
func New(svc Searcher, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics(nil)
	}
	return &Server{svc: svc, logger: opts.Logger, metrics: opts.Metrics, mounts: opts.Mounts}
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/search", s.wrap(s.search))
	mux.Handle("GET /api/documents/{id}", s.wrap(s.document))
	mux.Handle("GET /api/claims", s.wrap(s.claims))
	mux.Handle("GET /api/entities", s.wrap(s.entities))
	mux.Handle("GET /api/search.csv", s.export("csv"))
	mux.Handle("GET /api/search.jsonl", s.export("jsonl"))
	mux.Handle("GET /metrics", s.metrics.handler())
	for pattern, h := range s.mounts {
		mux.Handle(pattern, h)
	}
	mux.Handle("GET /healthz", s.wrap(func(*http.Request) (any, error) { return map[string]string{"status": "ok"}, nil }))
	mux.Handle("/api/", s.wrap(func(r *http.Request) (any, error) {
		return nil, &httpError{http.StatusNotFound, fmt.Sprintf("no API endpoint %s %s", r.Method, r.URL.Path)}
	}))
	static, _ := fs.Sub(webFS, "web")
	mux.Handle("/", http.FileServerFS(static))
	return s.recoverer(s.metrics.instrument(mux))
}

type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

type apiFunc func(r *http.Request) (any, error)

// wrap is the single place that writes JSON answers.
func (s *Server) wrap(f apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := f(r)
		if _, ok := err.(*exportRedirect); ok {
			s.export("").ServeHTTP(w, r)
			return
		}
		if err != nil {
			writeError(w, s, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	})
}

// exportRedirect sends /api/search?format=jsonl|csv to the streaming export.
type exportRedirect struct{}

func (*exportRedirect) Error() string { return "export" }

// writeError is the single place that writes {"error"} bodies: request
// errors say what to fix, internal ones are logged and not leaked.
func writeError(w http.ResponseWriter, s *Server, r *http.Request, err error) {
	status, msg := http.StatusInternalServerError, "internal error"
	var he *httpError
	switch {
	case errors.As(err, &he):
		status, msg = he.status, he.msg
	case errors.Is(err, search.ErrBadQuery):
		status, msg = http.StatusBadRequest, err.Error()
	case errors.Is(err, search.ErrNotFound):
		status, msg = http.StatusNotFound, err.Error()
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		status, msg = http.StatusServiceUnavailable, "request cancelled or timed out"
	default:
		s.logger.Error("request failed", "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// recoverer turns a panic in a handler into a 500 so one bad request never
// takes the server down.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.logger.Error("panic in handler", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) search(r *http.Request) (any, error) {
	if f := r.URL.Query().Get("format"); f != "" && f != "json" {
		return nil, &exportRedirect{}
	}
	q, err := ParseQuery(r.URL.Query())
	if err != nil {
		return nil, err
	}
	return s.svc.Search(r.Context(), q)
}

// ParseQuery reads /api/search parameters (shared with the CLI's -json).
func ParseQuery(v url.Values) (search.Query, error) {
	bad := func(format string, args ...any) error {
		return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
	}
	q := search.Query{Text: v.Get("q"), Lang: v.Get("lang"), Source: v.Get("source"), Sort: v.Get("sort"),
		Entities: nonEmpty(v["entity"]), Speaker: v.Get("speaker")}
	switch v.Get("collapse") {
	case "", "true", "1":
	case "false", "0":
		q.NoCollapse = true
	default:
		return q, bad("collapse %q: want true or false", v.Get("collapse"))
	}
	switch v.Get("expand") {
	case "", "entities":
	case "none":
		q.NoExpand = true
	default:
		return q, bad("expand %q: want none or entities", v.Get("expand"))
	}
	var err error
	for name, dst := range map[string]*int{"page": &q.Page, "size": &q.Size} {
		if s := v.Get(name); s != "" {
			if *dst, err = strconv.Atoi(s); err != nil {
				return q, bad("%s %q: want a whole number", name, s)
			}
			if *dst < 1 {
				return q, bad("%s %d: must be at least 1", name, *dst)
			}
		}
	}
	if q.From, err = search.ParseDate(v.Get("from"), false); err != nil {
		return q, bad("from: %v", err)
	}
	if q.To, err = search.ParseDate(v.Get("to"), true); err != nil {
		return q, bad("to: %v", err)
	}
	if q.MentionedFrom, err = search.ParseDate(v.Get("mentioned_from"), false); err != nil {
		return q, bad("mentioned_from: %v", err)
	}
	if q.MentionedTo, err = search.ParseDate(v.Get("mentioned_to"), true); err != nil {
		return q, bad("mentioned_to: %v", err)
	}
	return q, q.Validate()
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (s *Server) claims(r *http.Request) (any, error) {
	q, err := ParseQuery(r.URL.Query())
	if err != nil {
		return nil, err
	}
	return s.svc.Claims(r.Context(), search.ClaimQuery{Text: q.Text, Speaker: q.Speaker, Entities: q.Entities,
		Lang: q.Lang, Mode: r.URL.Query().Get("mode"), From: q.From, To: q.To, Page: q.Page, Size: q.Size})
}

func (s *Server) entities(r *http.Request) (any, error) {
	limit := 20
	if l := r.URL.Query().Get("size"); l != "" {
		var err error
		if limit, err = strconv.Atoi(l); err != nil {
			return nil, &httpError{http.StatusBadRequest, fmt.Sprintf("size %q: want a whole number", l)}
		}
	}
	return s.svc.SearchEntities(r.Context(), r.URL.Query().Get("q"), limit)
}

func (s *Server) document(r *http.Request) (any, error) {
	return s.svc.Document(r.Context(), r.PathValue("id"))
}

// NewHTTPServer returns an http.Server with timeouts set, so slow clients
// cannot hold connections forever.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
	}
}
