package scale

import (
	"regexp"
	"strings"
	"testing"
)

// validKey is JetStream's rule for a KV key (nats.go keyValid).
func validKey(k string) bool {
	if k == "" || k[0] == '.' || k[len(k)-1] == '.' || strings.Contains(k, "..") {
		return false
	}
	return regexp.MustCompile(`^[-/_=\.a-zA-Z0-9]+$`).MatchString(k)
}

func TestHostKey(t *testing.T) {
	cases := []struct{ host, want string }{
		{"www.aljazeera.net", "host.www_aljazeera_net"},
		{"127.0.0.1:8080", "host.127_0_0_1_8080"},
		{"Example.ORG", "host.example_org"},
		{"[::1]:443", "host.___1__443"},
		{"example.org.", "host.example_org_"},
		{"", "host._"},
	}
	for _, c := range cases {
		t.Run(c.host, func(t *testing.T) {
			if got := hostKey(c.host); got != c.want || !validKey(got) {
				t.Errorf("hostKey(%q) = %q (valid %v), want %q", c.host, got, validKey(got), c.want)
			}
		})
	}
}

// Any host a URL can carry becomes a key JetStream accepts.
func FuzzHostKey(f *testing.F) {
	for _, s := range []string{"www.bbc.co.uk", "127.0.0.1:8080", "[::1]:80", "xn--mgbh0fb.xn--kgbechtv", "مثال.إختبار", "a..b.", ".", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		if k := hostKey(host); !validKey(k) {
			t.Fatalf("hostKey(%q) = %q is not a valid KV key", host, k)
		}
	})
}
