package scale

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// A host lease keeps politeness across workers: the worker that holds
// host.<host> in the bucket is the only one fetching from that host, and
// its own fetch client spaces its requests (per_host_delay, robots.txt
// Crawl-delay, Retry-After) exactly as single-process mode does. A lease
// is refreshed while its job runs and expires LeaseTTL after a worker
// dies, so a crash never locks a host for long. A KV lease was chosen over
// routing each host to a fixed consumer because workers come and go: a
// lease needs no rebalancing, and a job whose host is busy simply goes
// back on the queue for another moment.

// ErrHostBusy says another worker holds the host's lease.
var ErrHostBusy = errors.New("scale: host is being fetched by another worker")

type lease struct {
	kv    jetstream.KeyValue
	key   string
	owner string
	rev   uint64
}

// hostKey turns a URL host (with port) into a valid KV key: dots too
// become '_', since a key may not end in a dot nor hold two in a row. Two
// hosts that differ only there share a lease, which errs on the polite side.
func hostKey(host string) string {
	var b strings.Builder
	b.WriteString("host.")
	for _, r := range strings.ToLower(host) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if host == "" {
		b.WriteByte('_')
	}
	return b.String()
}

func acquireLease(ctx context.Context, kv jetstream.KeyValue, host, owner string) (*lease, error) {
	key := hostKey(host)
	rev, err := kv.Create(ctx, key, []byte(owner))
	if errors.Is(err, jetstream.ErrKeyExists) {
		return nil, ErrHostBusy
	}
	if err != nil {
		return nil, fmt.Errorf("scale: lease %s: %w", key, err)
	}
	return &lease{kv: kv, key: key, owner: owner, rev: rev}, nil
}

// refresh renews the lease; an error means it was lost (it expired and
// another worker took the host).
func (l *lease) refresh(ctx context.Context) error {
	rev, err := l.kv.Update(ctx, l.key, []byte(l.owner), l.rev)
	if err != nil {
		return fmt.Errorf("scale: lease %s lost: %w", l.key, err)
	}
	l.rev = rev
	return nil
}

// release frees the host unless the lease was lost meanwhile.
func (l *lease) release(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := l.kv.Delete(ctx, l.key, jetstream.LastRevision(l.rev)); err != nil {
		return fmt.Errorf("scale: release %s: %w", l.key, err)
	}
	return nil
}
