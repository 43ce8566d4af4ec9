package runs

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// Starter starts a run in the background; *Runner is one.
type Starter interface {
	Start(trigger string, names ...string) (Run, error)
}

var _ Starter = (*Runner)(nil)

// Handler serves the run history:
//
//	GET  /api/runs[?source=NAME&limit=N]  {"runs": [...]} newest first
//	GET  /api/runs/{id}                   one run
//	POST /api/runs[?source=NAME]          start a run now: 202 {"runs": [run]}
//
// Mount it on "/api/runs" and "/api/runs/".
func Handler(store *Store, starter Starter) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/runs", func(w http.ResponseWriter, r *http.Request) {
		limit := 50
		if v := r.URL.Query().Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				writeError(w, http.StatusBadRequest, fmt.Errorf("limit: want 1..1000, got %q", v))
				return
			}
			limit = n
		}
		list, err := store.List(limit, r.URL.Query().Get("source"))
		if err != nil {
			writeError(w, http.StatusInternalServerError, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"runs": list})
	})
	mux.HandleFunc("GET /api/runs/{id}", func(w http.ResponseWriter, r *http.Request) {
		run, err := store.Get(r.PathValue("id"))
		switch {
		case errors.Is(err, ErrNotFound):
			writeError(w, http.StatusNotFound, err)
		case err != nil:
			writeError(w, http.StatusInternalServerError, err)
		default:
			writeJSON(w, http.StatusOK, run)
		}
	})
	mux.HandleFunc("POST /api/runs", func(w http.ResponseWriter, r *http.Request) {
		if starter == nil {
			writeError(w, http.StatusServiceUnavailable, errors.New("runs: this process does not run ingests"))
			return
		}
		var names []string
		if s := r.URL.Query().Get("source"); s != "" {
			names = []string{s}
		}
		run, err := starter.Start("api", names...)
		switch {
		case errors.Is(err, ErrUnknownSource):
			writeError(w, http.StatusNotFound, err)
		case errors.Is(err, ErrBusy):
			writeError(w, http.StatusConflict, err)
		case err != nil:
			writeError(w, http.StatusInternalServerError, err)
		default:
			w.Header().Set("Location", "/api/runs/"+run.ID)
			writeJSON(w, http.StatusAccepted, map[string]any{"runs": []Run{run}})
		}
	})
	mux.HandleFunc("/api/runs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, POST")
		writeError(w, http.StatusMethodNotAllowed, fmt.Errorf("method %s not allowed on /api/runs", r.Method))
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}
