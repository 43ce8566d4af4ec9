// Package demosite serves the bundled demo outlets, each on its own loopback
// port like a separate host, with the {{BASE}} placeholder in pages and
// feeds replaced by that site's address.
package demosite

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"
)

// Site is one served outlet.
type Site struct {
	Name    string // folder name
	BaseURL string // http://127.0.0.1:PORT
	FeedURL string // its RSS or Atom feed
}

// Server is the set of running sites.
type Server struct {
	Sites   []Site
	servers []*http.Server
}

// feedNames are tried in order to find a site's feed.
var feedNames = []string{"rss.xml", "atom.xml", "feed.xml", "feed.json"}

// Start serves every folder of root (fsys) that holds a feed.
func Start(fsys fs.FS) (*Server, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("demosite: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	s := &Server{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub, _ := fs.Sub(fsys, e.Name())
		feed := ""
		for _, f := range feedNames {
			if _, err := fs.Stat(sub, f); err == nil {
				feed = f
				break
			}
		}
		if feed == "" {
			continue
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("demosite: listen: %w", err)
		}
		base := "http://" + ln.Addr().String()
		srv := &http.Server{Handler: Handler(sub, base), ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln)
		s.servers = append(s.servers, srv)
		s.Sites = append(s.Sites, Site{Name: e.Name(), BaseURL: base, FeedURL: base + "/" + feed})
	}
	if len(s.Sites) == 0 {
		return nil, errors.New("demosite: no site folder with a feed")
	}
	return s, nil
}

// Close stops every site.
func (s *Server) Close() {
	for _, srv := range s.servers {
		srv.Close()
	}
}

// modTime is fixed so that conditional requests behave like a real, stable site.
var modTime = time.Date(2025, 11, 28, 12, 0, 0, 0, time.UTC)

// Handler serves fsys with {{BASE}} replaced by base.
func Handler(fsys fs.FS, base string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if p == "" {
			p = "index.html"
		}
		if st, err := fs.Stat(fsys, p); err == nil && st.IsDir() {
			p = path.Join(p, "index.html")
		}
		if p == "robots.txt" {
			if _, err := fs.Stat(fsys, p); err != nil {
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				fmt.Fprint(w, "User-agent: *\nAllow: /\n")
				return
			}
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		ctype := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".xml":
			if bytes.Contains(data[:min(len(data), 400)], []byte("<feed")) {
				ctype = "application/atom+xml; charset=utf-8"
			} else {
				ctype = "application/rss+xml; charset=utf-8"
			}
		case ".html":
			ctype = "text/html; charset=utf-8"
		}
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		if strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "xml") || strings.Contains(ctype, "json") {
			data = bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte(base))
		}
		w.Header().Set("Content-Type", ctype)
		http.ServeContent(w, r, p, modTime, bytes.NewReader(data))
	})
}
