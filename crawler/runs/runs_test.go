package runs

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/crawler/fetch"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

type memSink struct {
	mu      sync.Mutex
	ids     map[string]bool
	flushes int
}

func (m *memSink) Put(_ context.Context, a document.Article) (crawler.Outcome, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ids == nil {
		m.ids = map[string]bool{}
	}
	if m.ids[a.ID] {
		return crawler.OutcomeUnchanged, nil
	}
	m.ids[a.ID] = true
	return crawler.OutcomeNew, nil
}

func (m *memSink) Flush(context.Context) error {
	m.mu.Lock()
	m.flushes++
	m.mu.Unlock()
	return nil
}

func openDB(t *testing.T) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "mirsad.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// clock hands out times one second apart.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func TestStoreHistory(t *testing.T) {
	db := openDB(t)
	clk := &clock{t: time.Date(2025, 11, 3, 8, 0, 0, 0, time.UTC)}
	st, err := Open(db, Options{Now: clk.Now, Keep: 3})
	if err != nil {
		t.Fatal(err)
	}
	finish := func(status string, ss ...crawler.SourceSummary) Run {
		var names []string
		for _, s := range ss {
			names = append(names, s.Name)
		}
		r, err := st.Begin("test", names)
		if err != nil {
			t.Fatal(err)
		}
		done, err := st.Finish(r.ID, crawler.Summary{Started: r.Started, Finished: clk.Now(), Status: status, Sources: ss})
		if err != nil {
			t.Fatal(err)
		}
		return done
	}
	first := finish("ok", crawler.SourceSummary{Name: "a", Fetched: 3, New: 2}, crawler.SourceSummary{Name: "b", Fetched: 1, Unchanged: 1})
	second := finish("failed", crawler.SourceSummary{Name: "a", Fetched: 1, Failed: 1, Errors: []crawler.ItemError{{URL: "https://a.example/rss", Error: "status 503"}}})

	t.Run("last success skips failures", func(t *testing.T) {
		for _, tc := range []struct {
			source string
			want   time.Time
			found  bool
		}{
			{"a", first.Finished, true},
			{"b", first.Finished, true},
			{"c", time.Time{}, false},
		} {
			got, found, err := st.LastSuccess(tc.source)
			if err != nil || found != tc.found || !got.Equal(tc.want) {
				t.Errorf("%s: %v %v %v, want %v %v", tc.source, got, found, err, tc.want, tc.found)
			}
		}
	})
	t.Run("newest first, by source", func(t *testing.T) {
		list, err := st.List(0, "")
		if err != nil || len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
			t.Fatalf("%v %+v", err, list)
		}
		list, _ = st.List(0, "b")
		if len(list) != 1 || list[0].ID != first.ID {
			t.Fatalf("source b: %+v", list)
		}
	})
	t.Run("running becomes interrupted", func(t *testing.T) {
		r, err := st.Begin("test", []string{"a"})
		if err != nil {
			t.Fatal(err)
		}
		n, err := st.MarkInterrupted()
		if err != nil || n != 1 {
			t.Fatalf("n=%d err=%v", n, err)
		}
		got, _ := st.Get(r.ID)
		if got.Status != StatusInterrupted || got.Finished.IsZero() {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("pruned to Keep", func(t *testing.T) {
		finish("ok", crawler.SourceSummary{Name: "a", Fetched: 1, New: 1})
		list, _ := st.List(0, "")
		if len(list) != 3 || list[2].ID == first.ID {
			t.Fatalf("kept %d runs, oldest %s", len(list), list[len(list)-1].ID)
		}
	})
}

func feedServer(t *testing.T, block <-chan struct{}) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if block != nil && r.URL.Path == "/slow.xml" {
			select {
			case <-block:
			case <-r.Context().Done():
				return
			}
		}
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Talks resume</title><link>/a</link><guid>a</guid><description>Delegations met in Cairo on Monday.</description></item>
</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHandler(t *testing.T) {
	block := make(chan struct{})
	srv := feedServer(t, block)
	st, err := Open(openDB(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cr := crawler.New(crawler.Options{Fetch: fetch.New(fetch.Options{AllowPrivateNetworks: true, MaxRetries: -1}, nil)}, nil)
	sink := &memSink{}
	runner := NewRunner(RunnerOptions{Store: st, Crawler: cr, Sink: sink, Sources: []crawler.Source{
		{Name: "fast", URL: srv.URL + "/rss.xml"},
		{Name: "slow", URL: srv.URL + "/slow.xml"},
	}})
	api := httptest.NewServer(Handler(st, runner))
	defer api.Close()

	call := func(method, path string) (int, map[string]json.RawMessage) {
		t.Helper()
		req, _ := http.NewRequest(method, api.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]json.RawMessage
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return resp.StatusCode, out
	}
	runsOf := func(raw json.RawMessage) []Run {
		var rs []Run
		if err := json.Unmarshal(raw, &rs); err != nil {
			t.Fatal(err)
		}
		return rs
	}

	code, out := call("POST", "/api/runs?source=slow")
	if code != http.StatusAccepted || runsOf(out["runs"])[0].Status != StatusRunning {
		t.Fatalf("start: %d %s", code, out["runs"])
	}
	if code, out := call("POST", "/api/runs?source=slow"); code != http.StatusConflict || !strings.Contains(string(out["error"]), "already") {
		t.Errorf("second start of a running source: %d %s", code, out)
	}
	if code, out := call("POST", "/api/runs?source=nope"); code != http.StatusNotFound || !strings.Contains(string(out["error"]), "fast, slow") {
		t.Errorf("unknown source: %d %s", code, out)
	}
	if code, _ := call("DELETE", "/api/runs"); code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", code)
	}
	// The other source runs meanwhile.
	done, err := runner.Run(context.Background(), "test", "fast")
	if err != nil || done.Status != StatusOK || done.Sources[0].New != 1 {
		t.Fatalf("fast: %+v %v", done, err)
	}
	close(block)
	runner.Wait()
	code, out = call("GET", "/api/runs")
	list := runsOf(out["runs"])
	if code != http.StatusOK || len(list) != 2 {
		t.Fatalf("list: %d %+v", code, list)
	}
	// Newest first: the slow run started first but finished last; ids
	// order by start.
	slow := list[1]
	if slow.Trigger != "api" || slow.Status != StatusOK || slow.Sources[0].Name != "slow" || slow.Sources[0].Unchanged+slow.Sources[0].New != 1 {
		t.Errorf("slow run: %+v", slow)
	}
	if code, out := call("GET", "/api/runs/"+slow.ID); code != http.StatusOK || !strings.Contains(string(out["id"]), slow.ID) {
		t.Errorf("get one: %d %v", code, out)
	}
	if code, _ := call("GET", "/api/runs/nope"); code != http.StatusNotFound {
		t.Errorf("unknown id: %d", code)
	}
	if sink.flushes < 2 {
		t.Errorf("flushes = %d", sink.flushes)
	}
	if code, out := call("GET", "/api/runs?limit=zero"); code != http.StatusBadRequest {
		t.Errorf("bad limit: %d %v", code, out)
	}
}

func TestLiveProgress(t *testing.T) {
	block := make(chan struct{})
	srv := feedServer(t, block)
	st, err := Open(openDB(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var runner *Runner
	cr := crawler.New(crawler.Options{
		Fetch:    fetch.New(fetch.Options{AllowPrivateNetworks: true, MaxRetries: -1}, nil),
		Progress: func(p crawler.Progress) { runner.Observe(p) },
	}, nil)
	runner = NewRunner(RunnerOptions{Store: st, Crawler: cr, Sink: &memSink{}, Sources: []crawler.Source{
		{Name: "fast", URL: srv.URL + "/rss.xml"},
		{Name: "slow", URL: srv.URL + "/slow.xml"},
	}})
	run, err := runner.Start("api")
	if err != nil {
		t.Fatal(err)
	}
	// While slow hangs, the record shows fast's finished counts.
	deadline := time.Now().Add(5 * time.Second)
	var got Run
	for time.Now().Before(deadline) {
		if got, err = st.Get(run.ID); err != nil {
			t.Fatal(err)
		}
		if got.Sources[0].New == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got.Status != StatusRunning || got.Sources[0].Name != "fast" || got.Sources[0].New != 1 || got.Sources[1].Fetched != 0 {
		t.Fatalf("while running: %+v", got)
	}
	close(block)
	runner.Wait()
	final, _ := st.Get(run.ID)
	if final.Status != StatusOK || final.Sources[1].New+final.Sources[1].Unchanged != 1 {
		t.Fatalf("final: %+v", final)
	}
	// A late report never reopens a finished run.
	runner.Observe(crawler.Progress{Source: "fast", Finished: true})
	if err := st.Progress(run.ID, []crawler.SourceSummary{{Name: "fast"}}); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.Get(run.ID); again.Sources[0].New != 1 || again.Status != StatusOK {
		t.Errorf("finished run changed: %+v", again)
	}
}
