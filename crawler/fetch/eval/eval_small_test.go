package eval

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestRunSmall runs the runner on a corpus we write ourselves: two declared feeds, one feed whose
// Expect comment disagrees with its own bytes (it must be counted as a failure), and one
// undeclared Arabic sample.
func TestRunSmall(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "sentences.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		k, v, _ := strings.Cut(line, "|")
		sent[k] = v
	}
	dir := t.TempDir()
	write := func(rel string, cm *charmap.Charmap, s string) {
		t.Helper()
		b, err := cm.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "tests", rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	feed := func(decl, expect, text string) string {
		return fmt.Sprintf("<?xml version=\"1.0\" encoding=\"%s\"?>\n<!--\nExpect: %s\n-->\n<rss><channel><title>%s</title></channel></rss>\n", decl, expect, text)
	}
	write("windows-1251-russian/a.xml", charmap.Windows1251, feed("windows-1251", "windows-1251", sent["ru"]))
	write("windows-1256/b.xml", charmap.Windows1256, feed("windows-1256", "windows-1256", sent["ar"]))
	// Declares and is KOI8-R, but the Expect comment says windows-1251: a mismatch.
	write("KOI8-R/c.xml", charmap.KOI8R, feed("koi8-r", "windows-1251", sent["ru"]))
	write("iso-8859-6-arabic/d.txt", charmap.ISO8859_6, sent["ar"]+" "+sent["ar"])

	var out bytes.Buffer
	if err := Run(context.Background(), Options{CorpusDir: dir}, &out); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	for _, want := range []string{
		"fetch.Client.Get",
		"2/3 (66.7%)",  // declared feeds: a and b pass, c is a mismatch
		"1/1 (100.0%)", // Arabic, undeclared
		"tests/KOI8-R/c.xml (true windows-1251): decoded as koi8-r (xml)",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}
