package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/search/alert"
	"github.com/mirsad-observatory/mirsad/search/api"
)

// browser starts headless Chromium kept off the network. Without a browser
// the test is skipped with instructions, unless MIRSAD_BROWSER_TESTS=1
// (set by .ci/run), where a missing browser fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, p := range []string{os.Getenv("MIRSAD_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p != "" {
			if _, err := exec.LookPath(p); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("MIRSAD_BROWSER_TESTS") == "1" {
			t.Fatal("MIRSAD_BROWSER_TESTS=1 but no chromium found (apt-get install chromium, or set MIRSAD_CHROMIUM)")
		}
		t.Skip("no chromium: browser tests skipped; apt-get install chromium and set MIRSAD_BROWSER_TESTS=1 to run them")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1100, 1400),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// The first Run starts the browser; its context must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	return ctx
}

// within runs steps with a bound, so a page that never shows what we wait
// for fails the test instead of hanging it.
func within(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func TestBrowserSearchPage(t *testing.T) {
	ctx := browser(t)
	c := newCorpus(t)

	type C = chromedp.CSS
	within(t, ctx,
		chromedp.Navigate(c.api.URL+"/"),
		chromedp.WaitVisible(C("#q")),
		chromedp.WaitVisible(C(`#results[data-q=""]`)), // the first, empty query has rendered
		chromedp.SendKeys(C("#q"), "القاهرة"),
		chromedp.Submit(C("#q")),
		chromedp.WaitVisible(C(`#results[data-q="القاهرة"] li[dir="rtl"]`)),
	)
	status := eval[string](t, ctx, `document.getElementById("status").textContent`)
	dirs := eval[[]string](t, ctx, `[...document.querySelectorAll("#results > li")].map(li => li.getAttribute("dir") + ":" + li.getAttribute("lang"))`)
	if !strings.Contains(status, "results") || len(dirs) == 0 {
		t.Fatalf("status %q, %d results", status, len(dirs))
	}
	for _, d := range dirs {
		if d != "rtl:ar" && d != "ltr:en" {
			t.Errorf("result laid out as %s", d)
		}
	}
	if marks := eval[int](t, ctx, `document.querySelectorAll("#results li .snippet mark").length`); marks == 0 {
		t.Error("no highlighted words in the snippets")
	}

	// English results are laid out left to right.
	search := func(q string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[any](`document.getElementById("q").value = `+strconv.Quote(q)+`; document.getElementById("search").requestSubmit(); null`)(ctx, t)
			return err
		})
	}
	within(t, ctx, search("joint statement"), chromedp.WaitVisible(C(`#results[data-q="joint statement"] li[dir="ltr"]`)))
	if enDirs := eval[[]string](t, ctx, `[...document.querySelectorAll("#results > li")].map(li => li.getAttribute("dir"))`); len(enDirs) == 0 || enDirs[0] != "ltr" {
		t.Errorf("english dirs %v", enDirs)
	}

	// A facet click narrows the results to one language.
	within(t, ctx,
		search(""),
		chromedp.WaitVisible(C(`#results[data-q=""] li`)),
		chromedp.WaitVisible(C(`button.facet[data-facet="lang"][data-value="ar"]`)),
		chromedp.Click(C(`button.facet[data-facet="lang"][data-value="ar"]`)),
		chromedp.WaitVisible(C(`button.facet[data-facet="lang"][aria-pressed="true"]`)),
	)
	afterFacet := eval[[]string](t, ctx, `[...document.querySelectorAll("#results > li")].map(li => li.getAttribute("lang"))`)
	if len(afterFacet) == 0 {
		t.Fatal("no results after the facet click")
	}
	for _, l := range afterFacet {
		if l != "ar" {
			t.Errorf("after the ar facet a %s result is shown", l)
		}
	}

	// An entity chip opens the entity page: names in both scripts, a
	// timeline, recent claims.
	within(t, ctx,
		search("Kalin"),
		chromedp.WaitVisible(C(`#results[data-q="Kalin"] a[data-entity="ibrahim-kalin"]`)),
		chromedp.Click(C(`#results a[data-entity="ibrahim-kalin"]`)),
		chromedp.WaitVisible(C(`h2[data-entity-page="ibrahim-kalin"]`)),
	)
	arNames := eval[[]string](t, ctx, `[...document.querySelectorAll('#view-entity ul[lang="ar"] li')].map(li => li.textContent)`)
	enNames := eval[[]string](t, ctx, `[...document.querySelectorAll('#view-entity ul[lang="en"] li')].map(li => li.textContent)`)
	if !slices.Contains(arNames, "إبراهيم قالن") || len(enNames) == 0 {
		t.Errorf("entity page names: ar %v en %v", arNames, enNames)
	}
	if bars := eval[int](t, ctx, `document.querySelectorAll("#view-entity .hist span").length`); bars == 0 {
		t.Error("entity page has no timeline")
	}
	if eval[bool](t, ctx, `document.getElementById("view-search").hidden`) != true {
		t.Error("search view still shown on the entity page")
	}

	// The claims view lists statements with speaker, quote, outlet and date.
	within(t, ctx,
		chromedp.Navigate(c.api.URL+"/#/claims/speaker=%D9%85%D8%A7%D8%AC%D8%AF+%D8%A7%D9%84%D8%A3%D9%86%D8%B5%D8%A7%D8%B1%D9%8A"),
		chromedp.WaitVisible(C(`#claims li[data-claim]`)),
	)
	claimDirs := eval[[]string](t, ctx, `[...document.querySelectorAll("#claims li")].map(li => li.getAttribute("dir") + ":" + li.querySelector(".speaker").textContent)`)
	if len(claimDirs) < 2 {
		t.Errorf("claims by al-Ansari: %v", claimDirs)
	}

	// An Arabic statement shows its English report beside it, left to right.
	within(t, ctx,
		chromedp.Navigate(c.api.URL+"/#/claims/speaker=badr-abdelatty&lang=ar&from=2025-11-03&to=2025-11-03"),
		chromedp.WaitVisible(C(`#claims li[data-claim][dir="rtl"] .xlang[data-other-language="en"][dir="ltr"]`)),
	)
	if n := eval[int](t, ctx, `document.querySelectorAll("#claims .xlang").length`); n < 2 {
		t.Errorf("%d English reports shown beside Abdelatty's Arabic claims, want at least 2", n)
	}

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(t.TempDir(), "claims.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil || len(png) < 10000 {
		t.Fatalf("screenshot %d bytes: %v", len(png), err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
}

// The subscriptions view shows each webhook delivery with every attempt:
// one receiver takes the alert, the other answers 410 Gone, and the page
// says so for each.
func TestBrowserSubscriptionDeliveries(t *testing.T) {
	bctx := browser(t)
	ctx := context.Background()
	var got atomic.Int32
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("webhook-id") == "" || r.Header.Get("webhook-signature") == "" {
			http.Error(w, "unsigned", http.StatusBadRequest)
			return
		}
		got.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(ok.Close)
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "this receiver is retired", http.StatusGone)
	}))
	t.Cleanup(gone.Close)

	e := &env{logger: slog.New(slog.DiscardHandler)}
	ix, err := openIndexerWith(indexer.Options{Dir: t.TempDir()}, e)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close(ctx) })
	svc, err := alert.New(alert.Options{DB: ix.DB(), Index: ix, HTTPClient: &http.Client{Timeout: 5 * time.Second},
		Secrets: func(string) string { return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }})
	if err != nil {
		t.Fatal(err)
	}
	subs := []alert.Subscription{
		{Name: "cairo talks", Query: "القاهرة", Webhook: &alert.Webhook{URL: ok.URL, SecretEnv: "HOOK_SECRET"}},
		{Name: "retired receiver", Query: "القاهرة", Webhook: &alert.Webhook{URL: gone.URL, SecretEnv: "HOOK_SECRET"}},
	}
	if err := svc.Sync(ctx, subs); err != nil {
		t.Fatal(err)
	}
	ix.SetBatchHooks(svc.Journal, func(ctx context.Context, batch []document.Article, _ []indexer.Analysis) {
		if err := svc.OnBatch(ctx, batch); err != nil {
			t.Errorf("OnBatch: %v", err)
		}
	})
	a := document.Article{URL: "http://news.test/cairo-1", Source: "news", Lang: "ar", Title: "جولة جديدة في القاهرة",
		Body: "بدأت في القاهرة اليوم جولة جديدة من المحادثات حول المرحلة الثانية من اتفاق وقف إطلاق النار.", Published: time.Date(2025, 11, 4, 9, 0, 0, 0, time.UTC)}
	a.ID = document.IDFor(a.URL)
	if _, err := ix.Put(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := ix.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got.Load() != 1 {
		t.Fatalf("receiver got %d deliveries, want 1", got.Load())
	}
	srv := httptest.NewServer(api.New(newSearch(ix), api.Options{Mounts: map[string]http.Handler{"/api/subscriptions": svc.Handler(), "/api/subscriptions/": svc.Handler()}}).Handler())
	t.Cleanup(srv.Close)

	type C = chromedp.CSS
	within(t, bctx,
		chromedp.Navigate(srv.URL+"/#/subscriptions"),
		chromedp.WaitVisible(C(`#view-subscriptions li[data-sub] button[data-show-deliveries]`)),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("button[data-show-deliveries]").forEach(b => b.click())`),
		chromedp.WaitVisible(C(`tr[data-status="delivered"]`)),
		chromedp.WaitVisible(C(`tr[data-status="disabled"]`)),
	)
	rows := eval[[]string](t, bctx, `[...document.querySelectorAll("tr[data-delivery]")].map(tr => tr.dataset.status + "|" + tr.querySelector(".last").textContent)`)
	if len(rows) != 2 {
		t.Fatalf("delivery rows %v, want 2", rows)
	}
	for _, r := range rows {
		status, last, _ := strings.Cut(r, "|")
		want := map[string]string{"delivered": "HTTP 204", "disabled": "HTTP 410"}[status]
		if want == "" || !strings.Contains(last, want) {
			t.Errorf("row %q: want status delivered or disabled with %q in the last attempt", r, want)
		}
	}
	if n := eval[int](t, bctx, `document.querySelectorAll("#view-subscriptions .error").length`); n != 1 {
		t.Errorf("%d targets marked disabled, want 1", n)
	}
}
