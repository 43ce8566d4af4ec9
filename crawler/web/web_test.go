package web

import (
	"errors"
	"strings"
	"testing"
)

const page = `<!doctype html><html lang="ar" dir="rtl"><head>
<title>عنوان الصفحة - النيل اليوم</title>
<meta property="og:title" content="الوسطاء يجتمعون في القاهرة">
<meta property="article:published_time" content="2025-10-26T20:00:00+03:00">
<link rel="canonical" href="/news/cairo.html?utm_source=x&amp;id=7#top">
</head><body>
<header><nav><a href="/">الرئيسية</a> <a href="/politics">سياسة</a></nav></header>
<div class="ticker"><p>عاجل: خبر آخر لا علاقة له بالمقال ويجب ألا يظهر في النص المستخرج أبداً</p></div>
<article><h1>الوسطاء يجتمعون في القاهرة</h1>
<div class="article-body">
<p>اجتمع الوسطاء المصريون والقطريون والأتراك مساء الأحد في القاهرة لبحث المرحلة الثانية من الاتفاق.</p>
<div class="ad">إعلان</div>
<p class="read-also"><a href="/x">اقرأ أيضاً: عنوان مقال آخر طويل بما يكفي ليبدو كفقرة</a></p>
<p>وقال مصدر مطلع إن الاجتماع تناول تشكيل لجنة لإدارة القطاع وفتح المعابر أمام المساعدات.</p>
</div></article>
<aside class="related"><p>مقال ذو صلة لا ينبغي أن يظهر في النص لأنه جزء من القائمة الجانبية</p></aside>
<footer><p>جميع الحقوق محفوظة للنيل اليوم ٢٠٢٥ وهذه فقرة طويلة في التذييل لا تنتمي للمقال</p></footer>
</body></html>`

func TestExtract(t *testing.T) {
	t.Run("generic", func(t *testing.T) {
		p, err := Extract([]byte(page), "http://nile.example/news/cairo.html", nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.Title != "الوسطاء يجتمعون في القاهرة" || p.Methods["title"] != "og:title" {
			t.Errorf("title %q via %s", p.Title, p.Methods["title"])
		}
		for _, want := range []string{"اجتمع الوسطاء المصريون والقطريون والأتراك مساء الأحد", "وقال مصدر مطلع إن الاجتماع تناول تشكيل لجنة"} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("body lacks %q:\n%s", want, p.Body)
			}
		}
		for _, leak := range []string{"عاجل", "اقرأ أيضاً", "ذو صلة", "جميع الحقوق", "إعلان", "الرئيسية"} {
			if strings.Contains(p.Body, leak) {
				t.Errorf("boilerplate %q in body:\n%s", leak, p.Body)
			}
		}
		if p.Published != "2025-10-26T20:00:00+03:00" || p.Methods["published"] != "article:published_time" {
			t.Errorf("published %q via %s", p.Published, p.Methods["published"])
		}
		if p.CanonicalURL != "http://nile.example/news/cairo.html?id=7" {
			t.Errorf("canonical %q", p.CanonicalURL)
		}
		if p.Lang != "ar" {
			t.Errorf("lang %q", p.Lang)
		}
	})
	t.Run("selectors win", func(t *testing.T) {
		p, err := Extract([]byte(page), "http://nile.example/news/cairo.html", &Selectors{
			Title: "article h1", Body: ".article-body > p:not(.read-also)", Published: `meta[property="article:published_time"]@content`})
		if err != nil {
			t.Fatal(err)
		}
		if p.Methods["title"] != "selector" || p.Methods["body"] != "selector" || p.Methods["published"] != "selector" {
			t.Errorf("methods %v", p.Methods)
		}
		if strings.Contains(p.Body, "اقرأ") || !strings.HasPrefix(p.Body, "اجتمع") {
			t.Errorf("body %q", p.Body)
		}
	})
	t.Run("visible Arabic date line only", func(t *testing.T) {
		html := `<html lang="ar"><body><article><h1>عنوان</h1><div class="date">الثلاثاء ١٤ أكتوبر ٢٠٢٥ - ٠٩:٣٠ ص</div>
<div class="body"><p>اجتمع الوسطاء في القاهرة لبحث المرحلة الثانية من الاتفاق، وقال مصدر مطلع إن الاجتماع كان إيجابياً.</p>
<p>وأضاف المصدر أن جولة جديدة ستعقد الأسبوع المقبل بمشاركة وفود من قطر وتركيا والولايات المتحدة.</p></div></article></body></html>`
		p, err := Extract([]byte(html), "http://x.example/a", nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(p.Published, "2025-10-14T09:30:00") || p.Methods["published"] != "visible-text" {
			t.Errorf("published %q via %s", p.Published, p.Methods["published"])
		}
	})
	t.Run("no body", func(t *testing.T) {
		_, err := Extract([]byte(`<html><body><nav><a href="/">Home</a></nav><div class="player"></div></body></html>`), "http://x.example/v", nil)
		if !errors.Is(err, ErrNoBody) || !strings.Contains(err.Error(), "http://x.example/v") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestCanonicalize(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPS://Example.ORG/a?utm_source=tw&utm_medium=x&b=1#frag": "https://example.org/a?b=1",
		"https://example.org/a?fbclid=abc":                          "https://example.org/a",
		"https://example.org/a?gclid=1&q=%D8%BA%D8%B2%D8%A9":        "https://example.org/a?q=%D8%BA%D8%B2%D8%A9",
		"not a url": "not a url",
	} {
		if got := Canonicalize(in); got != want {
			t.Errorf("Canonicalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(page))
	f.Add([]byte("<p>x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Extract(data, "http://x.example/", nil)
		if err == nil && p.Body == "" {
			t.Fatal("no error and no body")
		}
	})
}
