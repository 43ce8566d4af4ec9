package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

type memSink struct {
	mu   sync.Mutex
	docs map[string]document.Article
}

func (m *memSink) Put(_ context.Context, a document.Article) (Outcome, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.docs == nil {
		m.docs = map[string]document.Article{}
	}
	old, ok := m.docs[a.ID]
	m.docs[a.ID] = a
	switch {
	case !ok:
		return OutcomeNew, nil
	case old.Body == a.Body:
		return OutcomeUnchanged, nil
	}
	return OutcomeUpdated, nil
}

func TestBodyCapAfterDecompression(t *testing.T) {
	// 64 KiB of gzip that inflates to 8 MiB: the cap must see the inflated size.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("a"), 8<<20))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	}))
	defer srv.Close()
	c := New(Options{MaxBodyBytes: 1 << 20}, nil)
	_, err := c.get(context.Background(), srv.URL)
	if err == nil || !strings.Contains(err.Error(), "exceeds 1048576 bytes") {
		t.Fatalf("err = %v", err)
	}
}

func TestSchemeRefused(t *testing.T) {
	c := New(Options{}, nil)
	sum := c.Run(context.Background(), []Source{{Name: "f", URL: "file:///etc/passwd"}}, &memSink{})
	if sum.Status != "failed" || !strings.Contains(sum.Sources[0].Errors[0].Error, "file:///etc/passwd") {
		t.Fatalf("%+v", sum)
	}
}

func TestDuplicateLinks(t *testing.T) {
	for _, follow := range []bool{false, true} {
		t.Run(fmt.Sprint("follow=", follow), func(t *testing.T) { testDuplicateLinks(t, follow) })
	}
}

func testDuplicateLinks(t *testing.T, follow bool) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		items := ""
		for _, q := range []string{"", "?utm_source=a", "?utm_source=b&fbclid=z"} {
			items += fmt.Sprintf(`<item><title>Same story</title><link>%s/s%s</link><description>&lt;p&gt;Aid trucks crossed at Rafah on &lt;b&gt;Monday&lt;/b&gt;.&lt;/p&gt;</description></item>`, srv.URL, strings.ReplaceAll(q, "&", "&amp;"))
		}
		if r.URL.Path == "/s" {
			io.WriteString(w, `<html><body><article><p>Aid trucks crossed at Rafah on Monday, drivers said, after hours of checks at the gate.</p></article></body></html>`)
			return
		}
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`+items+`</channel></rss>`)
	}))
	defer srv.Close()
	sink := &memSink{}
	sum := New(Options{}, nil).Run(context.Background(), []Source{{Name: "s", URL: srv.URL + "/rss", FollowLinks: follow}}, sink)
	ss := sum.Sources[0]
	if ss.New != 1 || ss.Duplicates != 2 || ss.Failed != 0 {
		t.Fatalf("%+v", ss)
	}
	want, method := "Aid trucks crossed at Rafah on Monday.", "feed"
	if follow {
		want, method = "Aid trucks crossed at Rafah on Monday, drivers said, after hours of checks at the gate.", "generic"
	}
	for _, a := range sink.docs {
		if a.Body != want || a.Extraction["body"] != method {
			t.Errorf("body %q via %s", a.Body, a.Extraction["body"])
		}
	}
}
