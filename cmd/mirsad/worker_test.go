package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/internal/scale"
	"github.com/mirsad-observatory/mirsad/internal/scale/bench"
	"github.com/mirsad-observatory/mirsad/internal/scale/natstest"
)

func TestWorkerUsage(t *testing.T) {
	t.Setenv("MIRSAD_NATS", "")
	for _, args := range [][]string{{"worker"}, {"worker", "crawl"}, {"worker", "fetch"}, {"worker", "index", "-jobs"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(context.Background(), args, &bytes.Buffer{}, &stderr); code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr.String())
			}
		})
	}
}

// `mirsad worker index` and two `mirsad worker fetch` read one config and
// ingest a loopback site through a real JetStream server.
func TestWorkerCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a NATS server and workers")
	}
	srv, err := natstest.Start(t.TempDir())
	if err != nil {
		t.Skipf("no NATS server could start on loopback: %v", err)
	}
	defer srv.Shutdown()
	site, err := bench.NewSite(bench.SiteOptions{Articles: 40, Sections: 4, Hosts: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	dir := t.TempDir()
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "data_dir: %s\nlisten: 127.0.0.1:0\ncrawl:\n  allow_private_networks: true\n  per_host_delay: 20ms\nsources:\n", filepath.Join(dir, "data"))
	for _, s := range site.Sources() {
		fmt.Fprintf(&yaml, "  - name: %s\n    url: %s\n    schedule: \"@every 1h\"\n    fetch_articles: true\n", s.Name, s.URL)
	}
	cfgPath := filepath.Join(dir, "mirsad.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exits := make(chan string, 3)
	for _, role := range []string{"index", "fetch", "fetch"} {
		go func() {
			var stderr bytes.Buffer
			code := run(ctx, []string{"worker", role, "-v", "-nats", srv.ClientURL(), "-config", cfgPath}, &bytes.Buffer{}, &stderr)
			exits <- fmt.Sprintf("%s exit %d: %s", role, code, stderr.String())
		}()
	}
	c, err := scale.Connect(ctx, srv.ClientURL(), scale.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	sources, err := crawlerSources(cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	sum := scale.NewDispatcher(c).Run(ctx, sources, nil)
	t.Logf("run took %s", time.Since(t0))
	if sum.Status != "ok" {
		t.Fatalf("run %s: %+v", sum.Status, sum.Sources)
	}
	cons, err := c.JS.Consumer(ctx, scale.StreamArticles, scale.ConsumerIndex)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		info, err := cons.Info(ctx)
		if err == nil && info.Delivered.Stream >= 40 && info.NumPending == 0 && info.NumAckPending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("articles not all indexed after 30s: %+v %v", info, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	for range 3 {
		e := <-exits
		t.Log(e)
		if !strings.Contains(e, "exit 0") {
			t.Error(e)
		}
	}
	ix, err := indexer.Open(indexer.Options{Dir: cfg.DataDir, SkipIndex: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close(context.Background())
	if n, err := ix.Count(); n != 40 || err != nil {
		t.Errorf("stored %d articles (%v), want 40", n, err)
	}
}

// `mirsad serve -nats` publishes its due sources as jobs, a `worker fetch`
// fetches them, and serve's own index worker makes them searchable.
func TestServeWithNATS(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a NATS server, serve and a worker")
	}
	srv, err := natstest.Start(t.TempDir())
	if err != nil {
		t.Skipf("no NATS server could start on loopback: %v", err)
	}
	defer srv.Shutdown()
	site, err := bench.NewSite(bench.SiteOptions{Articles: 30, Sections: 3, Hosts: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	dir := t.TempDir()
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "data_dir: %s\nlisten: 127.0.0.1:0\ncrawl:\n  allow_private_networks: true\n  per_host_delay: 10ms\nsources:\n", filepath.Join(dir, "data"))
	for _, s := range site.Sources() {
		fmt.Fprintf(&yaml, "  - name: %s\n    url: %s\n    schedule: \"@every 1h\"\n    fetch_articles: true\n", s.Name, s.URL)
	}
	cfgPath := filepath.Join(dir, "mirsad.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	exits := make(chan string, 2)
	for _, args := range [][]string{
		{"serve", "-nats", srv.ClientURL(), "-config", cfgPath, "-addr", addr},
		{"worker", "fetch", "-nats", srv.ClientURL(), "-config", cfgPath},
	} {
		go func() {
			var stderr bytes.Buffer
			code := run(ctx, args, &bytes.Buffer{}, &stderr)
			exits <- fmt.Sprintf("%s exit %d: %s", args[0], code, stderr.String())
		}()
	}
	// serve's catch-up run (the sources never ran) dispatches the jobs.
	deadline := time.Now().Add(60 * time.Second)
	var total uint64
	for total < 30 {
		if time.Now().After(deadline) {
			t.Fatalf("%d of 30 articles searchable after 60s", total)
		}
		time.Sleep(200 * time.Millisecond)
		resp, err := http.Get("http://" + addr + "/api/search?size=1&collapse=false")
		if err != nil {
			continue
		}
		var r struct {
			Total uint64 `json:"total"`
		}
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		total = r.Total
	}
	resp, err := http.Get("http://" + addr + "/api/runs")
	if err != nil {
		t.Fatal(err)
	}
	var runs struct {
		Runs []struct {
			Status string `json:"status"`
		} `json:"runs"`
	}
	json.NewDecoder(resp.Body).Decode(&runs)
	resp.Body.Close()
	if len(runs.Runs) == 0 {
		t.Error("serve -nats recorded no run")
	}
	cancel()
	for range 2 {
		if e := <-exits; !strings.Contains(e, "exit 0") {
			t.Error(e)
		}
	}
}
