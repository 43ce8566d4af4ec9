package alert

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// The SIGKILL test re-executes this test binary as a small alert process
// (TestMain dispatches on the environment) and kills it at two points.
const (
	childModeEnv = "MIRSAD_ALERT_CHILD"
	childDBEnv   = "MIRSAD_ALERT_CHILD_DB"
	childHookEnv = "MIRSAD_ALERT_CHILD_HOOK"
	killSecret   = "kill-test secret"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(childModeEnv); mode != "" {
		os.Exit(childMain(mode, os.Getenv(childDBEnv), os.Getenv(childHookEnv)))
	}
	os.Exit(m.Run())
}

// childMain is the process under test: it opens the bbolt file, loads the
// config subscriptions, and then either matches a batch (mode match),
// delivers (mode send), or matches the batch again as a re-ingest would
// and delivers everything pending (mode resume).
func childMain(mode, dbPath, hook string) int {
	ctx := context.Background()
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 3
	}
	db, err := bolt.Open(dbPath, 0o600, &bolt.Options{Timeout: 10 * time.Second})
	if err != nil {
		return fail(err)
	}
	svc, err := New(Options{DB: db, Strategy: MatchMemory, Secrets: func(string) string { return killSecret }})
	if err != nil {
		return fail(err)
	}
	hooked := func(s Subscription) Subscription {
		s.Webhook = &Webhook{URL: hook, SecretEnv: "KILL_SECRET"}
		return s
	}
	if err := svc.Sync(ctx, []Subscription{
		hooked(Subscription{Name: "phase", Query: `"second phase"`}),
		hooked(Subscription{Name: "ansari", Speaker: StringList{"majed-al-ansari"}}),
		hooked(Subscription{Name: "cairo", Entities: StringList{"cairo"}}),
	}); err != nil {
		return fail(err)
	}
	data, err := os.ReadFile(filepath.Join("testdata", "batch.json"))
	if err != nil {
		return fail(err)
	}
	var batch []document.Article
	if err := json.Unmarshal(data, &batch); err != nil {
		return fail(err)
	}
	switch mode {
	case "match":
		if err := svc.OnBatch(ctx, batch); err != nil {
			return fail(err)
		}
		fmt.Println("matched")
		select {} // killed here: matched, nothing sent
	case "send":
		svc.afterSend = func(d *Delivery) {
			fmt.Println("sent", d.ID)
			select {} // killed here: the receiver has it, the outbox does not know
		}
		if err := svc.Run(ctx); err != nil {
			return fail(err)
		}
	case "resume":
		if err := svc.OnBatch(ctx, batch); err != nil {
			return fail(err)
		}
		for {
			next, err := svc.DeliverDue(ctx)
			if err != nil {
				return fail(err)
			}
			if next.IsZero() {
				break
			}
			time.Sleep(time.Until(next))
		}
		fmt.Println("done")
		return 0
	}
	return fail(fmt.Errorf("unknown mode %q", mode))
}

func TestSIGKILLLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	rcv := newReceiver(t, []byte(killSecret), time.Now)
	dbPath := filepath.Join(t.TempDir(), "mirsad.db")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// start runs the child until it prints a line starting with want,
	// then kills it with SIGKILL (kill) or waits for it to exit.
	start := func(mode, want string, kill bool) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childModeEnv+"="+mode, childDBEnv+"="+dbPath, childHookEnv+"="+rcv.srv.URL+"/hook")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		line := ""
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), want) {
				line = sc.Text()
				break
			}
		}
		if line == "" {
			cmd.Wait()
			t.Fatalf("%s: child never printed %q; stderr: %s", mode, want, stderr.String())
		}
		if kill {
			if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
				t.Fatal(err)
			}
			cmd.Wait()
		} else if err := cmd.Wait(); err != nil {
			t.Fatalf("%s: %v; stderr: %s", mode, err, stderr.String())
		}
		return line
	}

	start("match", "matched", true)
	if n := len(rcv.got()); n != 0 {
		t.Fatalf("receiver saw %d requests before any send", n)
	}
	sent := strings.TrimPrefix(start("send", "sent ", true), "sent ")
	if n := len(rcv.got()); n != 1 {
		t.Fatalf("receiver saw %d requests after the first send, want 1", n)
	}
	start("resume", "done", false)

	// What the store says was matched, read after the children are gone.
	db, err := bolt.Open(dbPath, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := New(Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	subs, err := svc.Subscriptions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, s := range subs {
		alerts, err := svc.Alerts(context.Background(), s.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range alerts {
			want[a.ID] = true
		}
	}
	if len(want) < 3 {
		t.Fatalf("only %d alerts recorded; the batch should give each subscription one", len(want))
	}
	seen := map[string]int{}
	bodies := map[string][]byte{}
	for _, r := range rcv.got() {
		if !r.validSig {
			t.Errorf("%s: bad signature", r.id)
		}
		if !want[r.id] {
			t.Errorf("receiver got %s, which no alert has", r.id)
		}
		if b, ok := bodies[r.id]; ok && !bytes.Equal(b, r.body) {
			t.Errorf("%s: resent with a different body", r.id)
		}
		bodies[r.id] = r.body
		seen[r.id]++
	}
	for id := range want {
		switch {
		case seen[id] == 0:
			t.Errorf("alert %s lost", id)
		case id == sent && seen[id] != 2:
			t.Errorf("alert %s (killed after send) received %d times, want 2 with the same id", id, seen[id])
		case id != sent && seen[id] != 1:
			t.Errorf("alert %s received %d times", id, seen[id])
		}
	}
}
