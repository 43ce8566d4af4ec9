package search

import (
	"reflect"
	"testing"
)

func TestParseText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []clause
	}{
		{"", nil},
		{"  Kalin  Cairo ", []clause{{text: "Kalin"}, {text: "Cairo"}}},
		{`"joint statement" -Istanbul`, []clause{{text: "joint statement", phrase: true}, {text: "Istanbul", exclude: true}}},
		{"«البيان المشترك» القاهرة", []clause{{text: "البيان المشترك", phrase: true}, {text: "القاهرة"}}},
		{`"unclosed phrase`, []clause{{text: "unclosed phrase", phrase: true}}},
		{"- lone dash", []clause{{text: "-"}, {text: "lone"}, {text: "dash"}}},
		{`""`, nil},
		{"Civil-Military", []clause{{text: "Civil-Military"}}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := parseText(tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("parseText(%q) = %+v, want %+v", tc.in, got, tc.want)
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
		for _, c := range parseText(s) {
			if c.text == "" {
				t.Fatalf("empty clause from %q", s)
			}
		}
	})
}
