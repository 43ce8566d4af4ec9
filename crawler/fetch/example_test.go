package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/mirsad-observatory/mirsad/crawler/fetch"
	"golang.org/x/text/encoding/charmap"
)

func Example() {
	body, _ := charmap.Windows1256.NewEncoder().String("<rss><channel><title>هدنة غزة</title></channel></rss>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/rss+xml; charset=windows-1256")
		io.WriteString(w, body)
	}))
	defer srv.Close()

	c := fetch.New(fetch.Options{AllowPrivateNetworks: true}, nil) // loopback demo server
	resp, err := c.Get(context.Background(), srv.URL+"/rss.xml", fetch.Conditional{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Text)
	fmt.Println(resp.Charset, resp.CharsetSource)

	again, _ := c.Get(context.Background(), srv.URL+"/rss.xml", fetch.Conditional{ETag: resp.ETag})
	fmt.Println("not modified:", again.NotModified)

	_, err = c.Get(context.Background(), "file:///etc/passwd", fetch.Conditional{})
	fmt.Println(errors.Is(err, fetch.ErrScheme), err)
	// Output:
	// <rss><channel><title>هدنة غزة</title></channel></rss>
	// windows-1256 header
	// not modified: true
	// true fetch: file:///etc/passwd: unsupported scheme "file" (only http and https)
}
