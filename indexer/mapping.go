package indexer

import (
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
	docType           = "article"
)

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
		{Name: "title_ar_exact", Analyzer: arabic.ExactAnalyzerName, Boost: 2 * exactBoost},
		{Name: "body_ar_exact", Analyzer: arabic.ExactAnalyzerName, Boost: exactBoost},
	},
	document.LangEnglish: {
		{Name: "title_en", Analyzer: english.AnalyzerName, Boost: 2, Stored: true},
		{Name: "body_en", Analyzer: english.AnalyzerName, Boost: 1, Stored: true},
		{Name: "title_en_exact", Analyzer: english.ExactAnalyzerName, Boost: 2 * exactBoost},
		{Name: "body_en_exact", Analyzer: english.ExactAnalyzerName, Boost: exactBoost},
	},
}

// exactBoost weighs an exact-form match against a stem match; see
// BENCHMARKS.md (analysis) for how it was chosen.
const exactBoost = 1.5

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
	for _, name := range []string{FieldLang, FieldSource, FieldPublishedDay} {
		fm := bleve.NewKeywordFieldMapping()
		fm.IncludeInAll = false
		doc.AddFieldMappingsAt(name, fm)
	}
	pub := bleve.NewDateTimeFieldMapping()
	pub.IncludeInAll = false
	doc.AddFieldMappingsAt(FieldPublished, pub)

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
	return d
}
