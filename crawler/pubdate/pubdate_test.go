package pubdate_test

import (
	"errors"
	"testing"
	"time"

	"github.com/mirsad-observatory/mirsad/crawler/pubdate"
	"github.com/mirsad-observatory/mirsad/crawler/pubdate/fixtures"
)

func TestFixtures(t *testing.T) {
	cases, err := fixtures.LoadCases("testdata/cases")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 40 {
		t.Fatalf("only %d fixtures", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if d := c.Check(); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestParseFeedDate(t *testing.T) {
	cairo, err := time.LoadLocation("Africa/Cairo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in      string
		want    string
		unknown bool
		bad     bool
	}{
		{"2025-11-26T06:00:00+03:00", "2025-11-26T06:00:00+03:00", false, false},
		{"2025-11-26 06:00:00", "2025-11-26T06:00:00+02:00", false, false},
		{"Wed, 26 Nov 2025 04:00:00 GMT", "2025-11-26T04:00:00Z", false, false},
		{"الأربعاء، 26 نوفمبر 2025 - 06:00 م", "2025-11-26T18:00:00+02:00", false, false},
		{"٢٦ تشرين الثاني ٢٠٢٥ ٠٩:١٥ ص", "2025-11-26T09:15:00+02:00", false, false},
		{"Wed, 26 Nov 2025 06:00:00 XYZ", "2025-11-26T06:00:00+02:00", true, false},
		{"غير معروف", "", false, true},
		{"", "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := pubdate.ParseFeedDate(tt.in, cairo)
			if tt.bad {
				if err == nil {
					t.Fatalf("ParseFeedDate(%q) = %s, want an error", tt.in, got)
				}
				return
			}
			if errors.Is(err, pubdate.ErrUnknownZone) != tt.unknown {
				t.Fatalf("ParseFeedDate(%q) error %v, unknown zone expected: %v", tt.in, err, tt.unknown)
			}
			if err != nil && !tt.unknown {
				t.Fatal(err)
			}
			want, _ := time.Parse(time.RFC3339, tt.want)
			if !got.Equal(want) {
				t.Errorf("ParseFeedDate(%q) = %s, want %s", tt.in, got.Format(time.RFC3339), tt.want)
			}
		})
	}
}
