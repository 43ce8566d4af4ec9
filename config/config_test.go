package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Each bad fixture's first line is "# want: <substring of the error>".
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("../testdata/config/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			_, err := Load(f)
			if strings.HasSuffix(f, ".good.yaml") {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			data, _ := os.ReadFile(f)
			first, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, "# want: ")
			if !ok {
				t.Fatalf("bad fixture lacks a '# want:' first line")
			}
			if err == nil {
				t.Fatalf("Load succeeded, want error containing %q", want)
			}
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("error %q does not contain %q", err, want)
			}
			if !strings.Contains(err.Error(), filepath.Base(f)) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestDefaultsAndOverlay(t *testing.T) {
	cfg, err := Load("../testdata/config/full.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Crawl.MaxBodyBytes; got != 10<<20 {
		t.Errorf("max_body_bytes = %d", got)
	}
	if got := cfg.Crawl.Timeout.D(); got != 30*time.Second {
		t.Errorf("timeout = %v", got)
	}
	if s := cfg.Sources[1]; s.Kind != "feed" || s.Language != "auto" || !s.FollowLinks() {
		t.Errorf("source defaults not applied: %+v", s)
	}
	if cfg.Sources[0].Selectors == nil || cfg.Sources[0].Selectors.Published != "time[datetime]@datetime" {
		t.Errorf("selectors: %+v", cfg.Sources[0].Selectors)
	}
	empty, err := Load("../testdata/config/empty.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if empty.Listen != Default().Listen || empty.DataDir != Default().DataDir {
		t.Errorf("empty file should give defaults, got %+v", empty)
	}
}

func TestParseByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ByteSize
		ok   bool
	}{
		{"10MiB", 10 << 20, true}, {"512KiB", 512 << 10, true}, {"1GB", 1e9, true},
		{"2048", 2048, true}, {"10 MiB", 10 << 20, true}, {"ten", 0, false}, {"-1", 0, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseByteSize(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Fatalf("ParseByteSize(%q) = %d, %v", tc.in, got, err)
			}
		})
	}
}

func TestValidateJoinsAllErrors(t *testing.T) {
	cfg := Default()
	cfg.Listen = ""
	cfg.Sources = []Source{{Name: "", Kind: "feed", URL: "ftp://x", Language: "auto", Schedule: "@often"}}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"listen:", "sources[0].name:", "sources[0].url:", "sources[0].schedule: bad cron spec \"@often\""} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
