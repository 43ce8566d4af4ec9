package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are Mirsad's Prometheus metrics. cmd feeds the ingest and alert
// counters; the API observes its own latencies.
type Metrics struct {
	reg        *prometheus.Registry
	latency    *prometheus.HistogramVec
	ingest     *prometheus.CounterVec
	deliveries *prometheus.CounterVec
}

// NewMetrics registers the metrics; docCount, when set, is read at scrape
// time for the index size gauge.
func NewMetrics(docCount func() float64) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "mirsad_http_request_duration_seconds",
			Help:    "API request latency by route and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "code"}),
		ingest: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mirsad_ingest_articles_total",
			Help: "Articles seen by ingest runs, by source and outcome (new, updated, unchanged, duplicate, failed).",
		}, []string{"source", "outcome"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mirsad_alert_deliveries_total",
			Help: "Alert delivery attempts by outcome.",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.latency, m.ingest, m.deliveries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if docCount != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "mirsad_index_documents",
			Help: "Articles in the index.",
		}, docCount))
	}
	return m
}

// IngestObserved adds one source's counts from an ingest run.
func (m *Metrics) IngestObserved(source string, counts map[string]int) {
	for outcome, n := range counts {
		m.ingest.WithLabelValues(source, outcome).Add(float64(n))
	}
}

// DeliveryObserved counts one alert delivery attempt.
func (m *Metrics) DeliveryObserved(outcome string) { m.deliveries.WithLabelValues(outcome).Inc() }

func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// instrument records the latency of every request under its route pattern
// (never the raw path, which would explode label cardinality).
func (m *Metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "other"
		}
		m.latency.WithLabelValues(route, strconv.Itoa(sw.code)).Observe(time.Since(start).Seconds())
	})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
