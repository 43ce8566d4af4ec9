package main

import (
	"context"
	"sort"
	"strings"
)

// benches maps a topic to its runner; each prints one table with its
// baseline measured in the same run.
var benches = map[string]func(ctx context.Context, e *env, args []string) error{}

func cmdBench(ctx context.Context, e *env, args []string) error {
	topics := make([]string, 0, len(benches))
	for t := range benches {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	if len(args) == 0 {
		return usagef("which topic? one of: %s", strings.Join(topics, ", "))
	}
	f, ok := benches[args[0]]
	if !ok {
		return usagef("unknown topic %q: want one of %s", args[0], strings.Join(topics, ", "))
	}
	return f(ctx, e, args[1:])
}
