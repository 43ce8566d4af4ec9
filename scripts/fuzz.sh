#!/bin/sh
# Runs every fuzz target of the repository for a fixed time each.
#
#   scripts/fuzz.sh [FUZZTIME]      # default 30s per target; e.g. scripts/fuzz.sh 2m
#
# A crasher is written by `go test -fuzz` to the package's
# testdata/fuzz/FuzzXxx/ folder, where plain `go test` replays it from then
# on as a regression test: commit that file with the fix. The script exits
# 1 if any target failed and lists the new crasher files.
set -u
cd "$(dirname "$0")/.." || exit 2
fuzztime=${1:-30s}
failed=0
before=$(find . -path '*/testdata/fuzz/Fuzz*/*' -type f 2>/dev/null | sort)
# One line per target: "<package dir> <FuzzName>".
targets=$(grep -rl --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*(f \*testing.F)' . |
	while read -r file; do
		dir=$(dirname "$file")
		grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //' | while read -r name; do
			echo "$dir $name"
		done
	done | sort -u)
if [ -z "$targets" ]; then
	echo "fuzz: no fuzz targets found" >&2
	exit 2
fi
echo "$targets" | while read -r dir name; do
	printf '%-50s %-28s ' "$dir" "$name"
	start=$(date +%s)
	if out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$dir" 2>&1); then
		echo "ok   $(( $(date +%s) - start ))s"
	else
		echo "FAIL $(( $(date +%s) - start ))s"
		echo "$out" | tail -20 | sed 's/^/    /'
		echo fail >> "${TMPDIR:-/tmp}/mirsad-fuzz-failed.$$"
	fi
done
if [ -f "${TMPDIR:-/tmp}/mirsad-fuzz-failed.$$" ]; then
	failed=$(wc -l < "${TMPDIR:-/tmp}/mirsad-fuzz-failed.$$")
	rm -f "${TMPDIR:-/tmp}/mirsad-fuzz-failed.$$"
fi
after=$(find . -path '*/testdata/fuzz/Fuzz*/*' -type f 2>/dev/null | sort)
new=$(printf '%s\n' "$after" | grep -vxF -e "$before" 2>/dev/null || true)
[ -z "$before" ] && new=$after
n=$(echo "$targets" | wc -l)
echo "fuzz: $n targets, ${fuzztime} each, $failed failed"
if [ -n "$new" ]; then
	echo "new crasher files (regression tests from now on; commit them with the fix):"
	echo "$new" | sed 's/^/  /'
fi
[ "$failed" -eq 0 ]
