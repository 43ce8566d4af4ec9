package fetch

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

func mustEncode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeText(t *testing.T) {
	ar := arabicSentences(t)
	ru := "Переговоры о прекращении огня в Газе продолжаются в Каире, сообщили посредники."
	ja := "ガザの停戦交渉はカイロで続いている。"
	fr := "Les médiateurs égyptiens et qatariens ont annoncé que la trêve à Gaza entrera en vigueur vendredi; " +
		"le ministère a précisé que les négociations se poursuivront au Caire après l'échange de prisonniers."
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	tests := []struct {
		name        string
		ct          string
		body        []byte
		wantCharset string
		wantSource  CharsetSource
		want        string
	}{
		{"empty", "", nil, "utf-8", SourceDefault, ""},
		{"ascii", "text/plain", []byte("hello"), "utf-8", SourceDetected, "hello"},
		{"utf-16le BOM", "", append([]byte{0xFF, 0xFE}, mustEncode(t, utf16le, ar[0])...), "utf-16le", SourceBOM, ar[0]},
		{"utf-16le XML without BOM", "application/xml",
			mustEncode(t, utf16le, `<?xml version="1.0" encoding="UTF-16"?><rss><title>`+ar[0]+`</title></rss>`), "utf-16le", SourceXML, ar[0]},
		{"utf-16le text without BOM", "text/plain", mustEncode(t, utf16le, ar[0]+" "+ar[1]), "utf-16le", SourceDetected, ar[1]},
		{"utf-16 declared on ASCII bytes", "text/html; charset=utf-16", []byte("<p>" + ar[0] + "</p>"), "utf-8", SourceDetected, ar[0]},
		{"header label with quotes and case", `text/html; charset="WINDOWS-1256"`, mustEncode(t, charmap.Windows1256, ar[0]), "windows-1256", SourceHeader, ar[0]},
		{"unknown header label falls through", "text/xml; charset=x-made-up",
			mustEncode(t, charmap.Windows1251, `<?xml version="1.0" encoding="windows-1251"?><t>`+ru+`</t>`), "windows-1251", SourceXML, ru},
		{"meta charset", "text/html", mustEncode(t, japanese.ShiftJIS, `<html><head><meta charset="shift_jis"><title>`+ja+`</title></head></html>`), "shift_jis", SourceMeta, ja},
		{"meta in body ignored", "text/html", []byte(`<html><head></head><body><meta charset="windows-1251">` + ru + `</body></html>`), "utf-8", SourceDetected, ru},
		{"detected windows-1251", "text/plain", mustEncode(t, charmap.Windows1251, strings.Repeat(ru+" ", 3)), "windows-1251", SourceDetected, ru},
		{"detected koi8-r", "text/plain", mustEncode(t, charmap.KOI8R, strings.Repeat(ru+" ", 3)), "koi8-r", SourceDetected, ru},
		{"detected ibm866", "text/plain", mustEncode(t, charmap.CodePage866, strings.Repeat(ru+" ", 3)), "ibm866", SourceDetected, ru},
		{"French windows-1252 is not read as Cyrillic", "text/plain", mustEncode(t, charmap.Windows1252, fr), "windows-1252", SourceDetected, fr},
		{"detected windows-1256", "text/plain", mustEncode(t, charmap.Windows1256, ar[0]+" "+ar[1]), "windows-1256", SourceDetected, ar[1]},
		{"detected iso-8859-6", "text/plain", mustEncode(t, charmap.ISO8859_6, ar[0]+" "+ar[1]), "iso-8859-6", SourceDetected, ar[1]},
		{"declaration rewritten", "application/xml", mustEncode(t, charmap.ISO8859_6, `<?xml version="1.0" encoding='ISO-8859-6'?><rss/>`), "iso-8859-6", SourceXML, `<?xml version="1.0" encoding='UTF-8'?>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := DecodeText(tt.body, tt.ct)
			if d.Charset != tt.wantCharset || d.Source != tt.wantSource {
				t.Errorf("charset %s (%s), want %s (%s)", d.Charset, d.Source, tt.wantCharset, tt.wantSource)
			}
			if !strings.Contains(d.Text, tt.want) {
				t.Errorf("text %q lacks %q", d.Text, tt.want)
			}
			if d.Invalid {
				t.Errorf("flagged invalid: %q", d.Text)
			}
		})
	}
}

func TestLookupCharset(t *testing.T) {
	tests := []struct{ label, want string }{
		{"ISO-8859-1", "windows-1252"},
		{"latin1", "windows-1252"},
		{"gb2312", "gb18030"},
		{"GBK", "gb18030"},
		{"MacCyrillic", "x-mac-cyrillic"},
		{"IBM855", "ibm855"},
		{"ibm866", "ibm866"},
		{"CP949", "euc-kr"},
		{"Shift_JIS", "shift_jis"},
		{"tis-620", "windows-874"},
		{"arabic", "iso-8859-6"},
		{"cp1256", "windows-1256"},
		{"UTF8", "utf-8"},
		{"utf-32", "utf-32be"},
		{"", ""},
		{"iso-2022-cn", ""}, // WHATWG "replacement": never decode as if it were text
		{"no-such-charset", ""},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			enc, name := LookupCharset(tt.label)
			if name != tt.want || (enc == nil) != (tt.want == "") {
				t.Errorf("LookupCharset(%q) = %v, %q; want %q", tt.label, enc, name, tt.want)
			}
		})
	}
}

func TestIsText(t *testing.T) {
	tests := []struct {
		ct   string
		body string
		want bool
	}{
		{"application/rss+xml; charset=utf-8", "", true},
		{"application/atom+xml", "", true},
		{"application/feed+json", "", true},
		{"text/html", "", true},
		{"image/png", "\x89PNG\r\n", false},
		{"application/pdf", "%PDF-1.4", false},
		{"", "<?xml version=\"1.0\"?><rss/>", true},
		{"application/octet-stream", "<html><body>hi</body></html>", true},
		{"application/octet-stream", "\x00\x01\x02\x03", false},
	}
	for _, tt := range tests {
		t.Run(tt.ct+"|"+tt.body, func(t *testing.T) {
			if got := IsText(tt.ct, []byte(tt.body)); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzDecodeText: whatever the bytes and header, the text is valid UTF-8, free of the control
// characters we strip, and a body that was valid UTF-8 with no declaration comes back unchanged
// apart from those.
func FuzzDecodeText(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="windows-1256"?><rss/>`), "application/xml")
	f.Add([]byte("\xff\xfe<\x00?\x00x\x00m\x00l\x00"), "")
	f.Add([]byte("<\x00?\x00x\x00"), "text/xml")
	f.Add([]byte(`<html><head><meta http-equiv="content-type" content="text/html;charset=koi8-r"></head>`), "text/html")
	f.Add([]byte("\xef\xbb\xbfplain"), "text/plain; charset=iso-8859-6")
	f.Add([]byte("a\x00b\x1b\xc2\x85c"), "text/plain")
	f.Add([]byte("\xc7\xe1\xd9\xd1\xc8\xed\xc9"), "text/html; charset=utf-16")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		d := DecodeText(body, ct)
		if !utf8.ValidString(d.Text) {
			t.Fatalf("invalid UTF-8 out of %q", body)
		}
		for _, r := range d.Text {
			if isStrippedControl(r) {
				t.Fatalf("control character %U left in %q", r, d.Text)
			}
		}
		if d.Charset == "" || d.Source == "" {
			t.Fatalf("no charset reported: %+v", d)
		}
		if !strings.Contains(strings.ToLower(ct), "charset") && utf8.Valid(body) && !strings.Contains(string(body), "<") &&
			!strings.HasPrefix(string(body), "\ufeff") && len(body) > 0 && body[0] != 0 && d.Charset == "utf-8" {
			want, _ := StripControl(string(body))
			if d.Text != want {
				t.Fatalf("valid UTF-8 changed: %q -> %q", body, d.Text)
			}
		}
	})
}
