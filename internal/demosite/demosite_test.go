package demosite

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

func TestStart(t *testing.T) {
	fsys := fstest.MapFS{
		"a/rss.xml":            {Data: []byte(`<rss version="2.0"><channel><link>{{BASE}}/</link></channel></rss>`)},
		"a/news/x.html":        {Data: []byte(`<a href="{{BASE}}/news/y.html">y</a>`)},
		"a/stories/index.html": {Data: []byte(`index`)},
		"b/atom.xml":           {Data: []byte(`<feed xmlns="http://www.w3.org/2005/Atom"></feed>`)},
		"nofeed/index.html":    {Data: []byte(`x`)},
		"README.md":            {Data: []byte(`x`)},
	}
	s, err := Start(fsys)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Sites) != 2 || s.Sites[0].Name != "a" || !strings.HasSuffix(s.Sites[1].FeedURL, "/atom.xml") {
		t.Fatalf("sites %+v", s.Sites)
	}
	base := s.Sites[0].BaseURL
	for _, tc := range []struct {
		path, ctype, body string
		code              int
	}{
		{"/rss.xml", "application/rss+xml", "<link>" + base + "/</link>", 200},
		{"/news/x.html", "text/html", base + "/news/y.html", 200},
		{"/stories/", "text/html", "index", 200},
		{"/robots.txt", "text/plain", "Allow: /", 200},
		{"/../b/atom.xml", "", "", 404},
		{"/missing.html", "", "", 404},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, err := http.Get(base + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.code || !strings.Contains(resp.Header.Get("Content-Type"), tc.ctype) || !strings.Contains(string(body), tc.body) {
				t.Fatalf("%d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		})
	}
	if _, err := Start(fstest.MapFS{"x/index.html": {Data: []byte("x")}}); err == nil {
		t.Error("Start without feeds succeeded")
	}
}
