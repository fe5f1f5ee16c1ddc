#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME each (default 30s) and
# prints executions per target, the total, and any crasher found. A crasher is
# written by Go under the package's testdata/fuzz/<Target>/; commit it as a
# regression case (plain 'go test' then runs it for ever after). A failure of
# the fuzzing engine itself (no crashing input written) is shown and retried
# once; a second failure counts as a crasher. On a loaded machine Go before
# 1.27 sometimes ends a clean run with "context deadline exceeded": a race in
# its fuzz coordinator (golang/go#75804), not a finding.
#
#   scripts/fuzz.sh                 # every target, 30s each
#   FUZZTIME=5s scripts/fuzz.sh     # the short pass CI runs
#   scripts/fuzz.sh ./scan/...      # only some packages
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-30s}
pkgs=("${@:-./...}")
total=0; crashers=0; targets=0; failed=()
log=$(mktemp); trap 'rm -f "$log"' EXIT

for pkg in $(go list "${pkgs[@]}"); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -hoE '^func (Fuzz[A-Za-z0-9_]+)\(' "$dir"/*_test.go 2>/dev/null | sed -E 's/^func (Fuzz[A-Za-z0-9_]+)\(/\1/' | sort -u); do
    targets=$((targets + 1))
    status=ok
    for attempt in 1 2; do
      go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -parallel=2 "$pkg" >"$log" 2>&1 && break
      if grep -q 'Failing input written to' "$log" || [ "$attempt" = 2 ]; then
        status=CRASH; crashers=$((crashers + 1)); failed+=("$pkg $target")
        tail -15 "$log" | sed 's/^/    /'
        break
      fi
      # No input was written: the fuzzing engine itself failed (a worker
      # killed or starved on a loaded machine). Show why, then try once more.
      echo "    $target: the fuzzer failed without a crashing input; trying again:"
      tail -6 "$log" | sed 's/^/      /'
    done
    execs=$(grep -oE 'execs: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
    total=$((total + ${execs:-0}))
    printf '%-6s %-45s %-28s %12s execs\n' "$status" "${pkg#github.com/porchlight/porchlight}" "$target" "${execs:-0}"
  done
done
printf '\n%d targets, %d total executions, %d crashers (FUZZTIME=%s)\n' "$targets" "$total" "$crashers" "$fuzztime"
if [ "$crashers" -gt 0 ]; then
  printf 'crashed: %s\n' "${failed[@]}"
  exit 1
fi
