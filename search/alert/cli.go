package alert

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/mirsad-observatory/mirsad/indexer"
	"github.com/mirsad-observatory/mirsad/indexer/document"
)

// ErrUsage marks bad command-line usage (cmd exits 2 on it).
var ErrUsage = errors.New("usage")

// maxTestDocs bounds what `test` reads from the main index.
const maxTestDocs = 5000

// Test returns the alerts sub would have made over the articles of the
// main index published since since, newest first, grouped by story as
// OnBatch would group them, without recording anything.
func (s *Service) Test(ctx context.Context, sub Subscription, since time.Time) ([]Alert, error) {
	if s.opts.Index == nil {
		return nil, errors.New("alert: test needs the main index")
	}
	if err := s.normalize(&sub); err != nil {
		return nil, err
	}
	c := s.compile(sub)
	must := []query.Query{}
	incl := true
	dr := bleve.NewDateRangeInclusiveQuery(since, time.Time{}, &incl, &incl)
	dr.SetField(indexer.FieldPublished)
	must = append(must, dr)
	if c.text != nil && !sub.ClaimsOnly {
		must = append(must, c.text)
	}
	for field, v := range map[string]string{indexer.FieldLang: sub.Lang, indexer.FieldSource: sub.Source} {
		if v != "" {
			t := bleve.NewTermQuery(v)
			t.SetField(field)
			must = append(must, t)
		}
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(must...), maxTestDocs, 0, false)
	req.SortBy([]string{"-" + indexer.FieldPublished, "_id"})
	res, err := s.opts.Index.Index().SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("alert: test: %w", err)
	}
	var docs []document.Article
	for _, h := range res.Hits {
		a, found, err := s.opts.Index.Article(h.ID)
		if err != nil {
			return nil, fmt.Errorf("alert: test: %w", err)
		}
		if found {
			docs = append(docs, a)
		}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	// The text already matched on the main index; the claims' text, if
	// asked for, is matched on an in-memory index like a batch's.
	cs := &compiledSet{subs: []*compiled{c}, claimsText: sub.ClaimsOnly && c.text != nil}
	if len(sub.Speaker) > 0 {
		cs.claimSpeakers = c.speakers
	}
	ct := *c
	if !sub.ClaimsOnly {
		ct.text = nil
	}
	view, closeView, err := s.view(ctx, docs, nil, cs)
	if err != nil {
		return nil, err
	}
	defer closeView()
	hits, err := s.match(ctx, view, &ct)
	if err != nil {
		return nil, fmt.Errorf("alert: test: %w", err)
	}
	var out []*Alert
	group := map[string]*Alert{}
	for _, h := range hits {
		a := view.docs[h.doc]
		keys := storyKeys(a)
		var al *Alert
		for _, k := range keys {
			if al = group[k]; al != nil {
				break
			}
		}
		if al == nil {
			al = &Alert{ID: alertID(sub.ID, keys[0]), SubscriptionID: sub.ID, SubscriptionName: sub.Name,
				Created: a.Published, Story: Story{ClusterID: storyID(keys[0])}}
			out = append(out, al)
		}
		for _, k := range keys {
			group[k] = al
		}
		al.Story.Documents = append(al.Story.Documents, StoryDoc{ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang, Published: a.Published})
		al.Claims = append(al.Claims, h.claims...)
	}
	alerts := make([]Alert, len(out))
	for i, a := range out {
		alerts[i] = *a
	}
	return alerts, nil
}

// Command runs `mirsad subscriptions list|add|remove|test`. Bad usage
// returns an error wrapping ErrUsage.
func Command(ctx context.Context, svc *Service, args []string, stdout, stderr io.Writer) error {
	usage := func(format string, a ...any) error {
		fmt.Fprintln(stderr, "usage: mirsad subscriptions list | add -name N [-q QUERY] [-lang ar|en] [-source S] [-entity ID]... [-speaker ID]... [-claims-only] [-webhook URL -secret-env VAR] | remove ID|NAME | test [-days N] ID|NAME")
		return fmt.Errorf("alert: %w: %s", ErrUsage, fmt.Sprintf(format, a...))
	}
	if len(args) == 0 {
		return usage("missing subcommand")
	}
	switch args[0] {
	case "list":
		fs := newFlags("list", stderr)
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
			return usage("list takes no arguments")
		}
		subs, err := svc.Subscriptions(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tORIGIN\tQUERY\tWEBHOOKS")
		for _, sub := range subs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", sub.ID, sub.Name, sub.Origin, describe(sub), webhooks(sub))
		}
		return tw.Flush()
	case "add":
		fs := newFlags("add", stderr)
		var sub Subscription
		var hook, secretEnv string
		fs.StringVar(&sub.Name, "name", "", "subscription name (unique)")
		fs.StringVar(&sub.Query, "q", "", "text query (as /api/search q)")
		fs.StringVar(&sub.Lang, "lang", "", "ar or en")
		fs.StringVar(&sub.Source, "source", "", "source name")
		fs.Func("entity", "entity id or alias (repeat: all must be mentioned)", func(v string) error {
			sub.Entities = append(sub.Entities, v)
			return nil
		})
		fs.Func("speaker", "speaker id or alias (repeat: any of them)", func(v string) error {
			sub.Speaker = append(sub.Speaker, v)
			return nil
		})
		fs.BoolVar(&sub.ClaimsOnly, "claims-only", false, "match claims instead of articles")
		fs.StringVar(&hook, "webhook", "", "webhook URL")
		fs.StringVar(&secretEnv, "secret-env", "", "environment variable holding the webhook secret")
		if err := fs.Parse(args[1:]); err != nil {
			return usage("%v", err)
		}
		if fs.NArg() > 0 {
			if sub.Query != "" {
				return usage("give the query either with -q or as arguments")
			}
			sub.Query = strings.Join(fs.Args(), " ")
		}
		if hook != "" || secretEnv != "" {
			sub.Webhooks = []Webhook{{URL: hook, SecretEnv: secretEnv}}
		}
		sub.Origin = OriginCLI
		created, err := svc.Create(ctx, sub)
		var ve *ValidationError
		if errors.As(err, &ve) {
			return usage("%v", err)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s %s\n", created.ID, created.Name)
		return nil
	case "remove":
		fs := newFlags("remove", stderr)
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 {
			return usage("remove takes one id or name")
		}
		if err := svc.Delete(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed %s\n", fs.Arg(0))
		return nil
	case "test":
		fs := newFlags("test", stderr)
		days := fs.Int("days", 7, "look back this many days")
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 {
			return usage("test takes one id or name")
		}
		if *days < 1 || *days > 3660 {
			return usage("-days %d: want 1 to 3660", *days)
		}
		sub, err := svc.Subscription(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		since := svc.opts.Now().Add(-time.Duration(*days) * 24 * time.Hour)
		alerts, err := svc.Test(ctx, sub, since)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s would have alerted %d times in the last %d days\n", sub.Name, len(alerts), *days)
		for _, a := range alerts {
			fmt.Fprintf(stdout, "- %s\n", a.Story.ClusterID)
			for _, d := range a.Story.Documents {
				fmt.Fprintf(stdout, "    %s  %-12s %s  %s\n", d.Published.UTC().Format(time.DateOnly), d.Source, d.Title, d.URL)
			}
			for _, c := range a.Claims {
				fmt.Fprintf(stdout, "    » %s: %s\n", c.Speaker, c.Text)
			}
		}
		return nil
	}
	return usage("unknown subcommand %q", args[0])
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("subscriptions "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func describe(sub Subscription) string {
	var parts []string
	if sub.Query != "" {
		parts = append(parts, fmt.Sprintf("%q", sub.Query))
	}
	if sub.Lang != "" {
		parts = append(parts, "lang="+sub.Lang)
	}
	if sub.Source != "" {
		parts = append(parts, "source="+sub.Source)
	}
	if len(sub.Entities) > 0 {
		parts = append(parts, "entities="+strings.Join(sub.Entities, "+"))
	}
	if len(sub.Speaker) > 0 {
		parts = append(parts, "speaker="+strings.Join(sub.Speaker, "|"))
	}
	if sub.ClaimsOnly {
		parts = append(parts, "claims-only")
	}
	return strings.Join(parts, " ")
}

func webhooks(sub Subscription) string {
	var out []string
	for _, w := range sub.Webhooks {
		s := redact(w.URL)
		if w.Disabled {
			s += " (disabled)"
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "feed only"
	}
	return strings.Join(out, ", ")
}
