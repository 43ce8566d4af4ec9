//go:build reliability

package reliability

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler/runs"
)

// fixture is a site of generated articles and a config pointing at it.
type fixture struct {
	site  *site
	dir   string // holds the config and data/
	data  string
	cfg   string
	total int
	feeds []string
}

func newFixture(t *testing.T, perFeed int, delay time.Duration, names ...string) *fixture {
	t.Helper()
	feeds := map[string][]article{}
	for i, n := range names {
		feeds[n] = genArticles(n, perFeed, uint64(100+i))
	}
	f := &fixture{site: newSite(t, feeds, delay), dir: t.TempDir(), total: perFeed * len(names)}
	for _, n := range names {
		f.feeds = append(f.feeds, f.site.srv.URL+"/"+n+"/rss.xml")
	}
	f.data = filepath.Join(f.dir, "data")
	f.cfg = writeConfig(t, f.dir, config{DataDir: f.data, Feeds: f.feeds})
	return f
}

// ingested returns a fixture whose whole site is already ingested.
func ingested(t *testing.T, perFeed int) *fixture {
	t.Helper()
	f := newFixture(t, perFeed, 0, "desk-a", "desk-b")
	if code, out, errOut := run(t, 3*time.Minute, "ingest", "-config", f.cfg); code != 0 {
		t.Fatalf("ingest exited %d\n%s\n%s", code, out, tail(errOut))
	}
	return f
}

// TestGracefulShutdown sends SIGTERM to serve while its catch-up ingest
// runs and clients query it: in-flight queries are answered, the batch in
// hand is committed, the run is recorded as interrupted, and serve exits
// 0 within the bound. The same for `mirsad ingest`, which exits 1 (an
// interrupted ingest is not a success) but keeps what it committed.
func TestGracefulShutdown(t *testing.T) {
	const bound = 15 * time.Second
	t.Run("serve", func(t *testing.T) {
		f := newFixture(t, 40, 40*time.Millisecond, "slow-a", "slow-b")
		p, base := startServe(t, nil, f.cfg)
		// Let the catch-up run get going and clients settle in.
		waitFor(t, 30*time.Second, func() bool { return strings.Contains(get(base+"/api/runs"), `"running"`) })
		var ok, fail5xx, broken atomic.Int64
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for c := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					resp, err := http.Get(base + "/api/search?q=" + url.QueryEscape([]string{"Rafah", "غزة", "ceasefire", "القاهرة"}[(c+i)%4]))
					if err != nil {
						// Refused after the listener closed is expected; a
						// reset of an accepted request is not.
						if !strings.Contains(err.Error(), "refused") {
							broken.Add(1)
							t.Logf("request cut off: %v", err)
						}
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode >= 500 {
						fail5xx.Add(1)
					} else {
						ok.Add(1)
					}
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		sent := time.Now()
		p.signal(syscall.SIGTERM)
		code := p.wait(t, bound)
		took := time.Since(sent)
		close(stop)
		wg.Wait()
		if code != 0 {
			t.Errorf("serve exited %d after SIGTERM:\n%s", code, tail(p.stderr.String()))
		}
		if fail5xx.Load() > 0 || broken.Load() > 0 {
			t.Errorf("during shutdown: %d answers 5xx, %d requests cut off (%d ok)", fail5xx.Load(), broken.Load(), ok.Load())
		}
		r, list := inspect(t, f.data)
		if !r.OK() {
			t.Errorf("after SIGTERM store and index disagree: %+v", r)
		}
		for _, run := range list {
			if run.Status == runs.StatusRunning {
				t.Errorf("a run SIGTERM cut off is not recorded as finished or interrupted: %+v", run)
			}
		}
		if len(list) == 0 {
			t.Error("no run recorded")
		}
		status := ""
		if len(list) > 0 {
			status = list[0].Status
		}
		t.Logf("RESULT sigterm-serve: exit=%d in %s, %d queries ok, %d 5xx, %d cut off, %d of %d articles committed, run %s",
			code, took.Round(time.Millisecond), ok.Load(), fail5xx.Load(), broken.Load(), r.Stored, f.total, status)
	})
	t.Run("ingest", func(t *testing.T) {
		f := newFixture(t, 40, 40*time.Millisecond, "slow-a", "slow-b")
		p := start(t, "ingest", "-config", f.cfg)
		time.Sleep(2 * time.Second)
		sent := time.Now()
		p.signal(syscall.SIGTERM)
		code := p.wait(t, bound)
		took := time.Since(sent)
		if code == 0 && !strings.Contains(p.stdout.String(), "ingest ok") {
			t.Errorf("an interrupted ingest exited 0:\n%s", p.stdout.String())
		}
		r, list := inspect(t, f.data)
		if !r.OK() {
			t.Errorf("after SIGTERM store and index disagree: %+v", r)
		}
		if len(list) == 0 || list[0].Status != runs.StatusInterrupted && list[0].Status != runs.StatusOK {
			t.Errorf("the run is not recorded as interrupted: %+v", list)
		}
		t.Logf("RESULT sigterm-ingest: exit=%d in %s, %d of %d articles committed, stderr: %s", code, took.Round(time.Millisecond), r.Stored, f.total, lastLine(p.stderr.String()))
	})
}

// TestSecondProcess starts a second mirsad on a data directory serve
// holds: it must fail within seconds, naming the holder.
func TestSecondProcess(t *testing.T) {
	f := ingested(t, 5)
	p, _ := startServe(t, nil, f.cfg)
	for _, args := range [][]string{
		{"ingest", "-config", f.cfg},
		{"verify", "-config", f.cfg},
		{"reindex", "-config", f.cfg},
		{"serve", "-config", f.cfg, "-addr", "127.0.0.1:0"},
	} {
		t.Run(args[0], func(t *testing.T) {
			began := time.Now()
			code, _, errOut := run(t, 20*time.Second, args...)
			took := time.Since(began)
			if code == 0 {
				t.Fatalf("a second %s on a held data dir succeeded", args[0])
			}
			holder := fmt.Sprintf("pid %d", p.cmd.Process.Pid)
			if !strings.Contains(errOut, "locked") || !strings.Contains(errOut, holder) {
				t.Errorf("the error does not name the holder (%s):\n%s", holder, errOut)
			}
			if took > 10*time.Second {
				t.Errorf("took %s to fail", took)
			}
			t.Logf("RESULT second-process %s: exit=%d in %s: %s", args[0], code, took.Round(time.Millisecond), lastLine(errOut))
		})
	}
}

// TestDamage damages a copy of an ingested data directory in several
// ways. Mirsad must either work or stop with an error that says to run
// `mirsad reindex`; reindex must then bring back every stored article.
func TestDamage(t *testing.T) {
	f := ingested(t, 15)
	cases := []struct {
		name   string
		damage func(t *testing.T, data string)
		store  bool // the store itself is damaged: only a clear error is asked
	}{
		{name: "stray file in index dir", damage: func(t *testing.T, data string) {
			write(t, filepath.Join(data, "index.bleve", "notes.txt"), "someone's notes")
			write(t, filepath.Join(data, "claims.bleve", "core"), "")
		}},
		{name: "stray segment in a partition", damage: func(t *testing.T, data string) {
			write(t, filepath.Join(firstPartition(t, data), "store", "00000000ffff.zap"), strings.Repeat("\x00garbage", 512))
		}},
		{name: "stray partition dir", damage: func(t *testing.T, data string) {
			os.MkdirAll(filepath.Join(data, "index.bleve", "1999-01.bleve"), 0o755)
		}},
		{name: "truncated segment", damage: func(t *testing.T, data string) {
			zaps, _ := filepath.Glob(filepath.Join(firstPartition(t, data), "store", "*.zap"))
			if len(zaps) == 0 {
				t.Skip("no segment file to truncate")
			}
			st, _ := os.Stat(zaps[0])
			if err := os.Truncate(zaps[0], st.Size()/2); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "corrupted bbolt page of the index", damage: func(t *testing.T, data string) {
			corrupt(t, filepath.Join(firstPartition(t, data), "store", "root.bolt"))
		}},
		{name: "corrupted bbolt page of the claims index", damage: func(t *testing.T, data string) {
			corrupt(t, filepath.Join(data, "claims.bleve", "store", "root.bolt"))
		}},
		{name: "corrupted bbolt page of the store", damage: func(t *testing.T, data string) {
			corrupt(t, filepath.Join(data, "mirsad.db"))
		}, store: true},
		{name: "index dir removed", damage: func(t *testing.T, data string) {
			os.RemoveAll(filepath.Join(data, "index.bleve"))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			data := filepath.Join(dir, "data")
			if out, err := exec.Command("cp", "-a", f.data, data).CombinedOutput(); err != nil {
				t.Fatalf("copy: %v %s", err, out)
			}
			cfg := writeConfig(t, dir, config{DataDir: data, Feeds: f.feeds})
			c.damage(t, data)
			began := time.Now()
			code, out, errOut := run(t, 30*time.Second, "verify", "-strict", "-config", cfg)
			outcome := "works"
			switch {
			case code == 0:
			case c.store && strings.Contains(errOut, "restore it from a backup"):
				outcome = "clear error"
			case strings.Contains(errOut, "mirsad reindex") || strings.Contains(out, "mirsad reindex"):
				outcome = "clear error"
			default:
				outcome = "UNCLEAR"
				t.Errorf("damage gives exit %d without telling to run reindex:\n%s\n%s", code, out, tail(errOut))
			}
			if strings.Contains(errOut, "panic:") || strings.Contains(errOut, "goroutine ") {
				t.Errorf("mirsad panicked on damage:\n%s", tail(errOut))
			}
			detected := time.Since(began)
			if c.store {
				// The store is the truth: nothing rebuilds it.
				t.Logf("RESULT damage %q: %s (exit %d in %s: %s)", c.name, outcome, code, detected.Round(time.Millisecond), lastLine(errOut+out))
				return
			}
			if code, out, errOut := run(t, 2*time.Minute, "reindex", "-config", cfg); code != 0 {
				t.Fatalf("reindex exited %d:\n%s\n%s", code, out, tail(errOut))
			}
			r, _ := inspect(t, data)
			if !r.OK() || r.Stored != f.total {
				t.Errorf("after reindex: %d of %d stored, ok=%v: %+v", r.Stored, f.total, r.OK(), r)
			}
			t.Logf("RESULT damage %q: %s (exit %d in %s: %s); after reindex %d/%d articles, ok=%v", c.name, outcome, code,
				detected.Round(time.Millisecond), lastLine(errOut+out), r.Stored, f.total, r.OK())
		})
	}
}

// TestPanicInQuery makes a query panic inside the real server (a fault
// hook of the binary): the answer is a 500 and the server lives on.
func TestPanicInQuery(t *testing.T) {
	f := ingested(t, 5)
	_, base := startServe(t, []string{"MIRSAD_FAULT_PANIC_QUERY=injected-panic"}, f.cfg)
	for i := range 3 {
		resp, err := http.Get(base + "/api/search?q=injected-panic")
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(string(body), `"error"`) {
			t.Errorf("panicking query: %d %s, want 500 with an error body", resp.StatusCode, body)
		}
	}
	resp, err := http.Get(base + "/api/search?q=Rafah")
	if err != nil {
		t.Fatalf("the server died with the panic: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after a panic a normal query answers %d", resp.StatusCode)
	}
	t.Logf("RESULT panic-in-query: 3 panics answered 500, next query %d", resp.StatusCode)
}

// TestDiskFull ingests onto a small tmpfs: the ingest fails with a clear
// error, what was committed stays searchable, and once space returns the
// next ingest completes.
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("disk full needs root to mount a small tmpfs")
	}
	// A short feed commits its batch first; the disk fills while the
	// long ones are still being fetched.
	f := newFixture(t, 60, 15*time.Millisecond, "bulk-a", "bulk-b", "bulk-c")
	f.site.feeds["bulk-0"] = genArticles("bulk-0", 8, 99)
	f.feeds = append(f.feeds, f.site.srv.URL+"/bulk-0/rss.xml")
	f.total += 8
	mnt := filepath.Join(t.TempDir(), "tmpfs")
	os.MkdirAll(mnt, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs not permitted here (%v: %s): disk full not tested", err, strings.TrimSpace(string(out)))
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	data := filepath.Join(mnt, "data")
	cfg := writeConfig(t, f.dir, config{DataDir: data, Feeds: f.feeds})
	p := start(t, "ingest", "-config", cfg)
	// Once the data dir is open, a filler takes all the space but a
	// little: the ingest runs into ENOSPC part of the way through.
	waitFor(t, time.Minute, func() bool {
		// The claims index's first segment: the first batch is being
		// written, whatever the article index's layout.
		segs, _ := filepath.Glob(filepath.Join(data, "claims.bleve", "store", "*.zap"))
		return len(segs) > 0 || p.exited()
	})
	time.Sleep(100 * time.Millisecond) // the first batch commits
	filler := filepath.Join(mnt, "filler")
	fill(t, filler, 96<<10)
	code := p.wait(t, 3*time.Minute)
	out, errOut := p.stdout.String(), p.stderr.String()
	if code == 0 {
		t.Fatalf("ingest onto a full disk succeeded:\n%s", out)
	}
	full := strings.Contains(errOut+out, "no space left on device")
	if !full {
		t.Errorf("the error does not say the disk is full:\n%s\n%s", out, tail(errOut))
	}
	if strings.Contains(errOut, "panic:") {
		t.Errorf("mirsad panicked on a full disk:\n%s", tail(errOut))
	}
	os.Remove(filler) // space returns
	r, _, err := tryInspect(data)
	acked := r.Stored
	needReindex := false
	if err != nil {
		if !strings.Contains(err.Error(), "mirsad reindex") {
			t.Fatalf("after the disk filled up the data dir does not open: %v", err)
		}
		needReindex = true
		if code, out, errOut := run(t, 2*time.Minute, "reindex", "-config", cfg); code != 0 {
			t.Fatalf("reindex exited %d:\n%s\n%s", code, out, tail(errOut))
		}
		r, _ = inspect(t, data)
		acked = r.Stored
	}
	if !r.Lossless() {
		t.Errorf("after the disk filled up, stored articles are not searchable: %+v", r)
	}
	code2, out2, errOut2 := run(t, 3*time.Minute, "ingest", "-config", cfg)
	if code2 != 0 {
		t.Fatalf("ingest once space returned exited %d:\n%s\n%s", code2, out2, tail(errOut2))
	}
	after, _ := inspect(t, data)
	if after.Stored != f.total {
		t.Logf("failed ingest:\n%s\n%s\nnext ingest:\n%s\n%s", out, tail(errOut), out2, tail(errOut2))
	}
	if !after.OK() || after.Stored != f.total {
		t.Errorf("after recovery %d of %d stored, ok=%v", after.Stored, f.total, after.OK())
	}
	t.Logf("RESULT disk-full: exit=%d (%q), %d articles committed before, reindex needed=%v, lossless=%v, after recovery %d/%d ok=%v",
		code, firstMatch(errOut+out, "no space"), acked, needReindex, r.Lossless(), after.Stored, f.total, after.OK())
}

// fill writes path until the file system is full, then gives back
// spare bytes.
func fill(t *testing.T, path string, spare int64) {
	t.Helper()
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	chunk := make([]byte, 64<<10)
	var n int64
	for {
		k, err := fh.Write(chunk)
		n += int64(k)
		if err != nil {
			break
		}
	}
	if err := fh.Truncate(max(0, n-spare)); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstPartition is the path of the first partition of the article index.
func firstPartition(t *testing.T, data string) string {
	t.Helper()
	parts, _ := filepath.Glob(filepath.Join(data, "index.bleve", "*.bleve"))
	sort.Strings(parts)
	if len(parts) == 0 {
		// an unpartitioned index
		return filepath.Join(data, "index.bleve")
	}
	return parts[0]
}

// corrupt overwrites bbolt pages 2 and 3 (the freelist and first data
// pages of a small file; pages 0 and 1 are the meta pages) with garbage.
func corrupt(t *testing.T, path string) {
	t.Helper()
	fh, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	st, _ := fh.Stat()
	page := int64(os.Getpagesize())
	for off := 2 * page; off < min(st.Size(), 6*page); off += 97 {
		fh.WriteAt([]byte("\xde\xad\xbe\xef"), off)
	}
}

func get(u string) string {
	resp, err := http.Get(u)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func waitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", d)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func firstMatch(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}
