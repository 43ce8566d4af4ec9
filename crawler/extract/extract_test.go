package extract

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func readPage(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "pages", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExtractFields(t *testing.T) {
	tests := []struct {
		name, file, url string
		opts            Options
		want            Result
		bodyHas         []string
		bodyLacks       []string
	}{
		{
			name: "generic English page with metadata",
			file: "en-meta.html",
			url:  "https://news.example.com/world/mediators?utm_source=x",
			want: Result{
				Title:        "Mediators meet in Cairo to push the Gaza truce forward",
				Author:       "Jane Example, Omar Sample",
				Published:    "2025-11-02T08:15:00Z",
				Updated:      "2025-11-02T11:40:00Z",
				Lang:         "en",
				CanonicalURL: "https://news.example.com/world/mediators-meet-cairo?ref=home",
				Methods: map[string]string{"title": MethodJSONLD, "author": MethodJSONLD, "published": MethodMeta,
					"updated": MethodMeta, "lang": MethodHTMLLang, "canonical_url": MethodCanonical, "body": MethodTrafilatura},
			},
			bodyHas:   []string{"Egyptian, Qatari and Turkish officials", "within ten days."},
			bodyLacks: []string{"Related stories", "Aid convoys", "Facebook", "Copyright", "Mediators meet in Cairo to push"},
		},
		{
			name: "site selectors take precedence",
			file: "ar-selectors.html",
			url:  "https://ar.example.com/n/1?utm_campaign=x&id=5&gclid=9",
			opts: Options{Selectors: &Selectors{Title: ".hdr .ttl", Body: ".txt p", Published: ".pub@data-time", Author: ".writer-name"}},
			want: Result{
				Title:        "الوسطاء يجتمعون في القاهرة لبحث المرحلة الثانية",
				Author:       "سارة الخطيب",
				Published:    "2025-11-03T10:00:00+02:00",
				Lang:         "ar",
				CanonicalURL: "https://ar.example.com/n/1?id=5",
				Methods: map[string]string{"title": MethodSelector, "author": MethodSelector, "published": MethodSelector,
					"lang": MethodScript, "canonical_url": MethodPageURL, "body": MethodSelector},
			},
			bodyHas:   []string{"اجتمع ممثلو مصر وقطر وتركيا", "\n\nوقال دبلوماسي مطلع"},
			bodyLacks: []string{"نص خارج المقال"},
		},
		{
			name:      "body split into same-class chunks around a newsletter box",
			file:      "en-split.html",
			url:       "https://daily.example.com/world/doha-talks",
			bodyHas:   []string{"Negotiators from both sides", "Egypt sent its intelligence chief", "The United States envoy is due", "Aid agencies welcomed"},
			bodyLacks: []string{"Sign up for our morning briefing", "More stories", "Aid convoys cross at Rafah"},
		},
		{
			name: "selectors that match nothing fall back",
			file: "en-meta.html",
			url:  "https://news.example.com/world/mediators",
			opts: Options{Selectors: &Selectors{Title: ".nope", Body: "div.missing p", Published: "span.none@datetime"}},
			want: Result{
				Title:     "Mediators meet in Cairo to push the Gaza truce forward",
				Published: "2025-11-02T08:15:00Z",
			},
			bodyHas: []string{"Egyptian, Qatari and Turkish officials"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Extract(readPage(t, tt.file), tt.url, tt.opts)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			check := func(field, got, want string) {
				if want != "" && got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("Title", got.Title, tt.want.Title)
			check("Author", got.Author, tt.want.Author)
			check("Published", got.Published, tt.want.Published)
			check("Updated", got.Updated, tt.want.Updated)
			check("Lang", got.Lang, tt.want.Lang)
			check("CanonicalURL", got.CanonicalURL, tt.want.CanonicalURL)
			for field, m := range tt.want.Methods {
				if got.Methods[field] != m {
					t.Errorf("Methods[%s] = %q, want %q", field, got.Methods[field], m)
				}
			}
			if tt.opts.Selectors != nil && tt.want.Methods == nil {
				for field, m := range got.Methods {
					if m == MethodSelector {
						t.Errorf("Methods[%s] = selector although its selector matched nothing", field)
					}
				}
			}
			for _, s := range tt.bodyHas {
				if !strings.Contains(got.Body, s) {
					t.Errorf("body lacks %q:\n%s", s, got.Body)
				}
			}
			for _, s := range tt.bodyLacks {
				if strings.Contains(got.Body, s) {
					t.Errorf("body contains %q:\n%s", s, got.Body)
				}
			}
		})
	}
}

func TestExtractNoBody(t *testing.T) {
	const u = "http://example.org/section/world"
	_, err := Extract(readPage(t, "nobody.html"), u, Options{})
	if !errors.Is(err, ErrNoBody) {
		t.Fatalf("err = %v, want ErrNoBody", err)
	}
	if want := "extract: " + u + ": no article body found"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

func TestCleanURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://a.example/x?utm_source=a&utm_medium=b", "https://a.example/x"},
		{"https://a.example/x?id=3&fbclid=z&page=2#c", "https://a.example/x?id=3&page=2"},
		{"https://a.example/x?GCLID=1&UTM_Term=q&q=%D8%BA%D8%B2%D8%A9", "https://a.example/x?q=%D8%BA%D8%B2%D8%A9"},
		{"https://a.example/x", "https://a.example/x"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := url.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := CleanURL(u); got != tt.want {
				t.Errorf("CleanURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSplitSelector(t *testing.T) {
	tests := []struct{ in, css, attr string }{
		{"time[datetime]@datetime", "time[datetime]", "datetime"},
		{"h1.title", "h1.title", ""},
		{"meta[name=author] @content", "meta[name=author]", "content"},
		{"a[href='x@y']", "a[href='x@y']", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			css, attr := splitSelector(tt.in)
			if css != tt.css || attr != tt.attr {
				t.Errorf("splitSelector = %q, %q; want %q, %q", css, attr, tt.css, tt.attr)
			}
		})
	}
}

// words is a bag of word tokens, for scoring a body against its expected text.
func words(s string) map[string]int {
	out := map[string]int{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		out[w]++
	}
	return out
}

func tokenF1(want, got string) float64 {
	w, g := words(want), words(got)
	var tp, nw, ng int
	for k, c := range w {
		nw += c
		tp += min(c, g[k])
	}
	for _, c := range g {
		ng += c
	}
	if tp == 0 {
		return 0
	}
	p, r := float64(tp)/float64(ng), float64(tp)/float64(nw)
	return 2 * p * r / (p + r)
}

// TestArabicLayouts checks every page of our Arabic layout set: related
// lists, tickers, comments and share bars must stay out of the body.
func TestArabicLayouts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "arabic", "*.html"))
	if err != nil || len(files) < 30 {
		t.Fatalf("want at least 30 Arabic pages, found %d (%v)", len(files), err)
	}
	var sum float64
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".html")
		t.Run(name, func(t *testing.T) {
			page, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".html") + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			got, err := Extract(page, "https://example.org/ar/"+name, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Lang != "ar" {
				t.Errorf("Lang = %q, want ar", got.Lang)
			}
			f1 := tokenF1(string(want), got.Body)
			sum += f1
			if f1 < 0.9 {
				t.Errorf("token F1 %.3f < 0.9; body:\n%s", f1, got.Body)
			}
		})
	}
	if mean := sum / float64(len(files)); mean < 0.95 {
		t.Errorf("mean token F1 %.3f < 0.95", mean)
	}
}

func FuzzExtract(f *testing.F) {
	for _, name := range []string{"en-meta.html", "ar-selectors.html", "nobody.html"} {
		f.Add(readPage(f, name), ".txt p")
	}
	f.Add([]byte("<html><body><p>"+strings.Repeat("نص عربي قصير ", 20)+"</p></body></html>"), "")
	f.Add([]byte("<table><tr><td><div><br>\xff\xfe<a>x</a></div></td></tr></table>"), "time@datetime")
	f.Add([]byte(strings.Repeat("<div>", 2000)+"deep"), "[[bad")
	f.Fuzz(func(t *testing.T, page []byte, body string) {
		opts := Options{Selectors: &Selectors{Body: body, Title: body, Published: body + "@datetime"}}
		type out struct {
			r   *Result
			err error
		}
		done := make(chan out, 1)
		go func() {
			r, err := Extract(page, "https://example.org/p?utm_source=f", opts)
			done <- out{r, err}
		}()
		var o out
		select {
		case o = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Extract hangs on %q (selector %q)", page, body)
		}
		r, err := o.r, o.err
		if err != nil {
			if !errors.Is(err, ErrNoBody) && !strings.HasPrefix(err.Error(), "extract: ") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for field, v := range map[string]string{"Title": r.Title, "Body": r.Body, "Author": r.Author,
			"Published": r.Published, "Updated": r.Updated, "Lang": r.Lang, "CanonicalURL": r.CanonicalURL} {
			if !utf8.ValidString(v) {
				t.Fatalf("%s is not valid UTF-8: %q", field, v)
			}
		}
		if r.Methods["body"] == "" {
			t.Fatal("body method not recorded")
		}
	})
}

func TestPruneKeepsArticleWrapper(t *testing.T) {
	para := "<p>" + strings.Repeat("قال الوسطاء إن المحادثات ستستأنف الأسبوع المقبل في القاهرة. ", 4) + "</p>"
	tests := []struct {
		name, page string
		lacks      string
	}{
		{"wrapper named like comments", `<html lang="ar"><body><div class="single has-comments">` + para + para +
			`<section class="comments"><div class="comment"><p>تعليق قارئ لا علاقة له بالخبر</p></div></section></div></body></html>`, "تعليق قارئ"},
		{"wrapper named like related", `<html lang="ar"><body><div class="post related-content">` + para + para +
			`<ul><li><a href="/1">عنوان خبر آخر منشور في الموقع</a></li><li><a href="/2">عنوان خبر ثان منشور في الموقع</a></li><li><a href="/3">عنوان خبر ثالث منشور في الموقع</a></li></ul></div></body></html>`, "عنوان خبر"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Extract([]byte(tt.page), "https://example.org/a", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Body, "قال الوسطاء") {
				t.Errorf("article text lost: %q", r.Body)
			}
			if strings.Contains(r.Body, tt.lacks) {
				t.Errorf("body keeps %q: %q", tt.lacks, r.Body)
			}
		})
	}
}

func TestIsBylineMatchesRegexp(t *testing.T) {
	for _, s := range []string{
		"by jane example", "by: jane", "by :x", "by:jane", "byron said", "by", "by ", "by  ", "by : ",
		"بقلم: سارة", "بقلم:سارة", "كتبت هدى", "كتب", "كتبتمحمد", "اعداد : فريق", "تحرير  عمر",
		"the story by x", "by\tx", "by :", "by: :",
	} {
		t.Run(s, func(t *testing.T) {
			if got, want := isByline(s), bylineRe.MatchString(s); got != want {
				t.Errorf("isByline(%q) = %v, bylineRe says %v", s, got, want)
			}
		})
	}
}

func FuzzIsByline(f *testing.F) {
	for _, s := range []string{"by jane", "بقلم: سارة", "by :x", "byx", "كتب"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isByline(s), bylineRe.MatchString(s); got != want {
			t.Errorf("isByline(%q) = %v, bylineRe says %v", s, got, want)
		}
	})
}

func TestFastPath(t *testing.T) {
	para := func(s string) string { return "<p>" + s + "</p>" }
	body := para("Egyptian and Qatari mediators met both delegations in Cairo on Sunday to discuss the second phase of the ceasefire.") +
		para("A senior official said the talks would resume within ten days, after consultations in Doha and Ankara.") +
		para("The Turkish foreign minister told reporters in Ankara that his country was ready to send observers to monitor the truce if both sides agreed.") +
		para("The United States envoy was due in the region later in the week, according to two diplomats who asked not to be named because the plans were not public.") +
		para("Aid agencies said that more trucks had crossed into the strip since the truce began, but that the numbers remained far below what was needed.") +
		para("Negotiators are expected to discuss the exchange of remaining hostages and prisoners, the reopening of crossings and the governance of the strip.") +
		para("Officials in Doha said a joint statement could be issued once the delegations had consulted their leaderships on the proposals.")
	// Over 1,000 characters: shorter bodies send the full path to
	// trafilatura's fallbacks, which may glue the headline onto the text.
	page := func(inner string) []byte {
		return []byte(`<!DOCTYPE html><html lang="en"><head><title>Mediators meet in Cairo</title></head><body>` +
			`<nav><a href="/">Home</a> <a href="/world">World</a></nav>` + inner + `<footer><p>Copyright 2025</p></footer></body></html>`)
	}
	tests := []struct {
		name string
		html []byte
		fast bool
	}{
		{"one article of plain prose", page(`<article><h1>Mediators meet in Cairo</h1>` + body + `</article>`), true},
		{"itemprop articleBody among teaser articles", page(`<article><a href="/x">Other story</a></article><div itemprop="articleBody">` + body + `</div><article><a href="/y">Third story</a></article>`), true},
		{"two articles", page(`<article>` + body + `</article><article>` + body + `</article>`), false},
		{"a div inside the article", page(`<article><div>` + body + `</div></article>`), false},
		{"a related block inside the article", page(`<article>` + body + `<p class="related-links"><a href="/z">More on the talks in Cairo and Doha</a></p></article>`), false},
		{"much text outside the article", page(`<article>` + body + `</article><div>` + body + `</div>`), false},
		{"no paragraphs", page(`<article><h1>Mediators meet in Cairo</h1><span>` + strings.Repeat("Text without paragraphs. ", 10) + `</span></article>`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fast, err := Extract(tt.html, "https://news.example.com/a", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := fast.Methods["body"] == MethodContainer; got != tt.fast {
				t.Fatalf("fast path fired: %v, want %v (body method %q)", got, tt.fast, fast.Methods["body"])
			}
			full, err := Extract(tt.html, "https://news.example.com/a", Options{NoFastPath: true})
			if err != nil {
				t.Fatal(err)
			}
			if full.Methods["body"] != MethodTrafilatura {
				t.Errorf("NoFastPath: body method %q", full.Methods["body"])
			}
			if tt.fast && fast.Body != full.Body {
				t.Errorf("fast path body differs from the full path's:\nfast: %q\nfull: %q", fast.Body, full.Body)
			}
		})
	}
}

// foldTextReference is foldText as it was before its ASCII and Arabic
// fast paths: the fast version must give the same key for every input.
func foldTextReference(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640:
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		case r == 'ة':
			r = 'ه'
		case r == '\u200f' || r == '\u200e' || r == '\u200b':
			continue
		}
		if unicode.IsSpace(r) {
			space = sb.Len() > 0
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(unicode.ToLower(r))
	}
	return sb.String()
}

func FuzzFoldText(f *testing.F) {
	for _, s := range []string{
		"", "  Read MORE:  ", "اقرأ أيضاً: القاهرة\u00a0والدوحة", "ـــ الأخبار\u200f ", "ÉCOLE Straße ΣΑΣ",
		"\x85\xa0 a\u2003b\u0085c", "\xff\xfe broken", "مَدْرَسَةٌ ۝ ٠١٢", "ٱلْحَمْدُ إلى", "TAB\tNL\nVT\vFF\fCR\r",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := foldText(s), foldTextReference(s); got != want {
			t.Errorf("foldText(%q) = %q, want %q", s, got, want)
		}
	})
}

func FuzzCleanInline(f *testing.F) {
	for _, s := range []string{"", "  a  b ", "بدأت\u00a0المحادثات\u2003في\tالقاهرة\n", "\x85x\xa0y", "\xff \xfe", " \u0085 ", "one"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cleanInline(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("cleanInline(%q) = %q, want %q", s, got, want)
		}
	})
}
