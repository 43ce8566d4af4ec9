package alert

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestMatch runs the query language over testdata/batch.json with both
// strategies; want lists the alerts as their documents (reprints of one
// story are one alert).
func TestMatch(t *testing.T) {
	cases := []struct {
		name string
		sub  Subscription
		want [][]string
	}{
		{"every word, Arabic", Subscription{Query: "هدنة غزة القاهرة"}, [][]string{{"a1"}}},
		{"phrase, three outlets alert once", Subscription{Query: `"المرحلة الثانية"`}, [][]string{{"a1"}, {"a2", "a3", "a4"}}},
		{"guillemets are quotes", Subscription{Query: `«وقف إطلاق النار»`}, [][]string{{"a2", "a3", "a4"}}},
		{"phrase, English", Subscription{Query: `"second phase"`}, [][]string{{"a5"}, {"a9"}}},
		// The analyzer puts واخلاء and اخلاء at one position: a phrase
		// takes either, so the text without the clitic و matches.
		{"phrase, clitic variants at one position", Subscription{Query: `"وإخلاءات بمدارس"`}, [][]string{{"a10"}}},
		{"exclusion", Subscription{Query: "ceasefire -Hamas"}, [][]string{{"a9"}}},
		{"lang filter excludes", Subscription{Query: "غزة", Lang: "en"}, nil},
		{"lang filter", Subscription{Query: "Rafah", Lang: "en"}, [][]string{{"a6"}}},
		{"source filter", Subscription{Query: "Oil", Source: "apnews"}, nil},
		{"source filter keeps", Subscription{Query: "oil", Source: "reuters"}, [][]string{{"a7"}}},
		{"entity", Subscription{Entities: StringList{"cairo"}}, [][]string{{"a1"}, {"a6"}}},
		{"entities are ANDed", Subscription{Entities: StringList{"cairo", "qatar"}}, [][]string{{"a1"}}},
		{"entity and text", Subscription{Entities: StringList{"qatar"}, Query: "ceasefire"}, [][]string{{"a9"}}},
		{"speakers are ORed", Subscription{Speaker: StringList{"ibrahim-kalin", "majed-al-ansari"}}, [][]string{{"a2", "a3", "a4"}, {"a5"}, {"a9"}}},
		{"speaker and text", Subscription{Speaker: StringList{"ibrahim-kalin", "majed-al-ansari"}, Query: `"second phase"`}, [][]string{{"a5"}, {"a9"}}},
		{"claims only: text must be in the claim", Subscription{ClaimsOnly: true, Speaker: StringList{"ibrahim-kalin", "majed-al-ansari"}, Query: `"second phase"`}, [][]string{{"a9"}}},
		{"claims only, Arabic", Subscription{ClaimsOnly: true, Speaker: StringList{"majed-al-ansari"}, Query: "المرحلة الثانية"}, [][]string{{"a2", "a3", "a4"}}},
		{"claims only, any speaker", Subscription{ClaimsOnly: true, Query: "guarantors"}, [][]string{{"a5"}}},
		{"claims only, speaker's claims only", Subscription{ClaimsOnly: true, Speaker: StringList{"ibrahim-kalin"}, Query: "Rafah"}, nil},
	}
	for _, cfg := range []struct {
		name, strategy string
		noPrefilter    bool
	}{{"terms", MatchTerms, false}, {"index", MatchIndex, false}, {"memory", MatchMemory, false}, {"index without prefilter", MatchIndex, true}, {"memory without prefilter", MatchMemory, true}} {
		t.Run(cfg.name, func(t *testing.T) {
			e := newEnv(t, cfg.strategy, func(o *Options) { o.NoPrefilter = cfg.noPrefilter })
			subs := make([]Subscription, len(cases))
			for i, c := range cases {
				c.sub.Name = c.name
				subs[i] = e.create(t, c.sub)
			}
			e.ingest(t, loadBatch(t)...)
			for i, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					got := alertDocs(t, e.svc, subs[i].ID)
					if !reflect.DeepEqual(sortedAlerts(got), sortedAlerts(c.want)) {
						t.Errorf("alerts = %v, want %v", got, c.want)
					}
				})
			}
		})
	}
}

func sortedAlerts(a [][]string) []string {
	var out []string
	for _, ids := range a {
		out = append(out, strings.Join(ids, "+"))
	}
	if out == nil {
		return []string{}
	}
	sort.Strings(out)
	return out
}

// TestClaimsInAlert checks that a claims-only alert carries the matching
// claim and not the article's other claims.
func TestClaimsInAlert(t *testing.T) {
	e := newEnv(t, "", nil)
	sub := e.create(t, Subscription{Name: "kalin", ClaimsOnly: true, Speaker: StringList{"ibrahim-kalin"}})
	e.ingest(t, loadBatch(t)...)
	alerts, err := e.svc.Alerts(context.Background(), sub.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 || len(alerts[0].Claims) != 1 || alerts[0].Claims[0].ID != "c5b" {
		t.Fatalf("alerts = %+v, want one with claim c5b only", alerts)
	}
}

// TestOncePerStory: reprints, re-ingests and updates do not alert again;
// an edit that makes an article match for the first time does; a cluster
// id, when present, groups different texts.
func TestOncePerStory(t *testing.T) {
	ctx := context.Background()
	for _, strategy := range []string{MatchTerms, MatchIndex, MatchMemory} {
		t.Run(strategy, func(t *testing.T) {
			e := newEnv(t, strategy, nil)
			docs := loadBatch(t)
			sub := e.create(t, Subscription{Name: "phase", Query: "المرحلة الثانية", Lang: "ar"})
			rafah := e.create(t, Subscription{Name: "rafah", Query: "Rafah"})
			count := func(s Subscription) int { return len(alertDocs(t, e.svc, s.ID)) }

			// One outlet first, the two reprints in a later batch.
			e.ingest(t, pick(docs, "a2")...)
			if n := count(sub); n != 1 {
				t.Fatalf("after first outlet: %d alerts, want 1", n)
			}
			e.ingest(t, pick(docs, "a3", "a4")...)
			if n := count(sub); n != 1 {
				t.Fatalf("after reprints: %d alerts, want 1", n)
			}
			// A re-ingest of the same articles, straight to OnBatch since
			// the indexer skips unchanged ones.
			if err := e.svc.OnBatch(ctx, pick(docs, "a2", "a3", "a4")); err != nil {
				t.Fatal(err)
			}
			// An update of a matched article (new wording).
			upd := pick(docs, "a2")[0]
			upd.Body += " وأضاف أن الاجتماعات ستستمر."
			upd.Title = "تحديث: " + upd.Title + " والاجتماعات مستمرة"
			e.ingest(t, upd)
			if n := count(sub); n != 1 {
				t.Fatalf("after re-ingest and update: %d alerts, want 1", n)
			}

			// An article that does not match, then is edited to match.
			a7 := pick(docs, "a7")[0]
			e.ingest(t, a7)
			if n := count(rafah); n != 0 {
				t.Fatalf("before edit: %d alerts, want 0", n)
			}
			a7.Body = "Oil prices rose on Tuesday; separately, aid trucks queued at the Rafah crossing."
			e.ingest(t, a7)
			if n := count(rafah); n != 1 {
				t.Fatalf("after edit: %d alerts, want 1", n)
			}
			a7.Body += " More trucks are expected."
			e.ingest(t, a7)
			if n := count(rafah); n != 1 {
				t.Fatalf("after second edit: %d alerts, want 1", n)
			}

			// Clustering, when present, decides what a story is.
			c1, c2 := pick(docs, "a6")[0], pick(docs, "a6")[0]
			c1.ID, c1.ClusterID, c1.Body = "k1", "cl-rafah", "Talks on the Rafah crossing resume in Cairo."
			c2.ID, c2.ClusterID, c2.Body = "k2", "cl-rafah", "Negotiators return to Cairo to discuss the Rafah crossing."
			e.ingest(t, c1)
			e.ingest(t, c2)
			got := alertDocs(t, e.svc, rafah.ID)
			if len(got) != 2 || !reflect.DeepEqual(got[1], []string{"k1"}) {
				t.Fatalf("rafah alerts = %v, want [a7] [k1] (k2 is in k1's cluster)", got)
			}
		})
	}
}

// TestClaimsIndexedBySpeaker: when every claims-only subscription names
// speakers, only their claims are indexed; the others are skipped without
// shifting the keys of the ones after them (a5's Kalin claim follows an
// anonymous one).
func TestClaimsIndexedBySpeaker(t *testing.T) {
	e := newEnv(t, "", nil)
	ansari := e.create(t, Subscription{Name: "ansari", ClaimsOnly: true, Speaker: StringList{"majed-al-ansari"}, Query: "المرحلة الثانية"})
	kalin := e.create(t, Subscription{Name: "kalin", ClaimsOnly: true, Speaker: StringList{"ibrahim-kalin"}, Query: "guarantors"})
	e.ingest(t, loadBatch(t)...)
	if got := alertDocs(t, e.svc, ansari.ID); !reflect.DeepEqual(got, [][]string{{"a2", "a3", "a4"}}) {
		t.Errorf("ansari: %v", got)
	}
	if got := alertDocs(t, e.svc, kalin.ID); !reflect.DeepEqual(got, [][]string{{"a5"}}) {
		t.Errorf("kalin: %v", got)
	}
}
