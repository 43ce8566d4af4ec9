package crawler

import (
	"encoding/json"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/mirsad-observatory/mirsad/crawler/fetch"
)

// Buckets the crawler owns in the shared bbolt file.
const (
	// BucketCache maps a listing URL (feed, sitemap) to the ETag and
	// Last-Modified of its last fully ingested fetch.
	BucketCache = "crawl_cache"
	// BucketSeen maps source NUL guid to the fingerprint of the item as it
	// was last ingested, so that a re-polled feed costs no page fetches for
	// stories it already gave us.
	BucketSeen = "crawl_seen"
)

// state keeps what must survive between runs. Without a DB it lives in
// memory for the Crawler's lifetime, which is enough for tests and demos.
type state struct {
	db  *bolt.DB
	mu  sync.Mutex
	mem map[string]map[string][]byte
}

func newState(db *bolt.DB) (*state, error) {
	s := &state{db: db, mem: map[string]map[string][]byte{BucketCache: {}, BucketSeen: {}}}
	if db == nil {
		return s, nil
	}
	err := db.Update(func(tx *bolt.Tx) error {
		for _, b := range []string{BucketCache, BucketSeen} {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: state buckets: %w", err)
	}
	return s, nil
}

func (s *state) get(bucket, key string) []byte {
	if s.db == nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.mem[bucket][key]
	}
	var out []byte
	_ = s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket([]byte(bucket)).Get([]byte(key)); v != nil {
			out = append([]byte{}, v...)
		}
		return nil
	})
	return out
}

func (s *state) put(bucket string, kv map[string][]byte) error {
	if len(kv) == 0 {
		return nil
	}
	if s.db == nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		for k, v := range kv {
			s.mem[bucket][k] = v
		}
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		for k, v := range kv {
			if err := b.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("crawler: save %s: %w", bucket, err)
	}
	return nil
}

type validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

func (s *state) conditional(u string) fetch.Conditional {
	var v validators
	if data := s.get(BucketCache, u); data != nil {
		_ = json.Unmarshal(data, &v)
	}
	return fetch.Conditional{ETag: v.ETag, LastModified: v.LastModified}
}

func (s *state) saveConditionals(m map[string]fetch.Conditional) error {
	kv := map[string][]byte{}
	for u, c := range m {
		if c.ETag == "" && c.LastModified == "" {
			continue
		}
		data, _ := json.Marshal(validators{ETag: c.ETag, LastModified: c.LastModified})
		kv[u] = data
	}
	return s.put(BucketCache, kv)
}

func seenKey(source, guid string) string { return source + "\x00" + guid }

func (s *state) seenFingerprint(source, guid string) string {
	return string(s.get(BucketSeen, seenKey(source, guid)))
}

func (s *state) saveSeen(source string, m map[string]string) error {
	kv := make(map[string][]byte, len(m))
	for guid, fp := range m {
		kv[seenKey(source, guid)] = []byte(fp)
	}
	return s.put(BucketSeen, kv)
}
