package fetch

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gocolly/colly/v2"
)

// TestCollyTransport: colly over Transport fails loudly on a gzip bomb, whether it comes as
// Content-Encoding or as a .xml.gz file (which colly itself would gunzip without any limit).
func TestCollyTransport(t *testing.T) {
	bomb := gzipBomb(t, 64<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/page":
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Content-Type", "text/html")
			w.Write(bomb)
		case "/sitemap.xml.gz":
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(bomb)
		case "/ok.xml.gz":
			w.Header().Set("Content-Type", "application/x-gzip")
			w.Write(gzipBytes(t, "<urlset><url><loc>https://example.org/a</loc></url></urlset>"))
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, func(o *Options) { o.MaxBodyBytes = 4 << 20 })

	tests := []struct {
		path    string
		wantErr bool
	}{{"/page", true}, {"/sitemap.xml.gz", true}, {"/ok.xml.gz", false}}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			col := colly.NewCollector(colly.MaxBodySize(0))
			col.WithTransport(c.Transport())
			var gotErr error
			var body []byte
			col.OnError(func(_ *colly.Response, err error) { gotErr = err })
			col.OnResponse(func(r *colly.Response) { body = r.Body })
			if err := col.Visit(srv.URL + tt.path); err != nil && gotErr == nil {
				gotErr = err
			}
			if tt.wantErr {
				if !errors.Is(gotErr, ErrTooLarge) {
					t.Fatalf("colly error = %v (body %d bytes), want too-large", gotErr, len(body))
				}
				return
			}
			if gotErr != nil || string(body) != "<urlset><url><loc>https://example.org/a</loc></url></urlset>" {
				t.Fatalf("err %v, body %q", gotErr, body)
			}
		})
	}
}
