//go:build reliability

package reliability

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler/runs"
	"github.com/mirsad-observatory/mirsad/indexer"
)

// bin is the mirsad binary under test, built once by TestMain.
var bin string

// long selects the long variant: more seeds, the corpus load test.
var long = os.Getenv("MIRSAD_RELIABILITY_LONG") != ""

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mirsad-reliability-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "mirsad")
	build := exec.Command("go", "build", "-o", bin, "github.com/mirsad-observatory/mirsad/cmd/mirsad")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build mirsad: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe to write from a process's pipes while
// the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// proc is one running mirsad.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{}
	code           int
	started        time.Time
}

// hookSecret signs webhook deliveries in every test config.
const hookSecret = "reliability-suite-secret"

// start runs mirsad with args; the test kills it at cleanup if it is
// still running.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	return startEnv(t, nil, args...)
}

// startEnv is start with extra environment variables.
func startEnv(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	p.cmd.Env = append(append(os.Environ(), "MIRSAD_HOOK_SECRET="+hookSecret), env...)
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start mirsad %v: %v", args, err)
	}
	p.started = time.Now()
	go func() {
		p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.signal(syscall.SIGKILL)
		<-p.done
	})
	return p
}

func (p *proc) signal(sig syscall.Signal) {
	select {
	case <-p.done:
	default:
		p.cmd.Process.Signal(sig)
	}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits up to d for the process to exit and returns its exit code;
// it fails the test (killing the process) on timeout.
func (p *proc) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(d):
		p.signal(syscall.SIGKILL)
		<-p.done
		t.Fatalf("mirsad %v did not exit within %s\nstderr:\n%s", p.cmd.Args[1:], d, tail(p.stderr.String()))
		return -1
	}
}

// run runs mirsad to its end (bounded by d) and returns exit code and
// outputs.
func run(t *testing.T, d time.Duration, args ...string) (int, string, string) {
	t.Helper()
	p := start(t, args...)
	code := p.wait(t, d)
	return code, p.stdout.String(), p.stderr.String()
}

var servingRE = regexp.MustCompile(`serving http://([0-9.:]+)/`)

// startServe runs `mirsad serve` on a free loopback port and returns the
// process and its base URL once it is listening.
func startServe(t *testing.T, env []string, cfg string) (*proc, string) {
	t.Helper()
	p := startEnv(t, env, "serve", "-config", cfg, "-addr", "127.0.0.1:0")
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := servingRE.FindStringSubmatch(p.stderr.String()); m != nil {
			return p, "http://" + m[1]
		}
		if p.exited() {
			t.Fatalf("serve exited with %d:\n%s", p.code, tail(p.stderr.String()))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("serve did not start listening:\n%s", tail(p.stderr.String()))
	return nil, ""
}

// peakRSS is the process's peak resident set (VmHWM) in MiB.
func peakRSS(pid int) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			var kb float64
			fmt.Sscan(f[1], &kb)
			return kb / 1024
		}
	}
	return 0
}

func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}

// article is one page of a test site.
type article struct {
	Title, Body, Lang string
	Published         time.Time
}

// site serves feeds and article pages on loopback, each page after a
// delay so that an ingest lasts long enough to be interrupted.
type site struct {
	srv   *httptest.Server
	feeds map[string][]article // feed name -> items
	delay time.Duration
}

func newSite(t *testing.T, feeds map[string][]article, delay time.Duration) *site {
	t.Helper()
	s := &site{feeds: feeds, delay: delay}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) url(feed string, i int) string {
	return fmt.Sprintf("%s/%s/%d.html", s.srv.URL, feed, i)
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	items, ok := s.feeds[parts[0]]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if parts[1] == "rss.xml" {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		var b strings.Builder
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>%s</title><link>%s/%s/</link>`, parts[0], s.srv.URL, parts[0])
		for i, a := range items {
			fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid>%s-%d</guid><pubDate>%s</pubDate></item>`,
				html.EscapeString(a.Title), s.url(parts[0], i), parts[0], i, a.Published.Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		io.WriteString(w, b.String())
		return
	}
	var i int
	if _, err := fmt.Sscanf(parts[1], "%d.html", &i); err != nil || i < 0 || i >= len(items) {
		http.NotFound(w, r)
		return
	}
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-r.Context().Done():
			return
		}
	}
	a := items[i]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var paras strings.Builder
	for _, p := range strings.Split(a.Body, "\n") {
		paras.WriteString("<p>" + html.EscapeString(p) + "</p>\n")
	}
	fmt.Fprintf(w, `<!doctype html><html lang="%s"><head><meta charset="utf-8"><title>%s</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>%s</h1><time datetime="%s">%s</time>
%s</article><footer>Reliability Test Wire</footer></body></html>`,
		a.Lang, html.EscapeString(a.Title), html.EscapeString(a.Title), a.Published.Format(time.RFC3339),
		a.Published.Format("2 January 2006"), paras.String())
}

// Sentences of the generated articles: our own, about the beat.
var (
	enWho   = []string{"Egyptian mediators", "Qatari officials", "The Turkish delegation", "American envoys", "Hamas negotiators", "Israeli officials", "United Nations agencies", "Palestinian civil defence crews"}
	enDid   = []string{"met in Cairo to discuss", "reviewed written proposals on", "called for faster progress on", "raised objections about", "published a statement on", "held late-night talks about"}
	enWhat  = []string{"the exchange of hostages and prisoners", "the second phase of the ceasefire", "aid convoys to northern Gaza", "the reopening of the Rafah crossing", "reconstruction funding for Khan Younis", "the withdrawal line inside Gaza", "an international stabilisation force", "fuel deliveries to hospitals"}
	enWhen  = []string{"on Monday", "on Tuesday evening", "late on Wednesday", "on Thursday morning", "during the weekend", "after midnight"}
	arWho   = []string{"الوسطاء المصريون", "مسؤولون قطريون", "الوفد التركي", "المبعوثون الأمريكيون", "مفاوضو حماس", "مسؤولون إسرائيليون", "وكالات الأمم المتحدة"}
	arDid   = []string{"ناقشوا في القاهرة", "راجعوا مقترحات مكتوبة بشأن", "طالبوا بتسريع", "أبدوا تحفظات على", "أصدروا بيانا حول"}
	arWhat  = []string{"تبادل الأسرى والمحتجزين", "المرحلة الثانية من وقف إطلاق النار", "قوافل المساعدات إلى شمال غزة", "إعادة فتح معبر رفح", "تمويل إعادة الإعمار في خان يونس", "خط الانسحاب داخل غزة"}
	arWhen  = []string{"يوم الاثنين", "مساء الثلاثاء", "في وقت متأخر من الأربعاء", "صباح الخميس", "خلال عطلة نهاية الأسبوع"}
	numbers = []string{"three", "five", "seven", "twelve", "forty", "two hundred", "six hundred"}
)

// genArticles writes n distinct articles (ar and en alternating) from a
// seeded generator; every one carries a serial so no two are reprints.
func genArticles(feed string, n int, seed uint64) []article {
	r := rand.New(rand.NewPCG(seed, 7))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	base := time.Date(2025, 10, 10, 8, 0, 0, 0, time.UTC)
	out := make([]article, n)
	for i := range out {
		a := article{Published: base.Add(time.Duration(i)*97*time.Minute + time.Duration(r.IntN(50))*time.Minute)}
		var sents []string
		if i%2 == 0 {
			a.Lang = "en"
			a.Title = fmt.Sprintf("%s %s %s (%s bulletin %d)", pick(enWho), pick(enDid), pick(enWhat), feed, i)
			for k := 0; k < 4+r.IntN(4); k++ {
				sents = append(sents, fmt.Sprintf("%s %s %s %s, according to %s people briefed on file %s-%d-%d.",
					pick(enWho), pick(enDid), pick(enWhat), pick(enWhen), pick(numbers), feed, i, k))
			}
		} else {
			a.Lang = "ar"
			a.Title = fmt.Sprintf("%s %s %s (نشرة %s رقم %d)", pick(arWho), pick(arDid), pick(arWhat), feed, i)
			for k := 0; k < 4+r.IntN(4); k++ {
				sents = append(sents, fmt.Sprintf("%s %s %s %s، بحسب الملف %s-%d-%d.", pick(arWho), pick(arDid), pick(arWhat), pick(arWhen), feed, i, k))
			}
		}
		a.Body = strings.Join(sents, "\n")
		out[i] = a
	}
	return out
}

// config is what a test config holds.
type config struct {
	DataDir string
	Feeds   []string // feed URLs; each is a source named after its path
	Hook    string   // webhook URL of the subscriptions, or ""
	Extra   string   // YAML appended as is
	// Partitions is the index layout (none or month; default month).
	Partitions string
}

// writeConfig writes a config for cfg into dir and returns its path.
func writeConfig(t *testing.T, dir string, cfg config) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "data_dir: %s\nlisten: 127.0.0.1:0\ncrawl:\n  user_agent: \"Mirsad-reliability/0.1\"\n  allow_private_networks: true\n  timeout: 10s\n  per_host_delay: 0s\n", cfg.DataDir)
	// Monthly partitions unless asked otherwise: the harder layout
	// (several indexes written per batch, a layout file, migration).
	fmt.Fprintf(&b, "index:\n  partitions: %s\n", cmp.Or(cfg.Partitions, "month"))
	b.WriteString("sources:\n")
	for _, f := range cfg.Feeds {
		// http://host:port/NAME/rss.xml
		name := strings.Split(strings.SplitN(f, "//", 2)[1], "/")[1]
		fmt.Fprintf(&b, "  - name: %s\n    kind: feed\n    url: %s\n    language: auto\n    schedule: \"@every 24h\"\n    fetch_articles: true\n", name, f)
	}
	if cfg.Hook != "" {
		fmt.Fprintf(&b, "subscriptions:\n  - name: rafah\n    query: \"Rafah\"\n    webhook: {url: %s, secret_env: MIRSAD_HOOK_SECRET}\n  - name: second-phase\n    query: \"المرحلة الثانية\"\n    webhook: {url: %s, secret_env: MIRSAD_HOOK_SECRET}\n", cfg.Hook, cfg.Hook)
	}
	b.WriteString(cfg.Extra)
	path := filepath.Join(dir, "mirsad.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// delivery is one webhook request received.
type delivery struct {
	ID           string
	Subscription string
	Cluster      string
	URLs         []string
}

// key identifies an alert's content: the same content must never come
// under two webhook ids.
func (d delivery) key() string {
	return d.Subscription + "|" + d.Cluster + "|" + strings.Join(d.URLs, " ")
}

// receiver is a webhook endpoint that records deliveries; onDelivery (if
// set) runs before the answer, so it can kill the sender mid-delivery.
type receiver struct {
	srv        *httptest.Server
	mu         sync.Mutex
	got        []delivery
	onDelivery func(n int) // n counts from 1
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Subscription struct{ ID, Name string }
			Story        struct {
				ClusterID string `json:"cluster_id"`
				Documents []struct{ URL string }
			}
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		d := delivery{ID: r.Header.Get("webhook-id"), Subscription: body.Subscription.Name, Cluster: body.Story.ClusterID}
		for _, doc := range body.Story.Documents {
			d.URLs = append(d.URLs, doc.URL)
		}
		rc.mu.Lock()
		rc.got = append(rc.got, d)
		n, hook := len(rc.got), rc.onDelivery
		rc.mu.Unlock()
		if hook != nil {
			hook(n)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

// alerted is the set of subscription|url pairs delivered.
func alerted(ds []delivery) map[string]bool {
	out := map[string]bool{}
	for _, d := range ds {
		for _, u := range d.URLs {
			out[d.Subscription+"|"+u] = true
		}
	}
	return out
}

// inspect opens a data directory in this process (no mirsad may be
// running on it), compares store and indexes and lists the runs, newest
// first.
func inspect(t *testing.T, dir string) (indexer.VerifyReport, []runs.Run) {
	t.Helper()
	r, list, err := tryInspect(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r, list
}

func tryInspect(dir string) (indexer.VerifyReport, []runs.Run, error) {
	var r indexer.VerifyReport
	ix, err := indexer.Open(indexer.Options{Dir: dir, LockTimeout: 5 * time.Second}, nil)
	if err != nil {
		return r, nil, err
	}
	defer ix.Close(context.Background())
	if r, err = ix.Verify(context.Background()); err != nil {
		return r, nil, err
	}
	store, err := runs.Open(ix.DB(), runs.Options{})
	if err != nil {
		return r, nil, err
	}
	list, err := store.List(1000, "")
	return r, list, err
}
