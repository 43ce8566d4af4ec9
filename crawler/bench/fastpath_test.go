package bench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mirsad-observatory/mirsad/crawler/extract"
)

// TestFastPathAgrees checks that the pages the benchmark serves take
// extract's container fast path and that it gives each page the body the
// full trafilatura path gives. It reads 150 articles of the corpus when it
// is present, all 9,658 with MIRSAD_BENCH=1.
func TestFastPathAgrees(t *testing.T) {
	dir, err := DefaultCorpus()
	if err != nil {
		t.Skip(err)
	}
	dir = filepath.Join(dir, "ant-arabic-news")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not present: ", err)
	}
	limit := 150
	if os.Getenv("MIRSAD_BENCH") == "1" {
		limit = 0
	}
	arts, err := LoadANT(dir, limit)
	if err != nil {
		t.Fatal(err)
	}
	var fired, same, refused, diff int
	for _, a := range arts {
		page := []byte(Page(a))
		fast, ferr := extract.Extract(page, a.URL, extract.Options{})
		full, err := extract.Extract(page, a.URL, extract.Options{NoFastPath: true})
		if err != nil {
			refused++
			if ferr == nil {
				t.Errorf("%s: fast path found a body where the full path found none (%v)", a.DocNo, err)
			}
			continue
		}
		if ferr != nil {
			t.Errorf("%s: fast path: %v", a.DocNo, ferr)
			continue
		}
		if fast.Methods["body"] == extract.MethodContainer {
			fired++
		}
		if fast.Body == full.Body {
			same++
		} else if diff++; diff <= 3 {
			t.Logf("%s differs (%s):\nfast: %q\nfull: %q", a.DocNo, fast.Methods["body"], fast.Body, full.Body)
		}
	}
	t.Logf("%d pages: fast path fired on %d, identical body on %d, no body on either path %d", len(arts), fired, same, refused)
	// Bodies under 1,000 characters send the full path to trafilatura's
	// fallbacks, which now and then glue the headline onto the text: a
	// difference where the fast path is the right one, so a few are allowed.
	if (len(arts)-refused-same)*100 > len(arts)-refused {
		t.Errorf("fast and full path disagree on %d of %d pages", len(arts)-refused-same, len(arts)-refused)
	}
	if fired*10 < (len(arts)-refused)*9 {
		t.Errorf("fast path fired on %d of %d pages", fired, len(arts)-refused)
	}
}
