package scale

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/mirsad-observatory/mirsad/crawler"
	"github.com/mirsad-observatory/mirsad/crawler/runs"
)

// Dispatcher stands in for the crawler in `serve -nats`: a run publishes
// one job per source and waits for the fetch workers' reports, so the run
// history (/api/runs) reads as in single-process mode. The counts differ
// in one way: a worker cannot tell new from unchanged, so every article it
// sent counts as new; the index worker's Put sorts them.
type Dispatcher struct {
	c *Conn
	// Wait bounds how long a run waits for reports beyond the sources'
	// own timeouts: 1m.
	Wait time.Duration
}

var _ runs.Crawler = (*Dispatcher)(nil)

// NewDispatcher returns a Dispatcher on c.
func NewDispatcher(c *Conn) *Dispatcher { return &Dispatcher{c: c, Wait: time.Minute} }

// Publish queues one job per source and returns their ids.
func (d *Dispatcher) Publish(ctx context.Context, trigger string, sources []crawler.Source) ([]string, error) {
	run := newID()
	ids := make([]string, len(sources))
	for i, src := range sources {
		job := Job{ID: fmt.Sprintf("%s.%d", run, i), Trigger: trigger, Queued: time.Now().UTC(), Source: src}
		data, err := json.Marshal(job)
		if err != nil {
			return nil, fmt.Errorf("scale: encode job %s: %w", src.Name, err)
		}
		if _, err := d.c.JS.Publish(ctx, SubjectJobs, data, jetstream.WithMsgID(job.ID)); err != nil {
			return nil, fmt.Errorf("scale: queue %s: %w", src.Name, err)
		}
		ids[i] = job.ID
	}
	return ids, nil
}

// Run queues the sources and waits for every report, ctx's end, or the
// longest source timeout plus Wait. A source without a report counts as
// failed; its job stays queued and a worker still runs it.
func (d *Dispatcher) Run(ctx context.Context, sources []crawler.Source, _ crawler.Sink) crawler.Summary {
	sum := crawler.Summary{Started: time.Now().UTC(), Sources: make([]crawler.SourceSummary, len(sources))}
	reports := make(chan *nats.Msg, len(sources)+8)
	// Subscribe before publishing, so no report can come first.
	sub, err := d.c.NC.ChanSubscribe(SubjectResults+".>", reports)
	if err == nil {
		defer sub.Unsubscribe()
	}
	var ids []string
	if err == nil {
		ids, err = d.Publish(ctx, "run", sources)
	}
	if err != nil {
		for i, src := range sources {
			sum.Sources[i] = crawler.SourceSummary{Name: src.Name, Failed: 1, Errors: []crawler.ItemError{{URL: src.URL, Error: err.Error()}}}
		}
		sum.Finished, sum.Status = time.Now().UTC(), "failed"
		return sum
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	longest := time.Duration(0)
	for _, s := range sources {
		longest = max(longest, s.Timeout)
	}
	if longest == 0 {
		longest = 10 * time.Minute
	}
	deadline := time.NewTimer(longest + d.Wait)
	defer deadline.Stop()
	got := make([]bool, len(sources))
	left := len(sources)
	for left > 0 {
		select {
		case m := <-reports:
			i, ok := pos[strings.TrimPrefix(m.Subject, SubjectResults+".")]
			if !ok || got[i] {
				continue
			}
			var ss crawler.SourceSummary
			if err := json.Unmarshal(m.Data, &ss); err != nil {
				ss = crawler.SourceSummary{Name: sources[i].Name, Failed: 1, Errors: []crawler.ItemError{{URL: sources[i].URL, Error: "scale: report does not decode: " + err.Error()}}}
			}
			sum.Sources[i], got[i] = ss, true
			left--
		case <-ctx.Done():
			left = 0
		case <-deadline.C:
			left = 0
		}
	}
	failed, landed := 0, 0
	for i, src := range sources {
		if !got[i] {
			sum.Sources[i] = crawler.SourceSummary{Name: src.Name, Failed: 1,
				Errors: []crawler.ItemError{{URL: src.URL, Error: "scale: no fetch worker reported on this source yet; its job stays queued"}}}
		}
		s := sum.Sources[i]
		if s.Failed > 0 {
			failed++
		}
		if s.New+s.Updated+s.Unchanged > 0 || s.Fetched > s.Failed {
			landed++
		}
	}
	switch {
	case ctx.Err() != nil:
		sum.Status = "interrupted"
	case failed == 0:
		sum.Status = "ok"
	case landed == 0:
		sum.Status = "failed"
	default:
		sum.Status = "partial"
	}
	sum.Finished = time.Now().UTC()
	return sum
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
