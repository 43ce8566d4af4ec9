// Package natstest runs a real NATS server with JetStream inside the
// process, on loopback, for tests and benchmarks: they then need no
// nats-server binary installed.
package natstest

import (
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Start runs a JetStream server on 127.0.0.1 at a free port, storing in
// dir. Call Shutdown when done.
func Start(dir string) (*server.Server, error) {
	s, err := server.NewServer(&server.Options{
		Host:      "127.0.0.1",
		Port:      server.RANDOM_PORT,
		JetStream: true,
		StoreDir:  dir,
		NoSigs:    true,
		NoLog:     true,
	})
	if err != nil {
		return nil, fmt.Errorf("natstest: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("natstest: server not ready after 10s")
	}
	return s, nil
}
