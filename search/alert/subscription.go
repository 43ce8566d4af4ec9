package alert

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mirsad-observatory/mirsad/indexer/document"
	"github.com/mirsad-observatory/mirsad/search"
)

// Origins of a subscription.
const (
	OriginConfig = "config"
	OriginAPI    = "api"
	OriginCLI    = "cli"
)

// Limits of one subscription.
const (
	MaxQueryLen = 1000
	MaxNameLen  = 100
	maxValues   = 20
	maxWebhooks = 5
)

// Subscription is a saved query and where its alerts go. The query
// language is that of /api/search: every word of Query must match (quoted
// phrases, -exclusions), Lang and Source filter, every id of Entities must
// be mentioned, and a claim by any of Speaker must be present.
type Subscription struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Query    string     `json:"query,omitempty"`
	Lang     string     `json:"lang,omitempty"`
	Source   string     `json:"source,omitempty"`
	Entities StringList `json:"entities,omitempty"`
	// Speaker lists entity ids; a claim by any one of them matches, so
	// "Kalın or al-Ansari" is one subscription.
	Speaker StringList `json:"speaker,omitempty"`
	// ClaimsOnly matches claims instead of articles: Query must match the
	// text of a claim (by Speaker, when given), and the alert carries the
	// matching claims.
	ClaimsOnly bool `json:"claims_only,omitempty"`
	// Webhook is the config file's single target; it is folded into
	// Webhooks on validation.
	Webhook  *Webhook  `json:"webhook,omitempty"`
	Webhooks []Webhook `json:"webhooks,omitempty"`
	Origin   string    `json:"origin,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

// Webhook is a delivery target following Standard Webhooks.
type Webhook struct {
	URL string `json:"url"`
	// SecretEnv names the environment variable holding the signing
	// secret: "whsec_" + base64, or raw bytes without the prefix.
	SecretEnv string `json:"secret_env"`
	// Disabled is set when the receiver answered 410 Gone.
	Disabled       bool       `json:"disabled,omitempty"`
	DisabledAt     *time.Time `json:"disabled_at,omitempty"`
	DisabledReason string     `json:"disabled_reason,omitempty"`
}

// StringList reads a JSON string or array of strings, so `"speaker":
// "ibrahim-kalin"` and `"speaker": ["a", "b"]` both work.
type StringList []string

// UnmarshalJSON accepts a string (comma-separated) or an array.
func (l *StringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = splitList(one)
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("entities and speaker take a string or an array of strings")
	}
	*l = many
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ValidationError names the field that is wrong; the API answers it with 400.
type ValidationError struct {
	Field string
	Msg   string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("alert: invalid subscription: %s: %s", e.Field, e.Msg)
}

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// Validate checks a subscription as Create and Sync would and returns it
// normalized (Webhook folded into Webhooks, entity aliases resolved), so
// that `mirsad check` can report config errors without writing anything.
func (s *Service) Validate(sub Subscription) (Subscription, error) {
	err := s.normalize(&sub)
	return sub, err
}

// normalize validates s in place: trims, folds Webhook into Webhooks,
// resolves entity aliases and checks that the query can match something.
func (s *Service) normalize(sub *Subscription) error {
	sub.Name = strings.TrimSpace(sub.Name)
	switch {
	case sub.Name == "":
		return invalid("name", "is required")
	case !utf8.ValidString(sub.Name):
		return invalid("name", "is not valid UTF-8")
	case utf8.RuneCountInString(sub.Name) > MaxNameLen:
		return invalid("name", "has more than %d characters", MaxNameLen)
	case strings.ContainsFunc(sub.Name, func(r rune) bool { return unicode.IsControl(r) || r == '/' }):
		return invalid("name", "%q contains a control character or '/'", sub.Name)
	}
	if !utf8.ValidString(sub.Query) {
		return invalid("query", "is not valid UTF-8")
	}
	sub.Query = strings.TrimSpace(sub.Query)
	if n := utf8.RuneCountInString(sub.Query); n > MaxQueryLen {
		return invalid("query", "has %d characters, at most %d are allowed", n, MaxQueryLen)
	}
	switch sub.Lang {
	case "", document.LangArabic, document.LangEnglish:
	default:
		return invalid("lang", "%q: want ar or en", sub.Lang)
	}
	sub.Source = strings.TrimSpace(sub.Source)
	var err error
	if sub.Entities, err = s.resolveAll("entities", sub.Entities); err != nil {
		return err
	}
	if sub.Speaker, err = s.resolveAll("speaker", sub.Speaker); err != nil {
		return err
	}
	if sub.Query != "" {
		clauses, err := search.ParseText(sub.Query)
		if err != nil {
			return invalid("query", "%v", err)
		}
		pos := 0
		for _, c := range clauses {
			if !c.Exclude {
				pos++
			}
			// The batch prefilter needs each required word as the index
			// will hold it; a pattern or a field restriction cannot say.
			if c.Field != "" || c.Fuzzy > 0 || c.Prefix || c.Regexp || c.Boost > 0 {
				return invalid("query", "%q: subscriptions take words, \"phrases\" and -exclusions; field:, fuzzy~, prefix*, /regexp/ and ^boost are /api/search only", c.Text)
			}
		}
		if pos == 0 {
			return invalid("query", "%q has only exclusions: say what to look for", sub.Query)
		}
		if !s.searchable(sub.Query, sub.Lang) {
			return invalid("query", "%q has no searchable words (only stop words or punctuation)", sub.Query)
		}
	}
	if sub.Query == "" && len(sub.Entities) == 0 && len(sub.Speaker) == 0 {
		return invalid("query", "a subscription needs a query, entities or a speaker; it would match every article")
	}
	if sub.ClaimsOnly && sub.Query == "" && len(sub.Speaker) == 0 {
		return invalid("claims_only", "needs a query or a speaker to select claims")
	}
	if sub.Webhook != nil {
		sub.Webhooks = append([]Webhook{*sub.Webhook}, sub.Webhooks...)
		sub.Webhook = nil
	}
	if len(sub.Webhooks) > maxWebhooks {
		return invalid("webhooks", "at most %d targets", maxWebhooks)
	}
	for i := range sub.Webhooks {
		w := &sub.Webhooks[i]
		field := fmt.Sprintf("webhooks[%d]", i)
		w.URL = strings.TrimSpace(w.URL)
		u, err := url.Parse(w.URL)
		if err != nil || u.Scheme == "" {
			return invalid(field+".url", "%q is not an absolute URL", w.URL)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return invalid(field+".url", "scheme %q: want http or https", u.Scheme)
		}
		if u.Host == "" {
			return invalid(field+".url", "%q has no host", w.URL)
		}
		if u.User != nil {
			return invalid(field+".url", "credentials in the URL are not allowed; sign with secret_env")
		}
		if !envName.MatchString(w.SecretEnv) {
			return invalid(field+".secret_env", "%q: want the name of an environment variable holding the secret", w.SecretEnv)
		}
	}
	return nil
}

func (s *Service) resolveAll(field string, in []string) ([]string, error) {
	if len(in) > maxValues {
		return nil, invalid(field, "at most %d values", maxValues)
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		ids := []string{v}
		if s.opts.ResolveEntity != nil {
			ids = s.opts.ResolveEntity(v)
			if len(ids) == 0 {
				return nil, invalid(field, "unknown entity %q", v)
			}
			if len(ids) > 1 && field == "entities" {
				return nil, invalid(field, "%q is ambiguous (%s): use an id", v, strings.Join(ids, ", "))
			}
		}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out, nil
}
