package fetch

import (
	"bytes"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// CharsetSource says where the charset used to decode a body came from.
type CharsetSource string

// Charset sources, in the order they are consulted.
const (
	SourceBOM      CharsetSource = "bom"
	SourceHeader   CharsetSource = "header"
	SourceXML      CharsetSource = "xml"
	SourceMeta     CharsetSource = "meta"
	SourceDetected CharsetSource = "detected"
	SourceDefault  CharsetSource = "default"
)

// Decoded is a body turned into UTF-8 text.
type Decoded struct {
	Text    string
	Charset string // canonical lower-case name, e.g. "windows-1256"
	Source  CharsetSource
	// Invalid is set when some bytes were not valid in Charset and became U+FFFD; the text is
	// still safe to index (never mojibake) but the source deserves a look.
	Invalid bool
	// ControlChars counts control characters (C0 other than tab/LF/CR, DEL, C1) removed from Text:
	// they are invalid in XML 1.0 and break feed parsers.
	ControlChars int
}

const (
	metaScanLimit   = 512 << 10 // "anywhere in <head>", but not forever
	detectLimit     = 64 << 10  // enough bytes for a confident guess; detection is O(n) per recognizer
	minDetectConfid = 20        // chardet confidence (0-100) below which we fall back to UTF-8
)

// IsText reports whether a response with this Content-Type (sniffed from body when empty or
// generic) carries text that should be decoded.
func IsText(contentType string, body []byte) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt == "" || mt == "application/octet-stream" {
		if len(body) == 0 {
			return contentType == ""
		}
		if xmlUTF16or32(body) != nil {
			return true
		}
		mt, _, _ = mime.ParseMediaType(http.DetectContentType(body))
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "+json"),
		strings.HasSuffix(mt, "/xml"), strings.HasSuffix(mt, "/json"),
		mt == "application/javascript", mt == "application/x-javascript",
		mt == "application/x-rss+xml", mt == "application/rss", mt == "application/atom":
		return true
	}
	return false
}

// DecodeText decodes body to UTF-8. The charset comes from, in order: a byte order mark, the
// charset parameter of contentType, the XML declaration (or its UTF-16/32 byte pattern), a
// <meta charset> or http-equiv anywhere in <head>, statistical detection, and finally UTF-8 with
// replacement characters. A declaration that contradicts the bytes (declared legacy but the body
// is valid multi-byte UTF-8, or declared UTF-8 but invalid and another charset is a confident
// match) loses to detection: mislabelled feeds are common and mojibake in the index is forever.
//
// The XML declaration's encoding is rewritten to UTF-8 in Text, so that a parser given Text does
// not decode it a second time.
func DecodeText(body []byte, contentType string) Decoded {
	enc, name, src, rest := chooseCharset(body, contentType)
	d := Decoded{Charset: name, Source: src}
	if isUTF8(name) {
		d.Invalid = !utf8.Valid(rest)
		d.Text = string(rest)
		if d.Invalid {
			d.Text = strings.ToValidUTF8(d.Text, "\uFFFD")
		}
	} else {
		out, err := enc.NewDecoder().Bytes(rest)
		if err != nil { // x/text decoders replace invalid input; an error here is unexpected
			out = []byte(strings.ToValidUTF8(string(rest), "\uFFFD"))
			d.Invalid = true
		}
		d.Text = string(out)
		d.Invalid = d.Invalid || strings.ContainsRune(d.Text, utf8.RuneError)
	}
	d.Text, d.ControlChars = StripControl(d.Text)
	d.Text = DeclareUTF8(d.Text)
	return d
}

// chooseCharset returns the encoding, its canonical name, where it came from, and the body with
// any byte order mark removed.
func chooseCharset(body []byte, contentType string) (encoding.Encoding, string, CharsetSource, []byte) {
	if enc, name, n := bomEncoding(body); enc != nil {
		return enc, name, SourceBOM, body[n:]
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if enc, name := LookupCharset(params["charset"]); enc != nil {
			enc, name, src := checkDeclared(body, enc, name, SourceHeader)
			return enc, name, src, body
		}
	}
	if enc := xmlUTF16or32(body); enc != nil {
		return enc.enc, enc.name, SourceXML, body
	}
	if label := xmlDeclEncoding(body); label != "" {
		if enc, name := LookupCharset(label); enc != nil {
			enc, name, src := checkDeclared(body, enc, name, SourceXML)
			return enc, name, src, body
		}
	}
	if label := metaCharset(body); label != "" {
		if enc, name := LookupCharset(label); enc != nil {
			enc, name, src := checkDeclared(body, enc, name, SourceMeta)
			return enc, name, src, body
		}
	}
	if enc, name, ok := detect(body); ok {
		return enc, name, SourceDetected, body
	}
	return unicode.UTF8, "utf-8", SourceDefault, body
}

// checkDeclared overrides a declaration the bytes disprove.
func checkDeclared(body []byte, enc encoding.Encoding, name string, src CharsetSource) (encoding.Encoding, string, CharsetSource) {
	switch {
	case strings.HasPrefix(name, "utf-16") || strings.HasPrefix(name, "utf-32"):
		// Without a BOM or the XML byte pattern the bytes are ASCII-compatible, so a UTF-16
		// declaration cannot be true (WHATWG treats it as UTF-8 for the same reason).
		if xmlUTF16or32(body) == nil {
			if utf8.Valid(body) {
				return unicode.UTF8, "utf-8", SourceDetected
			}
			if denc, dname, ok := detect(body); ok {
				return denc, dname, SourceDetected
			}
			return unicode.UTF8, "utf-8", SourceDefault
		}
	case isUTF8(name):
		if !utf8.Valid(body) && !mostlyUTF8(body) {
			if denc, dname, ok := detect(body); ok && !isUTF8(dname) {
				return denc, dname, SourceDetected
			}
		}
	default:
		if hasMultibyteUTF8(body) {
			return unicode.UTF8, "utf-8", SourceDetected
		}
	}
	return enc, name, src
}

func isUTF8(name string) bool { return name == "utf-8" }

// mostlyUTF8 reports whether b holds more valid multi-byte UTF-8 sequences than invalid bytes:
// UTF-8 text with a few corrupt bytes, which must become U+FFFD, not a legacy-charset reading of
// the whole text.
func mostlyUTF8(b []byte) bool {
	var good, bad int
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			bad++
			i++
			continue
		}
		good++
		i += n
	}
	return good > 0 && good >= 2*bad
}

// hasMultibyteUTF8 reports whether b is valid UTF-8 and holds at least one multi-byte sequence:
// legacy-encoded text with high bytes is almost never valid UTF-8 by accident.
func hasMultibyteUTF8(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func detect(body []byte) (encoding.Encoding, string, bool) {
	if len(body) == 0 {
		return nil, "", false
	}
	if e := detectUTF16(body); e != nil {
		return e.enc, e.name, true
	}
	if utf8.Valid(body) || mostlyUTF8(body) {
		return unicode.UTF8, "utf-8", true
	}
	sample := body
	if len(sample) > detectLimit {
		sample = sample[:detectLimit]
		// Do not cut a multi-byte character in two: back off to the last ASCII byte.
		for i := len(sample) - 1; i > len(sample)-8 && i > 0; i-- {
			if sample[i] < 0x80 {
				sample = sample[:i+1]
				break
			}
		}
	}
	return detectLegacy(sample)
}

// detectUTF16 recognises BOM-less UTF-16 by where its NUL bytes fall (ASCII spaces and digits
// encode as xx 00 or 00 xx), then checks that the decoded text is plausible: valid surrogates and
// almost only letters, marks, digits, punctuation and spaces. Text of Arabic or Cyrillic in
// UTF-16 is otherwise "valid UTF-8" made of control bytes.
func detectUTF16(b []byte) *namedEncoding {
	if len(b) < 4 || len(b)%2 != 0 {
		return nil
	}
	b = b[:min(len(b), detectLimit)]
	var even, odd int
	for i, c := range b {
		if c == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	half := len(b) / 2
	var cand *namedEncoding
	switch {
	case odd*20 >= half && even*10 < odd:
		cand = &namedEncoding{unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le"}
	case even*20 >= half && odd*10 < even:
		cand = &namedEncoding{unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be"}
	default:
		return nil
	}
	out, err := cand.enc.NewDecoder().Bytes(b)
	if err != nil {
		return nil
	}
	var good, total int
	for _, r := range string(out) {
		total++
		if r != utf8.RuneError && (unicodeIsText(r)) {
			good++
		}
	}
	if total == 0 || good*100 < total*95 {
		return nil
	}
	return cand
}

type namedEncoding struct {
	enc  encoding.Encoding
	name string
}

var extraCharsets = map[string]namedEncoding{
	// Labels real feeds use that neither the WHATWG nor the IANA index resolves.
	"maccyrillic":    {charmap.MacintoshCyrillic, "x-mac-cyrillic"},
	"x-mac-cyrillic": {charmap.MacintoshCyrillic, "x-mac-cyrillic"},
	"ibm855":         {charmap.CodePage855, "ibm855"},
	"cp855":          {charmap.CodePage855, "ibm855"},
	"855":            {charmap.CodePage855, "ibm855"},
	"cp866":          {charmap.CodePage866, "ibm866"},
	"utf-32":         {utf32.UTF32(utf32.BigEndian, utf32.UseBOM), "utf-32be"},
	"utf-32le":       {utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le"},
	"utf-32be":       {utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be"},
	"utf8":           {unicode.UTF8, "utf-8"},
	// x/text's Shift_JIS and EUC-KR are the WHATWG ones, i.e. Microsoft's supersets.
	"cp932":       {japanese.ShiftJIS, "shift_jis"},
	"ms932":       {japanese.ShiftJIS, "shift_jis"},
	"windows-932": {japanese.ShiftJIS, "shift_jis"},
	"cp949":       {korean.EUCKR, "euc-kr"},
	"ms949":       {korean.EUCKR, "euc-kr"},
	"uhc":         {korean.EUCKR, "euc-kr"},
	"windows-949": {korean.EUCKR, "euc-kr"},
}

// LookupCharset maps a charset label to a decoder and a canonical lower-case name. WHATWG labels
// come first (so "iso-8859-1" decodes as windows-1252 and "gb2312" as GB18030, as browsers do and
// as mislabelled pages need); IANA names and a few legacy aliases follow. It returns nil for an
// unknown label.
func LookupCharset(label string) (encoding.Encoding, string) {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	if label == "" {
		return nil, ""
	}
	if e, ok := extraCharsets[label]; ok {
		return e.enc, e.name
	}
	if enc, err := htmlindex.Get(label); err == nil && enc != nil {
		if enc == simplifiedchinese.GBK {
			// The WHATWG gbk decoder is the gb18030 decoder; x/text's GBK rejects 4-byte sequences.
			return simplifiedchinese.GB18030, "gb18030"
		}
		if enc == encoding.Replacement {
			return nil, ""
		}
		name, _ := htmlindex.Name(enc)
		return enc, strings.ToLower(name)
	}
	if enc, err := ianaindex.IANA.Encoding(label); err == nil && enc != nil {
		name, _ := ianaindex.IANA.Name(enc)
		return enc, strings.ToLower(name)
	}
	return nil, ""
}

func bomEncoding(b []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8, "utf-8", 3
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be", 4
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le", 4
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	}
	return nil, "", 0
}

// xmlUTF16or32 recognises a BOM-less XML document in UTF-16/32 by how "<?" or "<" is encoded
// (XML 1.0 appendix F).
func xmlUTF16or32(b []byte) *namedEncoding {
	switch {
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0x00, '<'}):
		return &namedEncoding{utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be"}
	case bytes.HasPrefix(b, []byte{'<', 0x00, 0x00, 0x00}):
		return &namedEncoding{utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le"}
	case bytes.HasPrefix(b, []byte{0x00, '<', 0x00, '?'}):
		return &namedEncoding{unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be"}
	case bytes.HasPrefix(b, []byte{'<', 0x00, '?', 0x00}):
		return &namedEncoding{unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le"}
	}
	return nil
}

var xmlDeclRe = regexp.MustCompile(`^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']`)

// xmlDeclEncoding returns the encoding pseudo-attribute of a leading XML declaration. Leading
// whitespace is tolerated because real feeds have it even though XML forbids it.
func xmlDeclEncoding(b []byte) string {
	b = bytes.TrimLeft(b[:min(len(b), 1024)], " \t\r\n")
	if m := xmlDeclRe.FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

var xmlDeclRewriteRe = regexp.MustCompile(`^(\s*<\?xml\s[^>]*?\bencoding\s*=\s*["'])([A-Za-z0-9._:\-]+)(["'])`)

// DeclareUTF8 rewrites the encoding of a leading XML declaration in text (already UTF-8) to
// "UTF-8", so that an XML parser does not decode it a second time.
func DeclareUTF8(text string) string {
	head := text[:min(len(text), 1024)]
	loc := xmlDeclRewriteRe.FindStringSubmatchIndex(head)
	if loc == nil || strings.EqualFold(head[loc[4]:loc[5]], "utf-8") {
		return text
	}
	return text[:loc[4]] + "UTF-8" + text[loc[5]:]
}

// metaCharset finds <meta charset> or <meta http-equiv="content-type" content="...charset=...">
// anywhere in <head>, unlike the 1024-byte prescan of browsers, which misses it on pages with long
// <script> or <style> blocks first.
func metaCharset(b []byte) string {
	if len(b) > metaScanLimit {
		b = b[:metaScanLimit]
	}
	if !bytes.Contains(bytes.ToLower(b), []byte("<meta")) {
		return ""
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "head" {
				return ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body", "rss", "feed", "rdf:rdf", "urlset", "sitemapindex":
				return ""
			case "meta":
				if !hasAttr {
					continue
				}
				var charset, equiv, content string
				for {
					k, v, more := z.TagAttr()
					switch string(k) {
					case "charset":
						charset = string(v)
					case "http-equiv":
						equiv = strings.ToLower(string(v))
					case "content":
						content = string(v)
					}
					if !more {
						break
					}
				}
				if charset != "" {
					return charset
				}
				if equiv == "content-type" {
					if c := charsetFromContent(content); c != "" {
						return c
					}
				}
			}
		}
	}
}

// charsetFromContent extracts the charset from a meta content value the WHATWG way (tolerating
// "charset = x", quotes and missing semicolons).
func charsetFromContent(s string) string {
	low := strings.ToLower(s)
	i := strings.Index(low, "charset")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(s[i+len("charset"):], " \t\r\n\f")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n\f")
	if rest == "" {
		return ""
	}
	if q := rest[0]; q == '"' || q == '\'' {
		if j := strings.IndexByte(rest[1:], q); j >= 0 {
			return rest[1 : j+1]
		}
		return ""
	}
	if j := strings.IndexAny(rest, " \t\r\n\f;"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// StripControl removes control characters that XML 1.0 forbids and no article needs (C0 except
// tab, LF and CR; DEL; C1), returning the cleaned text and how many were removed.
func StripControl(s string) (string, int) {
	n := 0
	for _, r := range s {
		if isStrippedControl(r) {
			n++
		}
	}
	if n == 0 {
		return s, 0
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		if !isStrippedControl(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String(), n
}

func isStrippedControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r == 0x7F, r >= 0x80 && r <= 0x9F:
		return true
	}
	return false
}

func unicodeIsText(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r < 0x7F) ||
		(r >= 0xA0 && r != 0xFFFD && r != 0xFFFE && r != 0xFFFF && !(r >= 0xD800 && r <= 0xDFFF))
}
