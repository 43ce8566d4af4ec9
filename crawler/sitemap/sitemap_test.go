package sitemap

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParse(t *testing.T) {
	t.Run("google news urlset", func(t *testing.T) {
		sm, err := Parse(readTestdata(t, "news.xml"), "https://wire.example/sitemap.xml")
		if err != nil {
			t.Fatal(err)
		}
		if len(sm.URLs) != 2 || len(sm.Sitemaps) != 0 {
			t.Fatalf("%+v", sm)
		}
		u := sm.URLs[0]
		if u.Title != "كالين يصل إلى القاهرة لبحث المرحلة الثانية" || u.Language != "ar" ||
			!u.Published.Equal(time.Date(2025, 11, 3, 7, 0, 0, 0, time.UTC)) ||
			!u.LastMod.Equal(time.Date(2025, 11, 3, 8, 15, 0, 0, time.UTC)) {
			t.Errorf("news url %+v", u)
		}
		if v := sm.URLs[1]; v.Loc != "https://wire.example/en/2025/11/04/rafah" || v.Title != "" || !v.LastMod.Equal(time.Date(2025, 11, 4, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("plain url %+v", v)
		}
	})
	t.Run("index", func(t *testing.T) {
		sm, err := Parse(readTestdata(t, "index.xml"), "https://wire.example/sitemap_index.xml")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"https://wire.example/sitemaps/news.xml.gz", "https://wire.example/sitemaps/2025-10.xml"}
		if strings.Join(sm.Sitemaps, " ") != strings.Join(want, " ") || len(sm.URLs) != 0 {
			t.Errorf("%+v", sm)
		}
	})
	for _, tc := range []struct {
		name, doc string
		wantErr   error
		wantURLs  int
	}{
		{"rss is not a sitemap", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, ErrNotSitemap, 0},
		{"empty", ``, ErrNotSitemap, 0},
		{"html", `<!DOCTYPE html><html><body>no</body></html>`, ErrNotSitemap, 0},
		{"truncated keeps whole urls", `<urlset><url><loc>https://a.example/1</loc></url><url><loc>https://a.example/2</lo`, nil, 1},
		{"entities are not expanded", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><urlset><url><loc>https://a.example/&lol2;</loc></url></urlset>`, nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sm, err := Parse([]byte(tc.doc), "https://a.example/sitemap.xml")
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(sm.URLs) != tc.wantURLs {
				t.Fatalf("%+v %v", sm, err)
			}
			if strings.Contains(sm.URLs[0].Loc, "lollol") {
				t.Errorf("entity expanded: %s", sm.URLs[0].Loc)
			}
		})
	}
}

func TestDecompress(t *testing.T) {
	plain := readTestdata(t, "news.xml")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	for _, tc := range []struct {
		name    string
		in      []byte
		max     int64
		want    []byte
		wantErr string
	}{
		{"plain passes through", plain, 10, plain, ""},
		{"gzip", gz.Bytes(), 1 << 20, plain, ""},
		{"over the cap fails", gz.Bytes(), 100, nil, "exceeds 100 bytes"},
		{"broken gzip", append([]byte{0x1f, 0x8b}, "garbage"...), 1 << 20, nil, "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decompress(tc.in, tc.max)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Fatalf("err %v, %d bytes", err, len(got))
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readTestdata(f, "news.xml"))
	f.Add(readTestdata(f, "index.xml"))
	f.Add([]byte(`<urlset><url><loc>x</loc><lastmod>2025</lastmod></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc>//evil.example/a</loc></sitemap>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sm, err := Parse(data, "https://a.example/sitemap.xml")
		if err != nil {
			return
		}
		locs := append([]string{}, sm.Sitemaps...)
		for _, u := range sm.URLs {
			locs = append(locs, u.Loc)
		}
		for _, l := range locs {
			u, err := url.Parse(l)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("not an absolute http(s) URL: %q", l)
			}
		}
	})
}
