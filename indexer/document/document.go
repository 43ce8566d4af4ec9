// Package document holds the plain data types shared by every part of Mirsad:
// the crawler produces Articles, the indexer enriches and stores them, search
// returns them. It imports only the standard library so that everything may
// depend on it.
package document

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Languages Mirsad understands.
const (
	LangArabic  = "ar"
	LangEnglish = "en"
)

// Article is one news article or statement as fetched and extracted.
type Article struct {
	ID           string            `json:"id"`
	URL          string            `json:"url"`
	CanonicalURL string            `json:"canonical_url,omitempty"`
	Source       string            `json:"source"`
	Lang         string            `json:"lang"`
	Title        string            `json:"title"`
	Body         string            `json:"body"`
	Author       string            `json:"author,omitempty"`
	Published    time.Time         `json:"published"`
	Updated      time.Time         `json:"updated,omitempty"`
	Fetched      time.Time         `json:"fetched"`
	GUID         string            `json:"guid,omitempty"`
	ContentHash  string            `json:"content_hash,omitempty"`
	Extraction   map[string]string `json:"extraction,omitempty"` // field -> method that produced it

	// Enrichments, filled by indexer/enrich.
	Entities       []EntityMention `json:"entities,omitempty"`
	MentionedDates []DateMention   `json:"mentioned_dates,omitempty"`
	Claims         []Claim         `json:"claims,omitempty"`
	ClusterID      string          `json:"cluster_id,omitempty"`
}

// EntityMention says that an entity of the gazetteer (or a discovered one)
// is mentioned Count times in an article.
type EntityMention struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Type  string `json:"type"` // person | organization | place
	Count int    `json:"count"`
	// Provisional is true for entities discovered in text and not in the gazetteer.
	Provisional bool `json:"provisional,omitempty"`
}

// DateMention is a date or date range the text talks about, resolved to
// calendar days. Granularity is day, month or year: a month mention covers
// every day of that month.
type DateMention struct {
	Text        string `json:"text"`
	Start       int    `json:"start"` // byte offsets into Body
	End         int    `json:"end"`
	From        string `json:"from"` // YYYY-MM-DD, first day covered
	To          string `json:"to"`   // YYYY-MM-DD, last day covered
	Granularity string `json:"granularity"`
	Relative    bool   `json:"relative,omitempty"`
}

// Claim is an attributed statement: who said what, with which cue, when.
type Claim struct {
	ID        string `json:"id"`
	DocID     string `json:"doc_id"`
	SpeakerID string `json:"speaker_id,omitempty"` // entity id, empty when unresolved or anonymous
	Speaker   string `json:"speaker"`              // surface form or anonymous description
	Anonymous bool   `json:"anonymous,omitempty"`
	Cue       string `json:"cue"`
	Text      string `json:"text"`
	Start     int    `json:"start"` // byte offsets of Text in Body
	End       int    `json:"end"`
	Kind      string `json:"kind"` // direct | indirect
	// Mode is what the cue attributes: speech (said, قال), belief
	// (believes, يعتقد), intention (wants, يريد) or evidence (shows,
	// found); a researcher asking who *said* what filters on speech.
	Mode     string    `json:"mode,omitempty"`
	Lang     string    `json:"lang"`
	Date     time.Time `json:"date"`
	Polarity string    `json:"polarity,omitempty"` // "negative" for denials
	GroupID  string    `json:"group_id,omitempty"`
	// Entities are the ids of the entities mentioned inside Text.
	Entities []string `json:"entities,omitempty"`
}

// IDFor returns the stable document id of a canonical URL.
func IDFor(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(sum[:10])
}
