package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Delivery states.
const (
	StatusPending   = "pending"   // in the outbox, to be (re)sent
	StatusDelivered = "delivered" // the receiver answered 2xx
	StatusFailed    = "failed"    // retried for RetryFor without success
	StatusDisabled  = "disabled"  // the target answered 410 Gone
)

// Retry schedule: the first retry comes within seconds, each later one
// waits twice as long, up to maxBackoff, spread by jitter so that many
// deliveries to one receiver that comes back do not arrive at once.
const (
	firstBackoff = 5 * time.Second
	maxBackoff   = 2 * time.Hour
	maxAttempts  = 100 // bounds the stored attempt list whatever the clock does
	idleWait     = time.Minute
)

// Delivery is one alert to one webhook target, with every attempt.
type Delivery struct {
	ID             string    `json:"id"` // the webhook-id header
	SubscriptionID string    `json:"subscription_id"`
	AlertID        string    `json:"alert_id"`
	URL            string    `json:"url"`
	SecretEnv      string    `json:"secret_env"`
	Status         string    `json:"status"`
	Created        time.Time `json:"created"`
	NextAttempt    time.Time `json:"next_attempt,omitzero"`
	Attempts       []Attempt `json:"attempts"`
	// AlertKey locates the alert whose stored payload is the body: one
	// copy, the same bytes on every attempt.
	AlertKey string `json:"alert_key"`
	// Body is filled from the alert when the delivery is sent.
	Body json.RawMessage `json:"-"`
}

// Attempt is one try at sending a delivery.
type Attempt struct {
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code,omitempty"`
	Error      string    `json:"error,omitempty"`
	DurationMS int64     `json:"duration_ms"`
}

func putDelivery(tx *bolt.Tx, d *Delivery) error {
	data := encodeDelivery(d)
	key := subKey(d.SubscriptionID, d.ID)
	if err := tx.Bucket(bucketDeliveries).Put(key, data); err != nil {
		return err
	}
	if d.Status == StatusPending {
		return tx.Bucket(bucketOutbox).Put([]byte(d.ID), key)
	}
	return tx.Bucket(bucketOutbox).Delete([]byte(d.ID))
}

func defaultJitter() float64 { return rand.Float64() }

// backoff is the wait after the n-th failed attempt (n >= 1): exponential
// with "equal jitter", between half and all of the exponential step.
func (s *Service) backoff(n int) time.Duration {
	d := firstBackoff
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, maxBackoff)
	return d/2 + time.Duration(s.opts.Jitter()*float64(d/2))
}

// Run delivers the outbox until ctx ends: due deliveries are sent, and the
// loop sleeps until the next one is due or OnBatch adds some. Pending
// deliveries left by a crash are sent on start with their original ids.
func (s *Service) Run(ctx context.Context) error {
	for {
		next, err := s.DeliverDue(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := idleWait
		if err != nil {
			s.logger.Error("delivery pass failed", "err", err)
		} else if !next.IsZero() {
			wait = max(next.Sub(s.opts.Now()), 0)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-s.opts.After(wait):
		}
	}
}

// DeliverDue sends every pending delivery whose time has come and returns
// when the earliest remaining one is due (zero when the outbox is empty).
func (s *Service) DeliverDue(ctx context.Context) (time.Time, error) {
	now := s.opts.Now()
	var due []Delivery
	var orphans []string
	var next time.Time
	err := s.db.View(func(tx *bolt.Tx) error {
		dels := tx.Bucket(bucketDeliveries)
		snaps := newSnapshots(tx)
		return tx.Bucket(bucketOutbox).ForEach(func(_, key []byte) error {
			v := dels.Get(key)
			if v == nil {
				return nil
			}
			var d Delivery
			if err := decodeDelivery(v, &d); err != nil {
				return err
			}
			if !d.NextAttempt.After(now) {
				var body []byte
				raw := tx.Bucket(bucketAlerts).Get([]byte(d.AlertKey))
				if raw != nil {
					_, body, _ = decodeAlert(snaps, raw, true)
				}
				if body == nil {
					// Cannot be sent; one bad record must not stop the outbox.
					s.logger.Error("delivery without a readable alert; dropped", "delivery", d.ID)
					orphans = append(orphans, d.ID)
					return nil
				}
				d.Body = body
				due = append(due, d)
			} else if next.IsZero() || d.NextAttempt.Before(next) {
				next = d.NextAttempt
			}
			return nil
		})
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("alert: read outbox: %w", err)
	}
	if len(orphans) > 0 {
		if err := s.db.Update(func(tx *bolt.Tx) error {
			for _, id := range orphans {
				if err := tx.Bucket(bucketOutbox).Delete([]byte(id)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return time.Time{}, fmt.Errorf("alert: drop orphans: %w", err)
		}
	}
	gone := map[string]bool{} // target URLs that answered 410 in this pass
	for i := range due {
		if ctx.Err() != nil {
			return next, nil
		}
		d := &due[i]
		if gone[d.SubscriptionID+" "+d.URL] {
			continue // disable410 already settled it
		}
		status, err := s.attempt(ctx, d)
		if ctx.Err() != nil {
			return next, nil // shutting down: the delivery stays pending, unrecorded
		}
		if status == http.StatusGone {
			gone[d.SubscriptionID+" "+d.URL] = true
		}
		if err != nil {
			return next, err
		}
		if d.Status == StatusPending && (next.IsZero() || d.NextAttempt.Before(next)) {
			next = d.NextAttempt
		}
	}
	return next, nil
}

// attempt sends d once and records the outcome.
func (s *Service) attempt(ctx context.Context, d *Delivery) (int, error) {
	start := s.opts.Now()
	code, sendErr := s.send(ctx, d, start)
	if ctx.Err() != nil {
		return 0, nil
	}
	if s.afterSend != nil {
		s.afterSend(d)
	}
	end := s.opts.Now()
	at := Attempt{At: start.UTC(), StatusCode: code, DurationMS: end.Sub(start).Milliseconds()}
	if sendErr != nil {
		at.Error = sendErr.Error()
	}
	log := s.logger.With("delivery", d.ID, "url", redact(d.URL), "status", code)
	switch {
	case sendErr == nil && code >= 200 && code < 300:
		d.Status, d.NextAttempt = StatusDelivered, time.Time{}
	case code == http.StatusGone:
		log.Warn("webhook target answered 410 Gone: disabled")
		return code, s.disable410(d, at, end)
	default:
		n := len(d.Attempts) + 1
		if end.Sub(d.Created) >= s.opts.RetryFor || n >= maxAttempts {
			d.Status, d.NextAttempt = StatusFailed, time.Time{}
			log.Error("webhook delivery abandoned", "attempts", n, "err", at.Error)
		} else {
			d.NextAttempt = end.Add(s.backoff(n)).UTC()
			log.Warn("webhook delivery failed; will retry", "attempt", n, "next", d.NextAttempt, "err", at.Error)
		}
	}
	d.Attempts = append(d.Attempts, at)
	err := s.db.Update(func(tx *bolt.Tx) error {
		// The subscription may have been deleted meanwhile: then drop it.
		if tx.Bucket(bucketDeliveries).Get(subKey(d.SubscriptionID, d.ID)) == nil {
			return tx.Bucket(bucketOutbox).Delete([]byte(d.ID))
		}
		return putDelivery(tx, d)
	})
	if err != nil {
		return code, fmt.Errorf("alert: record attempt: %w", err)
	}
	return code, nil
}

// disable410 marks the target disabled and settles every pending delivery
// to it: the receiver said it will never want them.
func (s *Service) disable410(d *Delivery, at Attempt, now time.Time) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		sub, found, err := lookup(tx, d.SubscriptionID)
		if err != nil || !found {
			return err
		}
		t := now.UTC()
		for i := range sub.Webhooks {
			if sub.Webhooks[i].URL == d.URL {
				sub.Webhooks[i].Disabled, sub.Webhooks[i].DisabledAt = true, &t
				sub.Webhooks[i].DisabledReason = "receiver answered 410 Gone"
			}
		}
		if err := putSub(tx, sub); err != nil {
			return err
		}
		c := tx.Bucket(bucketDeliveries).Cursor()
		p := subPrefix(sub.ID)
		var upd []Delivery
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var o Delivery
			if err := decodeDelivery(v, &o); err != nil {
				return err
			}
			if o.URL == d.URL && o.Status == StatusPending {
				if o.ID == d.ID {
					o.Attempts = append(o.Attempts, at)
				}
				o.Status, o.NextAttempt = StatusDisabled, time.Time{}
				upd = append(upd, o)
			}
		}
		for i := range upd {
			if err := putDelivery(tx, &upd[i]); err != nil {
				return err
			}
		}
		return nil
	})
	s.invalidate()
	if err != nil {
		return fmt.Errorf("alert: disable target: %w", err)
	}
	d.Status = StatusDisabled
	return nil
}

// send POSTs the delivery signed per Standard Webhooks.
func (s *Service) send(ctx context.Context, d *Delivery, at time.Time) (int, error) {
	u, err := url.Parse(d.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return 0, fmt.Errorf("alert: webhook url %q: want http or https", d.URL)
	}
	secret, err := DecodeSecret(s.opts.Secrets(d.SecretEnv))
	if err != nil {
		return 0, fmt.Errorf("alert: secret %s: %w", d.SecretEnv, err)
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, fmt.Errorf("alert: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Mirsad-Alerts/0.1")
	req.Header.Set("webhook-id", d.ID)
	req.Header.Set("webhook-timestamp", ts)
	req.Header.Set("webhook-signature", Sign(secret, d.ID, ts, d.Body))
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("alert: post: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("alert: receiver answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}

// DecodeSecret reads a Standard Webhooks secret: "whsec_" + base64 of the
// key; a value without the prefix is the key's raw bytes.
func DecodeSecret(v string) ([]byte, error) {
	if v == "" {
		return nil, errors.New("empty: set the environment variable")
	}
	if rest, ok := strings.CutPrefix(v, "whsec_"); ok {
		key, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			return nil, fmt.Errorf("whsec_ value is not base64: %w", err)
		}
		if len(key) == 0 {
			return nil, errors.New("whsec_ value holds an empty key")
		}
		return key, nil
	}
	return []byte(v), nil
}

// Sign returns the webhook-signature header value: "v1," + base64 of
// HMAC-SHA256 over "id.timestamp.body".
func Sign(secret []byte, id, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// redact drops the query string from logged URLs: receivers often put
// tokens there.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(bad url)"
	}
	u.RawQuery, u.User = "", nil
	return u.String()
}
