// Package eval measures how well crawler/fetch decodes real-world feeds: every feed of the chardet
// test corpus is served from a loopback server without a charset header, fetched with the client
// and compared with the file decoded by its known true encoding.
package eval

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"

	"github.com/mirsad-observatory/mirsad/crawler/fetch"
)

// Options configure Run.
type Options struct {
	// CorpusDir is the shared corpus root (holding chardet/) or the chardet folder itself.
	CorpusDir string
	// Concurrency of fetches; 0 means 8.
	Concurrency int
	Logger      *slog.Logger
}

// Sample is one corpus file with its true encoding.
type Sample struct {
	Path  string // relative to the chardet folder
	True  string // encoding name as the corpus gives it
	Bytes []byte
}

var (
	feedRe   = regexp.MustCompile(`<rss|<feed|<rdf:RDF`)
	expectRe = regexp.MustCompile(`Expect:\s*([A-Za-z0-9_.:\-]+)`)
	// Removing the declarations turns the same files into a test of detection alone.
	xmlEncRe       = regexp.MustCompile(`(?i)(<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']`)
	metaCsRe       = regexp.MustCompile(`(?i)charset\s*=\s*["']?[A-Za-z0-9_.:\-]+["']?`)
	xmlDeclLabelRe = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)["']`)
	langDirRe      = regexp.MustCompile(`-(arabic|bulgarian|croatian|czech|greek|hebrew|hungarian|polish|romanian|russian|slovak|slovene|turkish)$`)
)

// ChardetDir resolves the chardet folder from a corpus root or the folder itself.
func ChardetDir(corpus string) (string, error) {
	for _, d := range []string{filepath.Join(corpus, "chardet"), corpus} {
		if st, err := os.Stat(filepath.Join(d, "tests")); err == nil && st.IsDir() {
			return d, nil
		}
	}
	return "", fmt.Errorf("eval: no chardet corpus under %s (set MIRSAD_CORPUS)", corpus)
}

// Feeds returns the corpus feeds: files under tests/ holding <rss, <feed or <rdf:RDF. The true
// encoding is the "Expect:" header comment, or the folder name for the few files without one.
func Feeds(dir string) ([]Sample, error) {
	var out []Sample
	err := filepath.WalkDir(filepath.Join(dir, "tests"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !feedRe.Match(b) {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		truth := langDirRe.ReplaceAllString(filepath.Base(filepath.Dir(p)), "")
		if m := expectRe.FindSubmatch(b[:min(len(b), 2048)]); m != nil {
			truth = string(m[1])
		}
		out = append(out, Sample{Path: rel, True: truth, Bytes: b})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, err
}

var chromiumRe = regexp.MustCompile(`_chromium_([A-Za-z0-9-]+)_with_no_encoding`)

// Arabic returns the Arabic samples (no declaration anywhere), de-duplicated by content. The
// truth is the folder name, except for the Chromium snippets whose file name names it (the
// branch copies one windows-1256 snippet into its ISO-8859-6 folder).
func Arabic(dir string) ([]Sample, error) {
	seen := map[[32]byte]bool{}
	var out []Sample
	for _, root := range []string{"tests", "branch-feature-retrain_sbcs_models/tests"} {
		matches, _ := filepath.Glob(filepath.Join(dir, root, "*-arabic", "*"))
		for _, p := range matches {
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			h := sha256.Sum256(b)
			if seen[h] {
				continue
			}
			seen[h] = true
			truth := strings.TrimSuffix(filepath.Base(filepath.Dir(p)), "-arabic")
			if m := chromiumRe.FindStringSubmatch(filepath.Base(p)); m != nil {
				truth = m[1]
			}
			rel, _ := filepath.Rel(dir, p)
			out = append(out, Sample{Path: rel, True: truth, Bytes: b})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// referenceEncoding resolves the corpus's encoding name strictly (IANA first, so ISO-8859-1 is not
// widened to windows-1252 as the client's WHATWG lookup does), falling back to the client's table
// for names IANA lacks (MacCyrillic, IBM855, UTF-32). Returns nil if x/text has no decoder.
func referenceEncoding(name string) encoding.Encoding {
	switch strings.ToLower(name) {
	case "utf-16": // BOM decides
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	}
	if enc, err := ianaindex.IANA.Encoding(name); err == nil && enc != nil {
		return enc
	}
	enc, _ := fetch.LookupCharset(name)
	return enc
}

// reference decodes b by its true encoding and applies the charset-independent clean-up the client
// applies to every text (BOM removed, control characters stripped, XML declaration re-labelled).
func reference(s Sample) (string, error) {
	enc := referenceEncoding(s.True)
	if enc == nil {
		return "", fmt.Errorf("no decoder for %s", s.True)
	}
	b := s.Bytes
	lt := strings.ToLower(s.True)
	if strings.HasPrefix(lt, "utf-8") {
		b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	}
	var text string
	if strings.HasPrefix(lt, "utf-8") || lt == "ascii" || lt == "us-ascii" {
		text = strings.ToValidUTF8(string(b), "\uFFFD")
	} else {
		out, err := enc.NewDecoder().Bytes(b)
		if err != nil {
			return "", err
		}
		text = string(out)
	}
	if strings.HasPrefix(lt, "utf-16") || strings.HasPrefix(lt, "utf-32") {
		text = strings.TrimPrefix(text, "\uFEFF")
	}
	text, _ = fetch.StripControl(text)
	return fetch.DeclareUTF8(text), nil
}

// stripDeclarations removes the XML encoding pseudo-attribute and meta charsets.
func stripDeclarations(b []byte) []byte {
	b = xmlEncRe.ReplaceAll(b, []byte("$1"))
	return metaCsRe.ReplaceAll(b, []byte("x-removed=1"))
}

type decoder struct {
	name   string
	decode func(ctx context.Context, s Sample, url string) (string, string, error)
}

// Run serves the corpus on loopback, decodes each file with the fetch client and with two
// baselines, and prints one table, followed by the client's failures.
func Run(ctx context.Context, opts Options, w io.Writer) error {
	dir, err := ChardetDir(opts.CorpusDir)
	if err != nil {
		return err
	}
	feeds, err := Feeds(dir)
	if err != nil {
		return fmt.Errorf("eval: read feeds: %w", err)
	}
	arabic, err := Arabic(dir)
	if err != nil {
		return fmt.Errorf("eval: read arabic samples: %w", err)
	}
	var wrapped []Sample
	for _, s := range arabic {
		if lt := strings.ToLower(s.True); strings.HasPrefix(lt, "utf-16") || strings.HasPrefix(lt, "utf-32") {
			continue // ASCII markup around UTF-16 would not be a document
		}
		wrapped = append(wrapped, Sample{Path: s.Path, True: s.True, Bytes: wrapInFeed(s.Bytes)})
	}
	stripped := make([]Sample, len(feeds))
	for i, s := range feeds {
		stripped[i] = Sample{Path: s.Path, True: s.True, Bytes: stripDeclarations(s.Bytes)}
	}

	var mu sync.Mutex
	served := map[string][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b, ok := served[r.URL.Path]
		mu.Unlock()
		if !ok {
			http.NotFound(rw, r)
			return
		}
		ct := "application/xml" // no charset: the client must find it in the bytes
		if strings.HasSuffix(r.URL.Path, ".txt") || strings.HasSuffix(r.URL.Path, ".html") {
			ct = "text/plain"
			if strings.HasSuffix(r.URL.Path, ".html") {
				ct = "text/html"
			}
		}
		rw.Header().Set("Content-Type", ct)
		rw.Write(b)
	}))
	defer srv.Close()

	client := fetch.New(fetch.Options{
		AllowPrivateNetworks: true, // loopback test server
		PerHostConcurrency:   max(opts.Concurrency, 8),
		MaxRetries:           -1,
		MaxBodyBytes:         64 << 20,
	}, opts.Logger)
	defer client.CloseIdleConnections()

	decoders := []decoder{
		{"fetch.Client.Get", func(ctx context.Context, s Sample, url string) (string, string, error) {
			resp, err := client.Get(ctx, url, fetch.Conditional{})
			if err != nil {
				return "", "", err
			}
			return resp.Text, resp.Charset + " (" + string(resp.CharsetSource) + ")", nil
		}},
		{"baseline x/net/html/charset", func(_ context.Context, s Sample, _ string) (string, string, error) {
			// What colly and most Go code do: BOM, header, 1024-byte meta prescan, else
			// UTF-8 if valid, else windows-1252.
			_, name, _ := charset.DetermineEncoding(s.Bytes, contentTypeFor(s.Path))
			r, err := charset.NewReader(bytes.NewReader(s.Bytes), contentTypeFor(s.Path))
			if err != nil {
				return "", name, err
			}
			b, err := io.ReadAll(r)
			t, _ := fetch.StripControl(strings.TrimPrefix(string(b), "\uFEFF"))
			return fetch.DeclareUTF8(t), name, err
		}},
		{"baseline XML declaration only (gofeed)", func(_ context.Context, s Sample, _ string) (string, string, error) {
			// What encoding/xml with CharsetReader: charset.NewReaderLabel (gofeed) does:
			// the declaration if any, else UTF-8.
			m := xmlDeclLabelRe.FindSubmatch(s.Bytes[:min(len(s.Bytes), 1024)])
			if m == nil {
				t, _ := fetch.StripControl(strings.ToValidUTF8(string(bytes.TrimPrefix(s.Bytes, []byte{0xEF, 0xBB, 0xBF})), "\uFFFD"))
				return fetch.DeclareUTF8(t), "utf-8", nil
			}
			r, err := charset.NewReaderLabel(string(m[1]), bytes.NewReader(s.Bytes))
			if err != nil {
				return "", string(m[1]), err
			}
			b, err := io.ReadAll(r)
			t, _ := fetch.StripControl(string(b))
			return fetch.DeclareUTF8(t), string(m[1]), err
		}},
		{"baseline raw bytes as UTF-8", func(_ context.Context, s Sample, _ string) (string, string, error) {
			t, _ := fetch.StripControl(strings.ToValidUTF8(string(bytes.TrimPrefix(s.Bytes, []byte{0xEF, 0xBB, 0xBF})), "\uFFFD"))
			return fetch.DeclareUTF8(t), "utf-8", nil
		}},
	}

	sets := []struct {
		name    string
		samples []Sample
		prefix  string
	}{
		{"feeds as published", feeds, "/a/"},
		{"feeds, declarations removed", stripped, "/s/"},
		{"Arabic, undeclared", arabic, "/ar/"},
		{"Arabic in RSS markup, undeclared", wrapped, "/rss/"},
	}
	for _, set := range sets {
		mu.Lock()
		for i, s := range set.samples {
			served[set.prefix+strconv.Itoa(i)+ext(s.Path)] = s.Bytes
		}
		mu.Unlock()
	}

	type result struct {
		pass, total, skipped int
		failures             []string
	}
	results := make([][]result, len(decoders))
	for di := range decoders {
		results[di] = make([]result, len(sets))
	}
	for si, set := range sets {
		refs := make([]string, len(set.samples))
		skip := make([]bool, len(set.samples))
		for i, s := range set.samples {
			r, err := reference(s)
			if err != nil {
				skip[i] = true
				continue
			}
			refs[i] = r
		}
		for di, d := range decoders {
			res := &results[di][si]
			var rmu sync.Mutex
			sem := make(chan struct{}, max(opts.Concurrency, 8))
			var wg sync.WaitGroup
			for i, s := range set.samples {
				if skip[i] {
					res.skipped++
					continue
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer func() { <-sem; wg.Done() }()
					url := srv.URL + set.prefix + strconv.Itoa(i) + ext(s.Path)
					got, used, err := d.decode(ctx, s, url)
					rmu.Lock()
					defer rmu.Unlock()
					res.total++
					switch {
					case err != nil:
						res.failures = append(res.failures, fmt.Sprintf("%s (true %s): error: %v", s.Path, s.True, err))
					case got == refs[i]:
						res.pass++
					default:
						res.failures = append(res.failures, fmt.Sprintf("%s (true %s): decoded as %s, %s",
							s.Path, s.True, used, firstDiff(got, refs[i])))
					}
				}()
			}
			wg.Wait()
			sort.Strings(res.failures)
		}
	}

	fmt.Fprintf(w, "charset decoding: chardet corpus (%s), served on loopback without a charset header\n", dir)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := "decoder\t"
	for _, set := range sets {
		header += set.name + "\t"
	}
	fmt.Fprintln(tw, header)
	for di, d := range decoders {
		row := d.name + "\t"
		for si := range sets {
			r := results[di][si]
			row += fmt.Sprintf("%d/%d (%.1f%%)\t", r.pass, r.total, pct(r.pass, r.total))
		}
		fmt.Fprintln(tw, row)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for si, set := range sets {
		if n := results[0][si].skipped; n > 0 {
			fmt.Fprintf(w, "%s: %d file(s) skipped, no decoder for their true encoding in x/text\n", set.name, n)
		}
	}
	for si, set := range sets {
		f := results[0][si].failures
		fmt.Fprintf(w, "\n%s: fetch.Client.Get failures (%d)\n", set.name, len(f))
		for _, line := range f {
			fmt.Fprintln(w, "  "+line)
		}
	}
	if results[0][0].total == 0 {
		return errors.New("eval: no feeds found")
	}
	return nil
}

// wrapInFeed puts a text sample into an English-language RSS skeleton with no encoding
// declaration: detection must find the Arabic among the ASCII markup, as in a real feed.
func wrapInFeed(b []byte) []byte {
	var buf bytes.Buffer
	buf.WriteString("<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n" +
		"<title>Regional news</title>\n<link>https://news.example.org/</link>\n<description>Latest stories</description>\n")
	for i, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		fmt.Fprintf(&buf, "<item>\n<title>Story %d</title>\n<link>https://news.example.org/story/%d?utm_source=rss</link>\n"+
			"<guid isPermaLink=\"false\">news-example-%d</guid>\n<pubDate>Fri, 10 Oct 2025 09:%02d:00 GMT</pubDate>\n<description>", i, i, i, i%60)
		buf.Write(bytes.ReplaceAll(bytes.ReplaceAll(line, []byte("&"), []byte("&amp;")), []byte("<"), []byte("&lt;")))
		buf.WriteString("</description>\n</item>\n")
	}
	buf.WriteString("</channel>\n</rss>\n")
	return buf.Bytes()
}

func ext(p string) string {
	switch e := filepath.Ext(p); e {
	case ".txt", ".html":
		return e
	}
	return ".xml"
}

func contentTypeFor(p string) string {
	switch filepath.Ext(p) {
	case ".txt":
		return "text/plain"
	case ".html":
		return "text/html"
	}
	return "application/xml"
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// firstDiff describes where got first departs from want.
func firstDiff(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	for i > 0 && !utf8.RuneStart(want[min(i, len(want)-1)]) {
		i--
	}
	snip := func(s string) string {
		end := min(len(s), i+24)
		return strconv.Quote(strings.ToValidUTF8(s[i:end], "?"))
	}
	return fmt.Sprintf("first difference at byte %d: got %s, want %s", i, snip(got), snip(want))
}
