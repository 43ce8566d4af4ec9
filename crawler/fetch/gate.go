package fetch

import (
	"context"
	"strings"
	"sync"
	"time"
)

// hostGate enforces per-host concurrency and a minimum gap between request starts, and lets a
// Retry-After push a host's next start into the future for every caller.
type hostGate struct {
	opts  *Options
	mu    sync.Mutex
	hosts map[string]*hostState
}

type hostState struct {
	sem  chan struct{}
	next time.Time // no request to this host starts before this
}

func newHostGate(o *Options) *hostGate {
	return &hostGate{opts: o, hosts: make(map[string]*hostState)}
}

func (g *hostGate) state(host string) *hostState {
	host = strings.ToLower(host)
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.hosts[host]
	if st == nil {
		st = &hostState{sem: make(chan struct{}, g.opts.PerHostConcurrency)}
		g.hosts[host] = st
	}
	return st
}

// acquire waits for a slot and for the host's next start time, then reserves the following start
// time delay later. The returned func frees the slot.
func (g *hostGate) acquire(ctx context.Context, host string, delay time.Duration) (func(), error) {
	st := g.state(host)
	select {
	case st.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := func() { <-st.sem }
	for {
		g.mu.Lock()
		now := g.opts.Now()
		target := st.next
		if !now.Before(target) {
			st.next = now.Add(delay)
			g.mu.Unlock()
			return release, nil
		}
		g.mu.Unlock()
		if err := g.opts.Sleep(ctx, target.Sub(now)); err != nil {
			release()
			return nil, err
		}
		g.mu.Lock()
		if !st.next.After(target) {
			// Slept until target and nobody pushed it further: go, even if an injected clock
			// did not move.
			start := g.opts.Now()
			if start.Before(target) {
				start = target
			}
			st.next = start.Add(delay)
			g.mu.Unlock()
			return release, nil
		}
		g.mu.Unlock()
	}
}

// holdOff makes the host's next request wait until t (Retry-After, backoff).
func (g *hostGate) holdOff(host string, t time.Time) {
	st := g.state(host)
	g.mu.Lock()
	if t.After(st.next) {
		st.next = t
	}
	g.mu.Unlock()
}
