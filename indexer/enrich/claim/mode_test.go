package claim

import (
	"testing"
	"time"
)

func TestModeOf(t *testing.T) {
	tests := []struct{ cue, lang, want string }{
		{"said", "en", ModeSpeech},
		{"told reporters", "en", ModeSpeech},
		{"believes", "en", ModeBelief},
		{"wants", "en", ModeIntention},
		{"the report found", "en", ModeEvidence},
		{"showed", "en", ModeEvidence},
		{"", "en", ModeSpeech},
		{"قال", "ar", ModeSpeech},
		{"وأكد", "ar", ModeSpeech},
		{"يرى", "ar", ModeBelief},
		{"وتعتزم", "ar", ModeIntention},
		{"أظهرت", "ar", ModeEvidence},
	}
	for _, tt := range tests {
		t.Run(tt.cue, func(t *testing.T) {
			if got := ModeOf(tt.cue, tt.lang); got != tt.want {
				t.Errorf("ModeOf(%q) = %q, want %q", tt.cue, got, tt.want)
			}
		})
	}
}

// Every extracted claim has a mode, and the learned model's belief
// attributions are not passed off as speech.
func TestExtractSetsMode(t *testing.T) {
	x := New(Options{})
	text := `Foreign Minister Hakan Fidan said the talks would continue in Cairo. The Israeli prime minister believes the force must disarm Hamas first.`
	claims := x.Extract("d", text, "en", time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC))
	modes := map[string]string{}
	for _, c := range claims {
		if c.Mode == "" {
			t.Errorf("claim %q has no mode", c.Text)
		}
		modes[c.Cue] = c.Mode
	}
	if modes["said"] != ModeSpeech {
		t.Errorf("modes %v: want said -> speech", modes)
	}
	if m := modes["believes"]; m != ModeBelief {
		t.Errorf("modes %v: want believes -> belief", modes)
	}
}
