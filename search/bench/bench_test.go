package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestRunSmall runs the whole benchmark on a slice of the corpus when the
// corpus is present; the full run is `mirsad bench search`.
func TestRunSmall(t *testing.T) {
	dir := os.Getenv("MIRSAD_CORPUS")
	if dir == "" {
		dir = "../../../shared/corpus"
	}
	if _, err := os.Stat(dir + "/ant-arabic-news"); err != nil {
		t.Skipf("no corpus at %s", dir)
	}
	var out bytes.Buffer
	err := Run(context.Background(), Options{CorpusDir: dir, Queries: 60, Limit: 150, Load: 500 * time.Millisecond, Clients: 2}, &out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"p95 ratio", "all", "load: 2 clients", " 0 errors"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
