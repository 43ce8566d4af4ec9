package search

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Clause
	}{
		{"+Kalin -Fidan", []Clause{{Text: "Kalin"}, {Text: "Fidan", Exclude: true}}},
		{"title:Cairo body:\"joint statement\"", []Clause{{Text: "Cairo", Field: "title"}, {Text: "joint statement", Field: "body", Phrase: true}}},
		{"Kalen~1 Kalen~ negot*", []Clause{{Text: "Kalen", Fuzzy: 1}, {Text: "Kalen", Fuzzy: 1}, {Text: "negot", Prefix: true}}},
		{"Witkoff^3 /kal[iı]n/", []Clause{{Text: "Witkoff", Boost: 3}, {Text: "kal[iı]n", Regexp: true}}},
		{"http://x.example/a 10:30", []Clause{{Text: "http://x.example/a"}, {Text: "10:30"}}},
		{"", nil},
		{"  Kalin  Cairo ", []Clause{{Text: "Kalin"}, {Text: "Cairo"}}},
		{`"joint statement" -Istanbul`, []Clause{{Text: "joint statement", Phrase: true}, {Text: "Istanbul", Exclude: true}}},
		{"«البيان المشترك» القاهرة", []Clause{{Text: "البيان المشترك", Phrase: true}, {Text: "القاهرة"}}},
		{`"unclosed phrase`, []Clause{{Text: "unclosed phrase", Phrase: true}}},
		{"- lone dash", []Clause{{Text: "-"}, {Text: "lone"}, {Text: "dash"}}},
		{`""`, nil},
		{"Civil-Military", []Clause{{Text: "Civil-Military"}}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseText(tc.in)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ParseText(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseTextRefusals(t *testing.T) {
	for in, want := range map[string]string{
		"*alin":                             "leading wildcards",
		"?alin":                             "leading wildcards",
		"k*":                                "at least 2 letters",
		"ka*l*":                             "only a trailing *",
		"kalin~3":                           "fuzziness",
		"kalin^100":                         "boost",
		"/.*x/":                             "plain letters",
		"/" + strings.Repeat("a", 60) + "/": "limited to 50",
		strings.Repeat("w ", 40):            "more than 32",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := ParseText(in)
			if err == nil || !errors.Is(err, ErrBadQuery) || !strings.Contains(err.Error(), want) {
				t.Fatalf("ParseText(%q) error %v, want %q", in, err, want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in    string
		upper bool
		want  string
		ok    bool
	}{
		{"2025-10-10", false, "2025-10-10T00:00:00Z", true},
		{"2025-10-10", true, "2025-10-10T23:59:59.999999999Z", true},
		{"2025-10-10T12:00:00+03:00", true, "2025-10-10T09:00:00Z", true},
		{"10/10/2025", false, "", false},
		{"", false, "0001-01-01T00:00:00Z", true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseDate(tc.in, tc.upper)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v", err)
			}
			if tc.ok && got.Format("2006-01-02T15:04:05.999999999Z07:00") != tc.want {
				t.Fatalf("got %s, want %s", got.Format("2006-01-02T15:04:05.999999999Z07:00"), tc.want)
			}
		})
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{`"a b" -c`, "«ا ب»", "-", `"`, "“x”"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, _ := ParseText(s)
		for _, c := range cs {
			if c.Text == "" {
				t.Fatalf("empty Clause from %q", s)
			}
		}
	})
}
