package indexer

import (
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/mirsad-observatory/mirsad/indexer/arabic"
	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/indexer/english"
)

// Field names of the index. Each language has its own text fields with its
// own analyzer: bleve picks a field's analyzer by mapping order when two
// document types share a field name, so sharing "body" across languages
// would analyze one language with the other's rules.
const (
	FieldLang         = "lang"
	FieldSource       = "source"
	FieldPublished    = "published"
	FieldPublishedDay = "published_day"
	FieldURL          = "url"
	FieldEntities     = "entities"         // ids of every entity mentioned
	FieldEntityPrefix = "entities_"        // + type: ids by type, for facets
	FieldMentioned    = "mentioned_days"   // days mentioned (day-granular mentions, short ranges)
	FieldMentionedMon = "mentioned_months" // "YYYY-MM" of month mentions and long ranges
	FieldMentionedYr  = "mentioned_years"  // "YYYY" of year mentions
	FieldSpeakers     = "speakers"         // ids (or normalized names) of claim speakers
	FieldCluster      = "cluster"          // story cluster: reprints of one story share it
	FieldReprint      = "reprint"          // true for every member of a cluster but its origin
	docType           = "article"
	claimType         = "claim"

	// maxMentionDays is the longest range indexed day by day; longer ones
	// are indexed by month. Each datetime value costs several index terms,
	// so expanding a year mention to 365 days made indexing ten times slower.
	maxMentionDays = 31
)

// EntityTypes are the types faceted separately.
var EntityTypes = []string{"person", "organization", "place"}

// TextFields lists, per language, the analyzed fields and their analyzer.
// Search builds its queries from this table so the two never disagree.
// Each text is indexed twice: stemmed (finds والقاهرة for القاهرة) and
// exact-form (normalized, unstemmed) with a higher boost, so that a
// document with the very word a researcher typed ranks above one that only
// shares its stem. Only the stemmed fields are stored, for highlighting.
var TextFields = map[string][]TextField{
	document.LangArabic: {
		{Name: "title_ar", Analyzer: arabic.AnalyzerName, Boost: 2, Stored: true},
		{Name: "body_ar", Analyzer: arabic.AnalyzerName, Boost: 1, Stored: true},
		{Name: "title_ar_exact", Analyzer: arabic.ExactAnalyzerName, Boost: 2 * exactBoostAR},
		{Name: "body_ar_exact", Analyzer: arabic.ExactAnalyzerName, Boost: exactBoostAR},
	},
	document.LangEnglish: {
		{Name: "title_en", Analyzer: english.AnalyzerName, Boost: 2, Stored: true},
		{Name: "body_en", Analyzer: english.AnalyzerName, Boost: 1, Stored: true},
		{Name: "title_en_exact", Analyzer: english.ExactAnalyzerName, Boost: 2 * exactBoostEN},
		{Name: "body_en_exact", Analyzer: english.ExactAnalyzerName, Boost: exactBoostEN},
	},
}

// exactBoostAR and exactBoostEN weigh an exact-form match against a stem
// match. They were chosen on the first half of the xquad questions only
// (analysiseval's TestTuneBoost); the figures in BENCHMARKS.md are reported
// on both halves.
const (
	exactBoostAR = 0.2
	exactBoostEN = 1.0
)

// TextField is one analyzed text field.
type TextField struct {
	Name     string
	Analyzer string
	Boost    float64
	Stored   bool // stored with term vectors, for highlights
}

// IsBody reports whether the field holds article text (for snippets).
func (f TextField) IsBody() bool { return strings.HasPrefix(f.Name, "body_") }

// NewMapping returns the bleve mapping of Mirsad's index.
func NewMapping() mapping.IndexMapping {
	doc := bleve.NewDocumentStaticMapping()
	for _, fields := range TextFields {
		for _, f := range fields {
			fm := bleve.NewTextFieldMapping()
			fm.Analyzer = f.Analyzer
			fm.Store = f.Stored // highlighting reads stored text
			fm.IncludeTermVectors = f.Stored
			fm.IncludeInAll = false
			doc.AddFieldMappingsAt(f.Name, fm)
		}
	}
	keywords := []string{FieldLang, FieldSource, FieldPublishedDay, FieldEntities, FieldSpeakers, FieldMentionedMon, FieldMentionedYr}
	for _, t := range EntityTypes {
		keywords = append(keywords, FieldEntityPrefix+t)
	}
	for _, name := range keywords {
		fm := bleve.NewKeywordFieldMapping()
		fm.IncludeInAll = false
		fm.Store = name == FieldSource // shown from the stored article, not the index
		fm.IncludeTermVectors = false
		doc.AddFieldMappingsAt(name, fm)
	}
	// The cluster, source and URL are stored so that one query lists the
	// other outlets of every story on a page of results.
	for _, name := range []string{FieldCluster, FieldURL} {
		fm := bleve.NewKeywordFieldMapping()
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.Index = name == FieldCluster
		doc.AddFieldMappingsAt(name, fm)
	}
	rp := bleve.NewBooleanFieldMapping()
	rp.IncludeInAll, rp.Store = false, false
	doc.AddFieldMappingsAt(FieldReprint, rp)
	for _, name := range []string{FieldPublished, FieldMentioned} {
		dt := bleve.NewDateTimeFieldMapping()
		dt.IncludeInAll = false
		doc.AddFieldMappingsAt(name, dt)
	}

	im := bleve.NewIndexMapping()
	im.AddDocumentMapping(docType, doc)
	im.DefaultMapping = doc
	im.DefaultAnalyzer = keyword.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	return im
}

// indexDoc is what bleve sees of an article.
type indexDoc map[string]any

// BleveType tells bleve which document mapping applies.
func (indexDoc) BleveType() string { return docType }

func toIndexDoc(a document.Article) indexDoc {
	d := indexDoc{
		FieldLang:         a.Lang,
		FieldSource:       a.Source,
		FieldPublished:    a.Published.UTC(),
		FieldPublishedDay: a.Published.UTC().Format(time.DateOnly),
		FieldCluster:      ClusterOf(a),
		FieldURL:          a.URL,
		FieldReprint:      ClusterOf(a) != a.ID,
	}
	lang := a.Lang
	if _, ok := TextFields[lang]; !ok {
		lang = document.LangEnglish
	}
	for _, f := range TextFields[lang] {
		if f.IsBody() {
			d[f.Name] = a.Body
		} else {
			d[f.Name] = a.Title
		}
	}
	byType := map[string][]string{}
	var ids []string
	for _, e := range a.Entities {
		ids = append(ids, e.ID)
		byType[e.Type] = append(byType[e.Type], e.ID)
	}
	d[FieldEntities] = ids
	for _, t := range EntityTypes {
		d[FieldEntityPrefix+t] = byType[t]
	}
	d[FieldMentioned], d[FieldMentionedMon], d[FieldMentionedYr] = mentioned(a.MentionedDates)
	var speakers []string
	for _, c := range a.Claims {
		speakers = append(speakers, SpeakerKey(c))
	}
	d[FieldSpeakers] = speakers
	return d
}

// ClusterOf is the story an article belongs to: its cluster, or itself
// until clustering says otherwise. A cluster is named after its origin,
// the member clustering saw first, so every other member is a reprint.
func ClusterOf(a document.Article) string {
	if a.ClusterID != "" {
		return a.ClusterID
	}
	return a.ID
}

// SpeakerKey is how a claim's speaker is indexed: its entity id, or for an
// unresolved speaker its normalized surface form.
func SpeakerKey(c document.Claim) string {
	if c.SpeakerID != "" {
		return c.SpeakerID
	}
	return arabic.Normalize(strings.ToLower(strings.TrimSpace(c.Speaker)))
}

// mentioned indexes date mentions at their granularity: days for a day or
// a short range, months for a month or a long range, years for a year. A
// range query then matches a month mention from any of its days (search
// asks the month and year fields with term ranges).
func mentioned(ms []document.DateMention) (days []time.Time, months, years []string) {
	seenD, seenM, seenY := map[time.Time]bool{}, map[string]bool{}, map[string]bool{}
	for _, m := range ms {
		from, err1 := time.Parse(time.DateOnly, m.From)
		to, err2 := time.Parse(time.DateOnly, m.To)
		if err1 != nil || err2 != nil || to.Before(from) {
			continue
		}
		switch {
		case m.Granularity == "year":
			for y := from.Year(); y <= to.Year() && y-from.Year() < 10; y++ {
				if k := fmt.Sprintf("%04d", y); !seenY[k] {
					seenY[k] = true
					years = append(years, k)
				}
			}
		case m.Granularity == "month" || to.Sub(from) >= maxMentionDays*24*time.Hour:
			for d, n := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC), 0; !d.After(to) && n < 120; d, n = d.AddDate(0, 1, 0), n+1 {
				if k := d.Format("2006-01"); !seenM[k] {
					seenM[k] = true
					months = append(months, k)
				}
			}
		default:
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				if !seenD[d] {
					seenD[d] = true
					days = append(days, d)
				}
			}
		}
	}
	return days, months, years
}

// NewClaimMapping returns the mapping of the claims index: claims are
// searched as documents of their own.
func NewClaimMapping() mapping.IndexMapping {
	doc := bleve.NewDocumentStaticMapping()
	for _, fields := range ClaimTextFields {
		for _, f := range fields {
			fm := bleve.NewTextFieldMapping()
			fm.Analyzer = f.Analyzer
			fm.Store = f.Stored
			fm.IncludeTermVectors = f.Stored
			fm.IncludeInAll = false
			doc.AddFieldMappingsAt(f.Name, fm)
		}
	}
	for _, name := range []string{"speaker", "entities", "lang", "source", "doc_id", "group_id", "kind", "cue", "mode"} {
		fm := bleve.NewKeywordFieldMapping()
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.Store = name == "doc_id" || name == "source" || name == "group_id"
		doc.AddFieldMappingsAt(name, fm)
	}
	dt := bleve.NewDateTimeFieldMapping()
	dt.IncludeInAll = false
	doc.AddFieldMappingsAt("date", dt)
	im := bleve.NewIndexMapping()
	im.AddDocumentMapping(claimType, doc)
	im.DefaultMapping = doc
	im.DefaultAnalyzer = keyword.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	return im
}

// ClaimTextFields are the claims index's text fields, per language.
var ClaimTextFields = map[string][]TextField{
	document.LangArabic: {
		{Name: "text_ar", Analyzer: arabic.AnalyzerName, Boost: 1, Stored: true},
		{Name: "text_ar_exact", Analyzer: arabic.ExactAnalyzerName, Boost: exactBoostAR},
	},
	document.LangEnglish: {
		{Name: "text_en", Analyzer: english.AnalyzerName, Boost: 1, Stored: true},
		{Name: "text_en_exact", Analyzer: english.ExactAnalyzerName, Boost: exactBoostEN},
	},
}

type claimDoc map[string]any

// BleveType tells bleve which document mapping applies.
func (claimDoc) BleveType() string { return claimType }

func toClaimDoc(a document.Article, c document.Claim) claimDoc {
	d := claimDoc{
		"speaker": SpeakerKey(c), "entities": c.Entities, "lang": c.Lang, "source": a.Source,
		"doc_id": a.ID, "group_id": c.GroupID, "kind": c.Kind, "cue": c.Cue, "mode": c.Mode, "date": c.Date.UTC(),
	}
	lang := c.Lang
	if _, ok := ClaimTextFields[lang]; !ok {
		lang = document.LangEnglish
	}
	for _, f := range ClaimTextFields[lang] {
		d[f.Name] = c.Text
	}
	return d
}
