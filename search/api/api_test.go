package api

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/search"
)

// fake answers from a fixed list so handler behaviour is tested alone.
type fake struct{ hits []search.Hit }

func (f *fake) Search(_ context.Context, q search.Query) (*search.Result, error) {
	if q.Text == "panic" {
		panic("boom")
	}
	return &search.Result{Total: uint64(len(f.hits)), Hits: f.hits}, nil
}

func (f *fake) Document(_ context.Context, id string) (*document.Article, error) {
	return nil, fmt.Errorf("%w: %s", search.ErrNotFound, id)
}

func (f *fake) Claims(context.Context, search.ClaimQuery) (*search.ClaimResult, error) {
	return &search.ClaimResult{}, nil
}

func (f *fake) SearchEntities(context.Context, string, int) (*search.EntityResult, error) {
	return &search.EntityResult{}, nil
}

func (f *fake) Export(_ context.Context, q search.Query, limit int, fn func(search.Hit) error) error {
	for i, h := range f.hits {
		if i >= limit {
			break
		}
		if err := fn(h); err != nil {
			return err
		}
	}
	return nil
}

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	f := &fake{}
	for i := range 3 {
		f.hits = append(f.hits, search.Hit{ID: fmt.Sprint("d", i), Title: "محادثات، \"القاهرة\" " + fmt.Sprint(i), Lang: "ar", Source: "nile",
			URL: "http://x/" + fmt.Sprint(i), Published: time.Date(2025, 10, 10+i, 0, 0, 0, 0, time.UTC)})
	}
	srv := httptest.NewServer(New(f, Options{Mounts: map[string]http.Handler{
		"GET /api/extra": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "mounted") }),
	}}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestPanicIsA500AndServerGoesOn(t *testing.T) {
	srv := newServer(t)
	resp, body := get(t, srv.URL+"/api/search?q=panic")
	if resp.StatusCode != 500 || !strings.Contains(body, `"error"`) || strings.Contains(body, "boom") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if resp, _ := get(t, srv.URL+"/healthz"); resp.StatusCode != 200 {
		t.Fatalf("after panic: %d", resp.StatusCode)
	}
}

func TestExport(t *testing.T) {
	srv := newServer(t)
	t.Run("csv", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/api/search.csv?q=x")
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(body, "\uFEFF") {
			t.Fatalf("%s %q", resp.Header.Get("Content-Type"), body[:10])
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
		if err != nil || len(rows) != 4 || rows[0][0] != "id" || rows[1][4] != `محادثات، "القاهرة" 0` {
			t.Fatalf("rows %v %v", rows, err)
		}
	})
	t.Run("jsonl via format and limit", func(t *testing.T) {
		_, body := get(t, srv.URL+"/api/search?q=x&format=jsonl&limit=2")
		lines := strings.Split(strings.TrimSpace(body), "\n")
		if len(lines) != 2 {
			t.Fatalf("lines %q", lines)
		}
		var h search.Hit
		if err := json.Unmarshal([]byte(lines[1]), &h); err != nil || h.ID != "d1" {
			t.Fatalf("%v %+v", err, h)
		}
	})
	for _, bad := range []string{"/api/search.csv?limit=20000", "/api/search?format=xml", "/api/search.jsonl?size=0&lang=fr"} {
		t.Run(bad, func(t *testing.T) {
			resp, body := get(t, srv.URL+bad)
			if resp.StatusCode != 400 || !json.Valid([]byte(body)) {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	}
}

func TestMetricsAndMounts(t *testing.T) {
	srv := newServer(t)
	get(t, srv.URL+"/api/search?q=x")
	_, body := get(t, srv.URL+"/metrics")
	if !strings.Contains(body, `mirsad_http_request_duration_seconds_count{code="200",route="GET /api/search"} 1`) {
		t.Errorf("latency not recorded:\n%s", body)
	}
	if resp, body := get(t, srv.URL+"/api/extra"); resp.StatusCode != 200 || body != "mounted" {
		t.Errorf("mount: %d %s", resp.StatusCode, body)
	}
}

func TestNotFoundIsJSON(t *testing.T) {
	srv := newServer(t)
	for _, p := range []string{"/api/documents/x", "/api/zzz"} {
		resp, body := get(t, srv.URL+p)
		if resp.StatusCode != 404 || !json.Valid([]byte(body)) {
			t.Errorf("%s: %d %s", p, resp.StatusCode, body)
		}
	}
}
