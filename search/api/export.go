package api

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/mirsad-observatory/mirsad/search"
)

// export streams search results as CSV or JSON lines for spreadsheets and
// notebooks. Errors found before the first row are JSON errors; a failure
// mid-stream can only cut the stream, so the last line then says so.
func (s *Server) export(format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := r.URL.Query()
		if format == "" {
			format = v.Get("format")
		}
		v.Del("page")
		v.Del("size")
		q, err := ParseQuery(v)
		if err != nil {
			writeError(w, s, r, err)
			return
		}
		limit := search.MaxExport
		if l := v.Get("limit"); l != "" {
			if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > search.MaxExport {
				writeError(w, s, r, &httpError{http.StatusBadRequest, "limit " + strconv.Quote(l) + ": want 1 to " + strconv.Itoa(search.MaxExport)})
				return
			}
		}
		bw := bufio.NewWriter(w)
		var row func(search.Hit) error
		switch format {
		case "csv":
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="mirsad-search.csv"`)
			bw.WriteString("\uFEFF") // lets spreadsheet programs read Arabic as UTF-8
			cw := csv.NewWriter(bw)
			cw.Write([]string{"id", "published", "lang", "source", "title", "url"})
			row = func(h search.Hit) error {
				return cw.Write([]string{h.ID, h.Published.Format(time.RFC3339), h.Lang, h.Source, h.Title, h.URL})
			}
			defer cw.Flush()
		case "jsonl":
			w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
			enc := json.NewEncoder(bw)
			enc.SetEscapeHTML(false)
			row = func(h search.Hit) error { return enc.Encode(h) }
		default:
			writeError(w, s, r, &httpError{http.StatusBadRequest, "format " + strconv.Quote(format) + ": want csv or jsonl"})
			return
		}
		defer bw.Flush()
		if err := s.svc.Export(r.Context(), q, limit, row); err != nil {
			s.logger.Warn("export cut short", "err", err)
			if format == "jsonl" {
				json.NewEncoder(bw).Encode(map[string]string{"error": "export cut short: " + err.Error()})
			}
		}
	})
}
