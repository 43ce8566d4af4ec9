package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mirsad-observatory/mirsad/search"
	"github.com/mirsad-observatory/mirsad/search/api"
)

func cmdSearch(ctx context.Context, e *env, args []string) error {
	fs, cfgPath, verbose := newFlags(e, "search")
	lang := fs.String("lang", "", "only this language: ar or en")
	source := fs.String("source", "", "only this source")
	from := fs.String("from", "", "published on or after (YYYY-MM-DD or RFC 3339)")
	to := fs.String("to", "", "published on or before (inclusive)")
	sortBy := fs.String("sort", "relevance", "relevance, newest or oldest")
	page := fs.Int("page", 1, "page number")
	size := fs.Int("size", 10, "results per page (at most 100)")
	var entities multiFlag
	fs.Var(&entities, "entity", "entity id or alias in any script (repeat: all must be mentioned)")
	speaker := fs.String("speaker", "", "only articles with a claim by this speaker (id or alias)")
	mfrom := fs.String("mentioned-from", "", "articles that talk about a day on or after this one")
	mto := fs.String("mentioned-to", "", "articles that talk about a day on or before this one")
	asJSON := fs.Bool("json", false, "print the API's JSON instead of a table")
	addr := fs.String("addr", "", "ask a running mirsad at this address instead of opening the data dir")
	if err := parse(e, fs, args, verbose); err != nil {
		return err
	}
	v := url.Values{}
	v.Set("q", strings.Join(fs.Args(), " "))
	v["entity"] = entities
	for k, val := range map[string]string{"lang": *lang, "source": *source, "from": *from, "to": *to, "sort": *sortBy,
		"speaker": *speaker, "mentioned_from": *mfrom, "mentioned_to": *mto,
		"page": strconv.Itoa(*page), "size": strconv.Itoa(*size)} {
		if val != "" {
			v.Set(k, val)
		}
	}
	q, err := api.ParseQuery(v)
	if err != nil {
		return usagef("%v", err)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	var res *search.Result
	if *addr == "" {
		ix, oerr := openIndexer(cfg, e, false)
		if oerr == nil {
			defer ix.Close(context.WithoutCancel(ctx))
			res, err = newSearch(ix).Search(ctx, q)
		} else {
			// The data dir is held by a running server (or absent): ask the server.
			fmt.Fprintf(e.stderr, "mirsad search: %v; asking http://%s instead\n", oerr, cfg.Listen)
			*addr = cfg.Listen
		}
	}
	if *addr != "" {
		res, err = remoteSearch(ctx, *addr, v)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printHits(e.stdout, res, q)
	return nil
}

func remoteSearch(ctx context.Context, addr string, v url.Values) (*search.Result, error) {
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, addr+"/api/search?"+v.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask %s: %w", addr, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("ask %s: %w", addr, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return nil, errors.New(e.Error)
		}
		return nil, fmt.Errorf("ask %s: HTTP %s", addr, resp.Status)
	}
	var res search.Result
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("ask %s: %w", addr, err)
	}
	return &res, nil
}

// printHits writes a readable table; snippets lose their <mark> tags but
// keep the matched words between » « so they still stand out.
func printHits(w io.Writer, res *search.Result, q search.Query) {
	first := (q.Page-1)*q.Size + 1
	last := first + len(res.Hits) - 1
	if len(res.Hits) == 0 {
		fmt.Fprintf(w, "no results (%d ms)\n", res.TookMS)
		return
	}
	fmt.Fprintf(w, "%d-%d of %d results (%d ms)\n\n", first, last, res.Total, res.TookMS)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tdate\tlang\tsource\ttitle")
	for i, h := range res.Hits {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", first+i, h.Published.Format(time.DateOnly), h.Lang, h.Source, h.Title)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for i, h := range res.Hits {
		snip := strings.NewReplacer("<mark>", "»", "</mark>", "«").Replace(h.Snippet)
		fmt.Fprintf(w, "%d. %s\n   %s\n   %s\n", first+i, h.Title, h.URL, html.UnescapeString(snip))
	}
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
