package alert

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"
)

// Buckets, all in the data directory's bbolt file.
var (
	bucketSubs        = []byte("alert_subscriptions") // id -> Subscription
	bucketSeen        = []byte("alert_seen")          // subID \x00 story key -> alert id (earlier versions; read only)
	bucketSeenStories = []byte("alert_seen_stories")  // story key -> subID, alert id pairs
	bucketAlerts      = []byte("alert_alerts")        // subID \x00 seq -> Alert
	bucketDeliveries  = []byte("alert_deliveries")    // subID \x00 delivery id -> Delivery
	bucketOutbox      = []byte("alert_outbox")        // delivery id -> deliveries key (pending only)
	bucketJournal     = []byte("alert_journal")       // article id -> "" (stored, not yet matched)
	bucketSnapshots   = []byte("alert_snapshots")     // article id \x00 content hash -> what alerts show of it
	allBuckets        = [][]byte{bucketSubs, bucketSeen, bucketAlerts, bucketDeliveries, bucketOutbox, bucketJournal, bucketSnapshots, bucketSeenStories}
)

// ErrNotFound marks a missing subscription.
var ErrNotFound = errors.New("not found")

// ErrConflict marks a name already taken, or a change the config owns.
var ErrConflict = errors.New("conflict")

func subKey(subID string, rest string) []byte {
	return []byte(subID + "\x00" + rest)
}

func subPrefix(subID string) []byte { return []byte(subID + "\x00") }

func newID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// Subscriptions lists every subscription by name.
func (s *Service) Subscriptions(ctx context.Context) ([]Subscription, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var out []Subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSubs).ForEach(func(_, v []byte) error {
			var sub Subscription
			if err := json.Unmarshal(v, &sub); err != nil {
				return err
			}
			out = append(out, sub)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("alert: list subscriptions: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Subscription returns one subscription by id or, failing that, by name.
func (s *Service) Subscription(ctx context.Context, idOrName string) (Subscription, error) {
	var sub Subscription
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		sub, found, err = lookup(tx, idOrName)
		return err
	})
	if err != nil {
		return sub, fmt.Errorf("alert: read subscription: %w", err)
	}
	if !found {
		return sub, fmt.Errorf("alert: subscription %q: %w", idOrName, ErrNotFound)
	}
	return sub, nil
}

func lookup(tx *bolt.Tx, idOrName string) (Subscription, bool, error) {
	var sub Subscription
	b := tx.Bucket(bucketSubs)
	if v := b.Get([]byte(idOrName)); v != nil {
		return sub, true, json.Unmarshal(v, &sub)
	}
	found := false
	err := b.ForEach(func(_, v []byte) error {
		if found {
			return nil
		}
		var c Subscription
		if err := json.Unmarshal(v, &c); err != nil {
			return err
		}
		if c.Name == idOrName {
			sub, found = c, true
		}
		return nil
	})
	return sub, found, err
}

func putSub(tx *bolt.Tx, sub Subscription) error {
	data, err := json.Marshal(sub)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketSubs).Put([]byte(sub.ID), data)
}

// Create validates and stores a new subscription. A name already taken is
// ErrConflict; bad input is a *ValidationError.
func (s *Service) Create(ctx context.Context, sub Subscription) (Subscription, error) {
	if err := ctxErr(ctx); err != nil {
		return sub, err
	}
	if err := s.normalize(&sub); err != nil {
		return sub, err
	}
	if sub.Origin == "" {
		sub.Origin = OriginAPI
	}
	now := s.opts.Now().UTC()
	sub.ID, sub.Created, sub.Updated = newID("sub_"), now, now
	err := s.db.Update(func(tx *bolt.Tx) error {
		if _, found, err := lookup(tx, sub.Name); err != nil {
			return err
		} else if found {
			return fmt.Errorf("alert: subscription name %q: %w: already exists", sub.Name, ErrConflict)
		}
		return putSub(tx, sub)
	})
	if err != nil {
		return sub, fmt.Errorf("alert: create subscription: %w", err)
	}
	s.invalidate()
	return sub, nil
}

// Delete removes a subscription (by id or name) with its alerts and
// pending deliveries. Subscriptions from the config file are removed by
// editing the config: deleting them here is ErrConflict, since the next
// start would bring them back.
func (s *Service) Delete(ctx context.Context, idOrName string) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		sub, found, err := lookup(tx, idOrName)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("subscription %q: %w", idOrName, ErrNotFound)
		}
		if sub.Origin == OriginConfig {
			return fmt.Errorf("subscription %q: %w: it is defined in the config file; remove it there", sub.Name, ErrConflict)
		}
		return deleteSub(tx, sub.ID)
	})
	if err != nil {
		return fmt.Errorf("alert: delete: %w", err)
	}
	s.invalidate()
	return nil
}

func deleteSub(tx *bolt.Tx, id string) error {
	if err := tx.Bucket(bucketSubs).Delete([]byte(id)); err != nil {
		return err
	}
	out := tx.Bucket(bucketOutbox)
	for _, name := range [][]byte{bucketSeen, bucketAlerts, bucketDeliveries} {
		c := tx.Bucket(name).Cursor()
		p := subPrefix(id)
		var keys [][]byte
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			keys = append(keys, bytes.Clone(k))
			if bytes.Equal(name, bucketDeliveries) {
				var d Delivery
				if decodeDelivery(v, &d) == nil {
					if err := out.Delete([]byte(d.ID)); err != nil {
						return err
					}
				}
			}
		}
		for _, k := range keys {
			if err := tx.Bucket(name).Delete(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// Sync makes the config file's subscriptions current: each is keyed by
// name, so restarts update it in place (keeping its id, alerts and
// history) instead of adding a copy; config subscriptions no longer in the
// file are removed. Nothing is changed unless every entry is valid.
func (s *Service) Sync(ctx context.Context, subs []Subscription) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	byName := map[string]Subscription{}
	for i, sub := range subs {
		if err := s.normalize(&sub); err != nil {
			return fmt.Errorf("alert: config subscriptions[%d]: %w", i, err)
		}
		if _, dup := byName[sub.Name]; dup {
			return fmt.Errorf("alert: config subscriptions[%d]: name %q appears twice", i, sub.Name)
		}
		byName[sub.Name] = sub
	}
	now := s.opts.Now().UTC()
	err := s.db.Update(func(tx *bolt.Tx) error {
		existing := map[string]Subscription{}
		if err := tx.Bucket(bucketSubs).ForEach(func(_, v []byte) error {
			var c Subscription
			if err := json.Unmarshal(v, &c); err != nil {
				return err
			}
			existing[c.Name] = c
			return nil
		}); err != nil {
			return err
		}
		for name, old := range existing {
			if _, keep := byName[name]; !keep && old.Origin == OriginConfig {
				if err := deleteSub(tx, old.ID); err != nil {
					return err
				}
			}
		}
		for name, sub := range byName {
			old, found := existing[name]
			if found && old.Origin != OriginConfig {
				return fmt.Errorf("config subscription %q: %w: a subscription of that name was created by %s", name, ErrConflict, old.Origin)
			}
			sub.Origin = OriginConfig
			if found {
				sub.ID, sub.Created, sub.Updated = old.ID, old.Created, old.Updated
				keepDisabled(&sub, old)
				if sameDefinition(sub, old) {
					continue
				}
				sub.Updated = now
			} else {
				sub.ID, sub.Created, sub.Updated = newID("sub_"), now, now
			}
			if err := putSub(tx, sub); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("alert: sync: %w", err)
	}
	s.invalidate()
	// Compile now, at start, rather than in the first batch's matching.
	_, err = s.compiledSubs(ctx)
	return err
}

// keepDisabled carries a 410'd target's state over a restart unless its
// URL changed: the receiver asked not to be called again.
func keepDisabled(sub *Subscription, old Subscription) {
	for i := range sub.Webhooks {
		for _, o := range old.Webhooks {
			if o.URL == sub.Webhooks[i].URL && o.Disabled {
				sub.Webhooks[i].Disabled, sub.Webhooks[i].DisabledAt, sub.Webhooks[i].DisabledReason = true, o.DisabledAt, o.DisabledReason
			}
		}
	}
}

func sameDefinition(a, b Subscription) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// Alerts returns a subscription's alerts, newest first, at most limit.
func (s *Service) Alerts(ctx context.Context, subID string, limit int) ([]Alert, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var out []Alert
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAlerts).Cursor()
		snaps := newSnapshots(tx)
		p := subPrefix(subID)
		k, v := c.Seek(append(bytes.Clone(p), 0xff))
		if k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
		for ; k != nil && bytes.HasPrefix(k, p) && len(out) < limit; k, v = c.Prev() {
			a, _, err := decodeAlert(snaps, v, false)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("alert: read alerts: %w", err)
	}
	return out, nil
}

// Deliveries returns a subscription's webhook deliveries with every
// attempt, newest first, at most limit.
func (s *Service) Deliveries(ctx context.Context, subID string, limit int) ([]Delivery, error) {
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	var out []Delivery
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDeliveries).Cursor()
		p := subPrefix(subID)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var d Delivery
			if err := decodeDelivery(v, &d); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("alert: read deliveries: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].ID > out[j].ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
