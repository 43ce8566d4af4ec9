package claim_test

import (
	"fmt"
	"time"

	"github.com/mirsad-observatory/mirsad/indexer/enrich/claim"
)

func ExampleExtractor_Extract() {
	x := claim.New(claim.Options{}) // no resolver: surface forms only
	text := "وقال رئيس الوزراء القطري إن المرحلة الثانية هي الأصعب.\nوأضاف: «لا استقرار بلا أفق سياسي»."
	published := time.Date(2025, 10, 21, 9, 0, 0, 0, time.UTC)
	for _, c := range x.Extract("doc-1", text, "ar", published) {
		fmt.Printf("%s | %s | %s | %s\n", c.Speaker, c.Cue, c.Kind, c.Text)
	}
	// Output:
	// رئيس الوزراء القطري | قال | indirect | المرحلة الثانية هي الأصعب
	// رئيس الوزراء القطري | أضاف | direct | لا استقرار بلا أفق سياسي
}
