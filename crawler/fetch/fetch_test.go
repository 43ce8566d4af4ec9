package fetch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

func mustKind(t *testing.T, err error, kind Kind) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want kind %s", kind)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("error %v (%T) is not a *fetch.Error", err, err)
	}
	if fe.Kind != kind {
		t.Fatalf("kind = %s, want %s (error: %v)", fe.Kind, kind, err)
	}
	if !errors.Is(err, &Error{Kind: kind}) {
		t.Fatalf("errors.Is(err, kind %s) = false", kind)
	}
	if !strings.HasPrefix(err.Error(), "fetch: ") {
		t.Fatalf("message %q lacks the package prefix", err.Error())
	}
	return fe
}

// TestStreamedHugeBody: a server streaming 2 GB (generated on the fly) must fail at the cap, fast,
// and the server must stop sending soon after.
func TestStreamedHugeBody(t *testing.T) {
	const total = 2 << 30
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/declared" {
			w.Header().Set("Content-Length", fmt.Sprint(total))
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		chunk := bytes.Repeat([]byte("<item>x</item>\n"), 4096)
		for sent.Load() < total {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	for _, path := range []string{"/chunked", "/declared"} {
		t.Run(path, func(t *testing.T) {
			sent.Store(0)
			c, _ := newTestClient(t, func(o *Options) { o.MaxBodyBytes = 1 << 20 })
			start := time.Now()
			_, err := c.Get(context.Background(), srv.URL+path, Conditional{})
			mustKind(t, err, KindTooLarge)
			if !strings.Contains(err.Error(), "response exceeds 1 MiB after decompression") {
				t.Errorf("message = %q", err)
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %s to fail; the cap should stop the download at once", el)
			}
			time.Sleep(100 * time.Millisecond)
			if s := sent.Load(); s > 256<<20 {
				t.Errorf("server sent %d bytes; the client kept reading", s)
			}
		})
	}
}

func gzipBomb(t *testing.T, size int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for i := 0; i < size>>20; i++ {
		zw.Write(zeros)
	}
	zw.Close()
	return buf.Bytes()
}

func gzipBytes(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.Bytes()
}

// TestGzipBomb: 64 MiB of zeros in ~64 KiB of gzip. The cap counts decoded bytes, for Get and for
// anyone using Transport (colly counts compressed bytes and would let it through).
func TestGzipBomb(t *testing.T) {
	bomb := gzipBomb(t, 64<<20)
	small := gzipBytes(t, "<rss><channel><title>ok</title></channel></rss>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding = %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/xml")
		switch r.URL.Path {
		case "/bomb.xml":
			w.Write(bomb)
		case "/small.xml":
			w.Write(small)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	if len(bomb) > 1<<20 {
		t.Fatalf("bomb is %d bytes compressed; expected far below the cap", len(bomb))
	}
	c, _ := newTestClient(t, func(o *Options) { o.MaxBodyBytes = 4 << 20 })

	_, err := c.Get(context.Background(), srv.URL+"/bomb.xml", Conditional{})
	mustKind(t, err, KindTooLarge)

	resp, err := c.Get(context.Background(), srv.URL+"/small.xml", Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.Text, "<title>ok</title>") {
		t.Errorf("small gzip body not decoded: %q", resp.Body)
	}

	// The colly path: a plain http.Client over Transport, reading the body itself.
	hc := &http.Client{Transport: c.Transport()}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/bomb.xml", nil)
	req.Header.Set("Accept-Encoding", "gzip") // colly sets it; we must still decode before capping
	r, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	n, err := io.Copy(io.Discard, r.Body)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("reading through Transport: err = %v after %d bytes, want too-large", err, n)
	}
	if n != 4<<20 {
		t.Errorf("delivered %d bytes before failing, want exactly the cap %d", n, 4<<20)
	}
}

// TestSlowLoris: a server that trickles its headers one byte at a time must hit the header timeout.
func TestSlowLoris(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				resp := "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
				if req.URL.Path == "/robots.txt" {
					io.WriteString(conn, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
					// keep serving on this connection
					if req, err = http.ReadRequest(br); err != nil {
						return
					}
				}
				_ = req
				for i := 0; ; i++ {
					if _, err := conn.Write([]byte{resp[i%len(resp)]}); err != nil {
						return
					}
					select {
					case <-done:
						return
					case <-time.After(50 * time.Millisecond):
					}
				}
			}()
		}
	}()
	c, _ := newTestClient(t, func(o *Options) { o.HeaderTimeout = 400 * time.Millisecond })
	start := time.Now()
	_, err = c.Get(context.Background(), "http://"+ln.Addr().String()+"/feed", Conditional{})
	mustKind(t, err, KindTimeout)
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("took %s; the header timeout is 400ms", el)
	}
}

// TestSlowBody: headers arrive, the body trickles: the whole-request timeout ends it.
func TestSlowBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		for i := 0; i < 1000; i++ {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, func(o *Options) { o.Timeout = 500 * time.Millisecond })
	start := time.Now()
	_, err := c.Get(context.Background(), srv.URL+"/slow", Conditional{})
	mustKind(t, err, KindTimeout)
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("took %s; the request timeout is 500ms", el)
	}
}

func TestRedirects(t *testing.T) {
	var mux http.ServeMux
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) })
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n == 0 {
			io.WriteString(w, "arrived")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusMovedPermanently)
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	srv := httptest.NewServer(&mux)
	defer srv.Close()
	c, _ := newTestClient(t, nil)

	tests := []struct {
		path string
		kind Kind
		want string
	}{
		{"/a", KindRedirectLoop, "redirect loop: " + srv.URL + "/a -> " + srv.URL + "/b -> " + srv.URL + "/a"},
		{"/chain/11", KindRedirectLoop, "stopped after 10 redirects"},
		{"/chain/10", "", "arrived"},
		{"/to-file", KindScheme, `redirect to unsupported scheme "file"`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := c.Get(context.Background(), srv.URL+tt.path, Conditional{})
			if tt.kind == "" {
				if err != nil {
					t.Fatal(err)
				}
				if resp.Text != tt.want || resp.URL != srv.URL+"/chain/0" {
					t.Errorf("got %q at %s", resp.Text, resp.URL)
				}
				return
			}
			mustKind(t, err, tt.kind)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q lacks %q", err, tt.want)
			}
		})
	}
}

// TestSSRFGuard: with the guard on, the test server stands in for a public site and redirects to
// loopback, the metadata service and a name resolving to loopback; every hop is refused at dial
// time and the internal server is never reached.
func TestSSRFGuard(t *testing.T) {
	var internalHits atomic.Int32
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		internalHits.Add(1)
		io.WriteString(w, "secret")
	}))
	defer internal.Close()
	_, iport, _ := net.SplitHostPort(strings.TrimPrefix(internal.URL, "http://"))

	targets := map[string]string{
		"/to-loopback":   "http://127.0.0.1:" + iport + "/",
		"/to-metadata":   "http://169.254.169.254/latest/meta-data/iam/",
		"/to-localhost":  "http://localhost:" + iport + "/", // a name: judged by the address it resolves to
		"/to-mapped-v6":  "http://[::ffff:127.0.0.1]:" + iport + "/",
		"/to-ten":        "http://10.1.2.3/",
		"/to-zero":       "http://0.0.0.0:" + iport + "/",
		"/to-cgnat":      "http://100.64.0.1/",
		"/to-unique-loc": "http://[fd00:ec2::254]/",
	}
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to, ok := targets[r.URL.Path]; ok {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		http.NotFound(w, r)
	}))
	defer public.Close()

	c, _ := newTestClient(t, func(o *Options) {
		o.AllowPrivateNetworks = false
		o.testExemptDial = exemptServer(public)
		o.DialTimeout = time.Second
	})
	for path := range targets {
		t.Run(path, func(t *testing.T) {
			_, err := c.Get(context.Background(), public.URL+path, Conditional{})
			mustKind(t, err, KindSSRF)
			if !strings.Contains(err.Error(), "allow_private_networks") {
				t.Errorf("message %q does not say how to permit it", err)
			}
		})
	}
	t.Run("direct loopback", func(t *testing.T) {
		guarded, _ := newTestClient(t, func(o *Options) { o.AllowPrivateNetworks = false })
		_, err := guarded.Get(context.Background(), internal.URL+"/", Conditional{})
		mustKind(t, err, KindSSRF)
		hc := guarded.HTTPClient()
		if _, err = hc.Get(internal.URL + "/"); !errors.Is(err, ErrSSRF) {
			t.Errorf("HTTPClient: err = %v, want ssrf", err)
		}
	})
	if n := internalHits.Load(); n != 0 {
		t.Errorf("internal server was reached %d times", n)
	}
	t.Run("allowed when configured", func(t *testing.T) {
		open, _ := newTestClient(t, nil)
		resp, err := open.Get(context.Background(), internal.URL+"/", Conditional{})
		if err != nil || resp.Text != "secret" {
			t.Fatalf("AllowPrivateNetworks: %v %v", resp, err)
		}
	})
}

func TestBlockedAddresses(t *testing.T) {
	tests := []struct {
		addr    string
		blocked bool
	}{
		{"127.0.0.1:80", true},
		{"127.9.9.9:80", true},
		{"[::1]:443", true},
		{"10.0.0.8:80", true},
		{"172.20.1.1:80", true},
		{"192.168.1.1:80", true},
		{"169.254.169.254:80", true},
		{"169.254.1.1:80", true},
		{"100.64.0.1:80", true},
		{"100.127.255.254:80", true},
		{"224.0.0.251:5353", true},
		{"0.0.0.0:80", true},
		{"[::]:80", true},
		{"[::ffff:127.0.0.1]:80", true},
		{"[::ffff:169.254.169.254]:80", true},
		{"[fe80::1%25eth0]:80", true},
		{"[fd00:ec2::254]:80", true},
		{"[ff02::1]:80", true},
		{"255.255.255.255:80", true},
		{"8.8.8.8:443", false},
		{"100.128.0.1:80", false},
		{"172.32.0.1:80", false},
		{"[2606:4700:4700::1111]:443", false},
		{"[::ffff:8.8.8.8]:443", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			addr := strings.Replace(tt.addr, "%25", "%", 1)
			err := checkDial(addr, nil)
			if got := err != nil; got != tt.blocked {
				t.Fatalf("blocked = %v (%v), want %v", got, err, tt.blocked)
			}
			if err != nil && !errors.Is(err, ErrSSRF) {
				t.Errorf("error %v does not match ErrSSRF", err)
			}
		})
	}
}

func TestScheme(t *testing.T) {
	c, _ := newTestClient(t, nil)
	for _, u := range []string{"file:///etc/passwd", "ftp://example.org/feed.xml", "gopher://example.org/", "javascript:alert(1)"} {
		t.Run(u, func(t *testing.T) {
			_, err := c.Get(context.Background(), u, Conditional{})
			mustKind(t, err, KindScheme)
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			if req != nil {
				_, err = c.Transport().RoundTrip(req)
				mustKind(t, err, KindScheme)
			}
		})
	}
}

func TestRobots(t *testing.T) {
	var pageHits sync.Map
	robotsStatus := atomic.Int32{}
	robotsStatus.Store(200)
	robotsBody := readTestdata(t, "robots.txt")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			if s := int(robotsStatus.Load()); s != 200 {
				w.WriteHeader(s)
				return
			}
			io.WriteString(w, robotsBody)
			return
		}
		n, _ := pageHits.LoadOrStore(r.URL.Path, new(atomic.Int32))
		n.(*atomic.Int32).Add(1)
		io.WriteString(w, "page "+r.URL.Path)
	}))
	defer srv.Close()
	hits := func(p string) int32 {
		n, ok := pageHits.Load(p)
		if !ok {
			return 0
		}
		return n.(*atomic.Int32).Load()
	}

	t.Run("disallow", func(t *testing.T) {
		c, clk := newTestClient(t, func(o *Options) { o.MaxCrawlDelay = 10 * time.Second })
		_, err := c.Get(context.Background(), srv.URL+"/secret/plans", Conditional{})
		mustKind(t, err, KindBlockedByRobots)
		if hits("/secret/plans") != 0 {
			t.Error("disallowed page was fetched")
		}
		mustKind(t, c.Allowed(context.Background(), srv.URL+"/secret/other"), KindBlockedByRobots)
		if err := c.Allowed(context.Background(), srv.URL+"/news/2"); err != nil {
			t.Errorf("Allowed(/news/2) = %v", err)
		}
		// Our group, not "*", applies: /private/ is open to Mirsad, the Allow carve-out too.
		for _, p := range []string{"/private/x", "/secret/press-release", "/news"} {
			if _, err := c.Get(context.Background(), srv.URL+p, Conditional{}); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		}
		// Crawl-delay 90 is honoured up to MaxCrawlDelay (10s) between the three requests.
		var waited []time.Duration
		for _, s := range clk.Sleeps() {
			if s > 0 {
				waited = append(waited, s)
			}
		}
		if len(waited) != 2 || waited[0] != 10*time.Second || waited[1] != 10*time.Second {
			t.Errorf("waits between requests = %v, want [10s 10s]", waited)
		}
	})

	t.Run("503 defers, then recovers", func(t *testing.T) {
		robotsStatus.Store(503)
		defer robotsStatus.Store(200)
		c, clk := newTestClient(t, func(o *Options) { o.RobotsErrorTTL = time.Minute })
		_, err := c.Get(context.Background(), srv.URL+"/news/1", Conditional{})
		fe := mustKind(t, err, KindRobotsUnavailable)
		if !fe.Retryable() || fe.StatusCode != 503 {
			t.Errorf("Retryable = %v, StatusCode = %d", fe.Retryable(), fe.StatusCode)
		}
		if hits("/news/1") != 0 {
			t.Error("page fetched although robots.txt was unavailable")
		}
		robotsStatus.Store(200)
		_, err = c.Get(context.Background(), srv.URL+"/news/1", Conditional{})
		mustKind(t, err, KindRobotsUnavailable) // still within RobotsErrorTTL: cached deferral
		clk.Advance(2 * time.Minute)
		if _, err := c.Get(context.Background(), srv.URL+"/news/1", Conditional{}); err != nil {
			t.Fatalf("after the deferral: %v", err)
		}
	})

	t.Run("404 allows all", func(t *testing.T) {
		robotsStatus.Store(404)
		defer robotsStatus.Store(200)
		c, _ := newTestClient(t, nil)
		if _, err := c.Get(context.Background(), srv.URL+"/secret/x", Conditional{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRetryAfter(t *testing.T) {
	clk0 := newFakeClock()
	tests := []struct {
		name      string
		status    int
		header    string
		failures  int
		wantSleep time.Duration // first wait; 0: backoff in [0.5s, 1s]
		wantErr   bool
	}{
		{"seconds", 429, "7", 1, 7 * time.Second, false},
		{"http date", 503, clk0.Now().Add(30 * time.Second).Format(http.TimeFormat), 1, 30 * time.Second, false},
		{"clamped", 429, "86400", 1, 2 * time.Minute, false},
		{"backoff without header", 503, "", 2, 0, false},
		{"gives up", 429, "1", 10, time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				if int(calls.Add(1)) <= tt.failures {
					if tt.header != "" {
						w.Header().Set("Retry-After", tt.header)
					}
					w.WriteHeader(tt.status)
					return
				}
				io.WriteString(w, "ok")
			}))
			defer srv.Close()
			c, clk := newTestClient(t, nil)
			resp, err := c.Get(context.Background(), srv.URL+"/feed", Conditional{})
			if tt.wantErr {
				fe := mustKind(t, err, KindStatus)
				if fe.StatusCode != tt.status || calls.Load() != 4 {
					t.Errorf("status %d after %d calls, want %d after 4 (1 + 3 retries)", fe.StatusCode, calls.Load(), tt.status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.Text != "ok" || resp.Attempts != tt.failures+1 {
				t.Errorf("text %q after %d attempts", resp.Text, resp.Attempts)
			}
			sleeps := clk.Sleeps()
			if len(sleeps) != tt.failures {
				t.Fatalf("sleeps = %v, want %d", sleeps, tt.failures)
			}
			if tt.wantSleep > 0 && sleeps[0] != tt.wantSleep {
				t.Errorf("first wait = %s, want %s", sleeps[0], tt.wantSleep)
			}
			if tt.wantSleep == 0 {
				if sleeps[0] < 500*time.Millisecond || sleeps[0] > time.Second ||
					sleeps[1] < time.Second || sleeps[1] > 2*time.Second {
					t.Errorf("backoff waits = %v, want ~[0.5s-1s, 1s-2s]", sleeps)
				}
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 10, 10, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"120", 2 * time.Minute},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"soon", 0},
		{"", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"999999999999", 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := parseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// selfSignedTLS returns a certificate for 127.0.0.1 valid in [notBefore, notAfter] and a pool
// trusting it.
func selfSignedTLS(t *testing.T, notBefore, notAfter time.Time) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mirsad test"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func TestTLSCertificate(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name        string
		from, until time.Time
		wantErr     string
	}{
		{"expired", now.Add(-48 * time.Hour), now.Add(-24 * time.Hour), "expired"},
		{"valid", now.Add(-time.Hour), now.Add(time.Hour), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cert, pool := selfSignedTLS(t, tt.from, tt.until)
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "over tls")
			}))
			srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
			srv.StartTLS()
			defer srv.Close()
			c, _ := newTestClient(t, func(o *Options) { o.TLSConfig = &tls.Config{RootCAs: pool} })
			resp, err := c.Get(context.Background(), srv.URL+"/", Conditional{})
			if tt.wantErr == "" {
				if err != nil || resp.Text != "over tls" {
					t.Fatalf("valid certificate: %v", err)
				}
				return
			}
			mustKind(t, err, KindTLS)
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("message %q lacks %q", err, tt.wantErr)
			}
		})
	}
}

func TestConditionalAndEmpty(t *testing.T) {
	const etag, lastMod = `"v1"`, "Fri, 10 Oct 2025 08:00:00 GMT"
	var bodies atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/empty":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.WriteHeader(http.StatusOK)
		case "/feed":
			if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			bodies.Add(1)
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", lastMod)
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			io.WriteString(w, "<rss><channel><title>هدنة</title></channel></rss>")
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, nil)
	ctx := context.Background()

	first, err := c.Get(ctx, srv.URL+"/feed", Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	if first.NotModified || first.ETag != etag || first.LastModified != lastMod || !strings.Contains(first.Text, "هدنة") {
		t.Fatalf("first fetch: %+v", first)
	}
	for _, cond := range []Conditional{{ETag: etag}, {LastModified: lastMod}, {ETag: first.ETag, LastModified: first.LastModified}} {
		again, err := c.Get(ctx, srv.URL+"/feed", cond)
		if err != nil {
			t.Fatal(err)
		}
		if !again.NotModified || again.StatusCode != 304 || len(again.Body) != 0 || again.ETag != cond.ETag {
			t.Errorf("cond %+v: %+v", cond, again)
		}
	}
	if bodies.Load() != 1 {
		t.Errorf("server sent the body %d times, want 1", bodies.Load())
	}

	empty, err := c.Get(ctx, srv.URL+"/empty", Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	if empty.StatusCode != 200 || len(empty.Body) != 0 || empty.Text != "" || empty.Invalid {
		t.Errorf("empty 200: %+v", empty)
	}
}

func TestStatusError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusGone)
	}))
	defer srv.Close()
	c, _ := newTestClient(t, nil)
	_, err := c.Get(context.Background(), srv.URL+"/old", Conditional{})
	fe := mustKind(t, err, KindStatus)
	if fe.StatusCode != 410 || fe.Retryable() || err.Error() != "fetch: "+srv.URL+"/old: status 410 Gone" {
		t.Errorf("got %q (status %d)", err, fe.StatusCode)
	}
}

func TestCharsetOverHTTP(t *testing.T) {
	sentences := arabicSentences(t)
	tmpl := readTestdata(t, "feed-ar.xml")
	encode := func(t *testing.T, cm *charmap.Charmap, s string) []byte {
		t.Helper()
		b, err := cm.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatalf("encode %s: %v", cm, err)
		}
		return b
	}
	feed := func(label string) string { return fmt.Sprintf(tmpl, label, sentences[0], sentences[1]) }
	noDecl := func(label string) string {
		return strings.Replace(feed(label), ` encoding="`+label+`"`, "", 1)
	}
	longHead := "<!doctype html><html><head><title>x</title><script>" + strings.Repeat("var a = 1;\n", 300) +
		"</script><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\"></head><body><p>" +
		sentences[0] + "</p></body></html>"

	tests := []struct {
		name        string
		contentType string
		body        []byte
		wantCharset string
		wantSource  CharsetSource
		want        string
		wantInvalid bool
		wantControl int
	}{
		{"windows-1256 only in header", "application/rss+xml; charset=windows-1256",
			encode(t, charmap.Windows1256, noDecl("x")), "windows-1256", SourceHeader, sentences[1], false, 0},
		{"iso-8859-6 only in header", "text/xml; charset=ISO-8859-6",
			encode(t, charmap.ISO8859_6, noDecl("x")), "iso-8859-6", SourceHeader, sentences[0], false, 0},
		{"windows-1256 in XML declaration", "application/xml",
			encode(t, charmap.Windows1256, feed("windows-1256")), "windows-1256", SourceXML, `encoding="UTF-8"`, false, 0},
		{"meta after a long script", "text/html",
			encode(t, charmap.Windows1256, longHead), "windows-1256", SourceMeta, sentences[0], false, 0},
		{"header wins over declaration", "application/xml; charset=windows-1256",
			encode(t, charmap.Windows1256, feed("iso-8859-6")), "windows-1256", SourceHeader, sentences[1], false, 0},
		{"utf-8 mislabelled latin-1", "application/xml; charset=iso-8859-1",
			[]byte(noDecl("x")), "utf-8", SourceDetected, sentences[0], false, 0},
		{"utf-8 BOM beats header", "text/xml; charset=windows-1256",
			append([]byte{0xEF, 0xBB, 0xBF}, noDecl("x")...), "utf-8", SourceBOM, sentences[0], false, 0},
		{"invalid bytes flagged", "application/xml; charset=utf-8",
			[]byte("<rss><title>" + sentences[0] + " \xff\xfe ok</title></rss>"), "utf-8", SourceHeader, "الجمعة. \uFFFD", true, 0},
		{"control characters removed", "application/rss+xml; charset=utf-8",
			[]byte("<rss><title>a\x00b\x01c\x1bd\x7fe\tf</title>\n</rss>"), "utf-8", SourceHeader, "<title>abcde\tf</title>\n", false, 4},
	}
	var mu sync.Mutex
	current := map[string]struct {
		ct   string
		body []byte
	}{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		v, ok := current[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", v.ct)
		w.Write(v.body)
	}))
	defer srv.Close()
	c, _ := newTestClient(t, nil)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fmt.Sprintf("/%d", i)
			mu.Lock()
			current[path] = struct {
				ct   string
				body []byte
			}{tt.contentType, tt.body}
			mu.Unlock()
			resp, err := c.Get(context.Background(), srv.URL+path, Conditional{})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Charset != tt.wantCharset || resp.CharsetSource != tt.wantSource {
				t.Errorf("charset %s (%s), want %s (%s)", resp.Charset, resp.CharsetSource, tt.wantCharset, tt.wantSource)
			}
			if !strings.Contains(resp.Text, tt.want) {
				t.Errorf("text lacks %q:\n%s", tt.want, resp.Text)
			}
			if resp.Invalid != tt.wantInvalid || resp.ControlChars != tt.wantControl {
				t.Errorf("Invalid = %v, ControlChars = %d; want %v, %d", resp.Invalid, resp.ControlChars, tt.wantInvalid, tt.wantControl)
			}
			if !bytes.Equal(resp.Body, tt.body) {
				t.Error("Body is not the bytes as received")
			}
		})
	}
}

func TestPerHostPoliteness(t *testing.T) {
	var inFlight, peak atomic.Int32
	var uas sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		uas.Store(r.Header.Get("User-Agent"), true)
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		io.WriteString(w, "ok")
	}))
	defer srv.Close()

	t.Run("concurrency", func(t *testing.T) {
		c, _ := newTestClient(t, func(o *Options) { o.PerHostConcurrency = 2 })
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Get(context.Background(), fmt.Sprintf("%s/p/%d", srv.URL, i), Conditional{}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if p := peak.Load(); p != 2 {
			t.Errorf("peak concurrency per host = %d, want 2", p)
		}
	})
	t.Run("delay", func(t *testing.T) {
		c, clk := newTestClient(t, func(o *Options) { o.PerHostDelay = 1500 * time.Millisecond })
		for i := 0; i < 3; i++ {
			if _, err := c.Get(context.Background(), fmt.Sprintf("%s/d/%d", srv.URL, i), Conditional{}); err != nil {
				t.Fatal(err)
			}
		}
		if s := clk.Sleeps(); len(s) != 2 || s[0] != 1500*time.Millisecond || s[1] != 1500*time.Millisecond {
			t.Errorf("waits = %v, want [1.5s 1.5s]", s)
		}
	})
	if _, ok := uas.Load(DefaultUserAgent); !ok {
		t.Errorf("default User-Agent not sent")
	}
}
