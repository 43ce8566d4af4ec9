package alert

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Limits of the HTTP API.
const (
	MaxBodyBytes  = 64 << 10
	feedEntries   = 50
	maxDeliveries = 200
)

// Handler serves the subscription API; the lead mounts it on the main mux:
//
//	GET    /api/subscriptions
//	POST   /api/subscriptions
//	DELETE /api/subscriptions/{id}
//	GET    /api/subscriptions/{id}/deliveries
//	GET    /api/subscriptions/{id}/feed   (Atom)
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /api/subscriptions", s.wrap(s.apiList))
	mux.Handle("POST /api/subscriptions", s.wrap(s.apiCreate))
	mux.Handle("DELETE /api/subscriptions/{id}", s.wrap(s.apiDelete))
	mux.Handle("GET /api/subscriptions/{id}/deliveries", s.wrap(s.apiDeliveries))
	mux.HandleFunc("GET /api/subscriptions/{id}/feed", s.apiFeed)
	return mux
}

type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

type result struct {
	status int
	body   any
}

// wrap is the one place that writes JSON answers and {"error"} bodies.
func (s *Service) wrap(f func(*http.Request) (result, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res, err := f(r)
		if err != nil {
			status, msg := statusOf(err)
			if status >= 500 {
				s.logger.Error("api", "path", r.URL.Path, "err", err)
			}
			res = result{status, map[string]string{"error": msg}}
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if res.status == http.StatusNoContent {
			w.WriteHeader(res.status)
			return
		}
		w.WriteHeader(res.status)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(res.body)
	})
}

func statusOf(err error) (int, string) {
	var he *httpError
	var ve *ValidationError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he.status, he.msg
	case errors.As(err, &ve):
		return http.StatusBadRequest, ve.Error()
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("request body exceeds %d bytes", mbe.Limit)
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, ErrConflict):
		return http.StatusConflict, err.Error()
	}
	return http.StatusInternalServerError, "internal error"
}

func (s *Service) apiList(r *http.Request) (result, error) {
	subs, err := s.Subscriptions(r.Context())
	if err != nil {
		return result{}, err
	}
	if subs == nil {
		subs = []Subscription{}
	}
	return result{http.StatusOK, map[string]any{"subscriptions": subs}}, nil
}

func (s *Service) apiCreate(r *http.Request) (result, error) {
	var sub Subscription
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, MaxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sub); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return result{}, err
		}
		return result{}, &httpError{http.StatusBadRequest, "alert: request body is not a subscription: " + err.Error()}
	}
	if dec.More() {
		return result{}, &httpError{http.StatusBadRequest, "alert: request body holds more than one JSON value"}
	}
	if sub.ID != "" || sub.Origin != "" || !sub.Created.IsZero() || !sub.Updated.IsZero() {
		return result{}, &httpError{http.StatusBadRequest, "alert: id, origin, created and updated are set by the server"}
	}
	for _, w := range append(sub.Webhooks, derefWebhook(sub.Webhook)...) {
		if w.Disabled || w.DisabledAt != nil || w.DisabledReason != "" {
			return result{}, &httpError{http.StatusBadRequest, "alert: webhook disabled state is set by the server"}
		}
	}
	sub.Origin = OriginAPI
	created, err := s.Create(r.Context(), sub)
	if err != nil {
		return result{}, err
	}
	return result{http.StatusCreated, created}, nil
}

func derefWebhook(w *Webhook) []Webhook {
	if w == nil {
		return nil
	}
	return []Webhook{*w}
}

func (s *Service) apiDelete(r *http.Request) (result, error) {
	if err := s.Delete(r.Context(), r.PathValue("id")); err != nil {
		return result{}, err
	}
	return result{status: http.StatusNoContent}, nil
}

func (s *Service) apiDeliveries(r *http.Request) (result, error) {
	sub, err := s.Subscription(r.Context(), r.PathValue("id"))
	if err != nil {
		return result{}, err
	}
	ds, err := s.Deliveries(r.Context(), sub.ID, maxDeliveries)
	if err != nil {
		return result{}, err
	}
	if ds == nil {
		ds = []Delivery{}
	}
	return result{http.StatusOK, map[string]any{"subscription": PayloadSub{ID: sub.ID, Name: sub.Name}, "deliveries": ds}}, nil
}

// Atom 1.0 (RFC 4287) types.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Summary atomText   `xml:"summary"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

func (s *Service) apiFeed(w http.ResponseWriter, r *http.Request) {
	sub, err := s.Subscription(r.Context(), r.PathValue("id"))
	var alerts []Alert
	if err == nil {
		alerts, err = s.Alerts(r.Context(), sub.ID, feedEntries)
	}
	if err != nil {
		s.wrap(func(*http.Request) (result, error) { return result{}, err }).ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_ = s.writeFeed(w, sub, alerts)
}

func (s *Service) writeFeed(w io.Writer, sub Subscription, alerts []Alert) error {
	base := strings.TrimRight(s.opts.BaseURL, "/")
	updated := sub.Updated
	if len(alerts) > 0 {
		updated = alerts[0].Created
	}
	f := atomFeed{
		ID:      "urn:mirsad:subscription:" + sub.ID,
		Title:   "Mirsad: " + sub.Name,
		Updated: updated.UTC().Format(time.RFC3339),
		Links:   []atomLink{{Href: base + "/api/subscriptions/" + sub.ID + "/feed", Rel: "self", Type: "application/atom+xml"}},
		Author:  atomAuthor{Name: "Mirsad"},
	}
	for _, a := range alerts {
		e := atomEntry{
			ID:      "urn:mirsad:alert:" + a.ID,
			Updated: a.Created.UTC().Format(time.RFC3339),
			Summary: atomText{Type: "text", Body: summary(a)},
		}
		if len(a.Story.Documents) > 0 {
			d := a.Story.Documents[0]
			e.Title = d.Title
			// One alternate per entry (RFC 4287 4.1.1); reprints are related.
			for i, doc := range a.Story.Documents {
				rel := "related"
				if i == 0 {
					rel = "alternate"
				}
				e.Links = append(e.Links, atomLink{Href: doc.URL, Rel: rel})
			}
		}
		if e.Title == "" {
			e.Title = "(untitled story)"
		}
		f.Entries = append(f.Entries, e)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	return enc.Encode(f)
}

func summary(a Alert) string {
	var b strings.Builder
	for i, d := range a.Story.Documents {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (%s)", d.Source, d.Published.UTC().Format(time.DateOnly))
	}
	for _, c := range a.Claims {
		fmt.Fprintf(&b, "\n%s: %s", c.Speaker, c.Text)
	}
	return b.String()
}
