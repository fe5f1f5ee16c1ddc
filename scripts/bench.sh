#!/usr/bin/env bash
# Measures Porchlight against nmap on the lab's "large" household: 250
# simulated devices, each in its own network namespace on one bridge, scanned
# from the lab's scanner namespace. Nothing leaves those namespaces: the lab's
# subnet (10.77.1.0/24) exists nowhere else and the scanner namespace has no
# route out.
#
# For each of nmap -sn, Porchlight discovery (--discover-only), Porchlight's
# full scan (identification and checks, with consent) and an nmap service
# scan (-sV over the ports Porchlight probes) it prints the wall time, the
# time to the first device reported, the peak memory (GNU time's maximum
# resident set size) and the devices seen, then the ratios and targets.
#
#   sudo scripts/bench.sh                     # about 6 minutes
#   NMAP_SV_LIMIT=900 sudo scripts/bench.sh   # let nmap -sV run longer
#
# nmap -sV over 250 devices takes far longer than everything else; it is
# stopped after NMAP_SV_LIMIT seconds (default 300), which makes the full-scan
# ratio a lower bound.
#
# Needs Linux, root, Go, iproute2, nmap and GNU time (Debian package "time").
# The whole run is bounded (BENCH_LIMIT seconds, default 900); the lab and
# its namespaces are removed on every exit.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

if [ -z "${BENCH_BOUNDED:-}" ]; then
  exec env BENCH_BOUNDED=1 timeout --kill-after=20 "${BENCH_LIMIT:-900}" "$0" "$@"
fi

die() { echo "bench: $*" >&2; exit 1; }
[ "$(uname -s)" = Linux ] || die "needs Linux (network namespaces)"
[ "$(id -u)" = 0 ] || die "needs root (network namespaces); run it with sudo"
command -v ip >/dev/null || die "needs iproute2 (ip)"
command -v nmap >/dev/null || die "needs nmap"
[ -x /usr/bin/time ] || die "needs GNU time at /usr/bin/time (apt-get install time)"

work=$(mktemp -d)
labpid=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$labpid" ] && kill -0 "$labpid" 2>/dev/null; then
    # TERM, not INT: a background job of a script starts with SIGINT ignored.
    kill -TERM "$labpid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$labpid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$labpid" 2>/dev/null || true
  fi
  # Whatever the lab could not remove itself: its namespaces carry its pid.
  if [ -n "$labpid" ]; then
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^pl-$labpid-" || true); do
      ip netns delete "$ns" 2>/dev/null || true
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building porchlight..."
go build -o "$work/porchlight" .

echo "starting the large lab in network namespaces..."
"$work/porchlight" lab --netns --scenario large >"$work/lab.out" 2>"$work/lab.err" &
labpid=$!
for _ in $(seq 1200); do # up to 120 s
  grep -q "Scan it with:" "$work/lab.out" 2>/dev/null && break
  kill -0 "$labpid" 2>/dev/null || { cat "$work/lab.err" >&2; die "the lab did not start"; }
  sleep 0.1
done
line=$(grep "Scan it with:" "$work/lab.out") || die "the lab did not say how to scan it"
ns=$(sed -n 's/.*ip netns exec \([^ ]*\) .*/\1/p' <<<"$line")
targets=$(sed -n 's/.*--targets \([^ ]*\).*/\1/p' <<<"$line")
# Never aim anything outside the lab: its subnet and its scanner namespace only.
[[ "$targets" == 10.77.1.0/24 ]] || die "unexpected lab targets '$targets'"
[[ "$ns" == pl-"$labpid"-*-scan ]] || die "unexpected scanner namespace '$ns'"
if ip -n "$ns" route show default | grep -q .; then die "scanner namespace $ns has a default route"; fi
# The ports Porchlight probes (scan/discover_ports.go), for nmap -sV.
ports=$(sed -n '/func DefaultPorts/,/^}/p' scan/discover_ports.go | grep -oE '\b[0-9]+\b' | sort -un | paste -sd, -)
echo "lab up: $targets in namespace $ns; ports $ports"

# stamp prefixes each line with the time it arrived.
stamp() { while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }

# measure NAME STREAM PATTERN LIMIT CMD...: runs CMD in the scanner namespace
# under GNU time (outside timeout, so a command stopped at LIMIT is killed,
# not orphaned; its peak RSS is still counted, as a waited-for child), timestamps the lines of STREAM (stdout or stderr), and
# records wall time, time to the first line matching PATTERN, peak RSS and
# the number of matching lines. The neighbour table is flushed first, so no
# run gets another's ARP answers for free.
declare -A wall first rss count
measure() {
  local name=$1 stream=$2 pat=$3 limit=$4; shift 4
  ip -n "$ns" neigh flush all 2>/dev/null || true
  local t0 t1 rc=0
  t0=$EPOCHREALTIME
  if [ "$stream" = stdout ]; then
    ip netns exec "$ns" /usr/bin/time -v -o "$work/$name.time" timeout "$limit" "$@" 2>"$work/$name.err" | stamp >"$work/$name.lines" || rc=$?
  else
    { ip netns exec "$ns" /usr/bin/time -v -o "$work/$name.time" timeout "$limit" "$@" 3>&1 1>"$work/$name.out" 2>&3 | stamp >"$work/$name.lines"; } || rc=$?
  fi
  t1=$EPOCHREALTIME
  wall[$name]=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then wall[$name]=">$limit"; fi
  first[$name]=$(awk -v a="$t0" -v p="$pat" '$0 ~ p {printf "%.2f", $1-a; exit}' "$work/$name.lines")
  count[$name]=$(awk -v p="$pat" '$0 ~ p' "$work/$name.lines" | wc -l)
  rss[$name]=$(awk -F': ' '/Maximum resident set size/{printf "%.1f", $2/1024}' "$work/$name.time" 2>/dev/null || true)
  printf '  %-22s done: %s s, %s devices\n' "$name" "${wall[$name]}" "${count[$name]}"
}

pl="$work/porchlight"
echo "measuring (each tool from the scanner namespace, neighbour table flushed before each)..."
measure nmap-sn stdout 'Status: Up' 300 nmap -sn -n -T4 -oG - "$targets"
measure porchlight-discover stderr ' found ' 120 "$pl" scan --targets "$targets" --discover-only --no-history --timeout 60s
measure porchlight-full stderr ' found ' 120 "$pl" scan --targets "$targets" --check-passwords --no-history --timeout 60s
checked=$(grep -c ' checked ' "$work/porchlight-full.lines" || true)
# "checked IP Maker Model (type): N finding(s)": a type shown means identified.
identified=$(grep ' checked ' "$work/porchlight-full.lines" | grep -c ') *: [0-9]* finding' || true)
measure nmap-sV stdout 'Ports: ' "${NMAP_SV_LIMIT:-300}" nmap -sV -n -T4 -p "$ports" -oG - "$targets"

echo
printf '%-22s %10s %14s %14s %8s\n' "" "wall (s)" "first dev (s)" "peak RSS (MB)" "devices"
for n in nmap-sn porchlight-discover nmap-sV porchlight-full; do
  printf '%-22s %10s %14s %14s %8s\n' "$n" "${wall[$n]}" "${first[$n]:-n/a}" "${rss[$n]:-?}" "${count[$n]}"
done
echo "porchlight full scan: $checked devices checked, $identified identified by type (identification and checks, with consent)"
echo

# verdict LABEL VALUE OP LIMIT: prints the figure against its target.
verdict() {
  local ok
  ok=$(awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN{ if (v == "") {print "?"; exit} if ((op=="<=" && v+0<=l+0) || (op==">=" && v+0>=l+0) || (op=="<" && v+0<l+0)) print "met"; else print "MISSED" }')
  printf '  %-48s %8s  (target %s %s)  %s\n' "$1" "$2" "$3" "$4" "$ok"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a ~ /^>/ || b == "" || b+0 == 0) print ""; else printf "%.2f", a/b }'; }
echo "ratios and targets:"
verdict "discovery: porchlight / nmap -sn (x)" "$(ratio "${wall[porchlight-discover]}" "${wall[nmap-sn]}")" "<=" 1.2
sv="${wall[nmap-sV]#>}"
verdict "full scan: nmap -sV / porchlight (x faster)" "$(ratio "$sv" "${wall[porchlight-full]}")" ">=" 5
verdict "full scan wall time (s)" "${wall[porchlight-full]}" "<" 15
verdict "first device, full scan (s)" "${first[porchlight-full]:-}" "<=" 0.5
verdict "first device, discovery (s)" "${first[porchlight-discover]:-}" "<=" 0.5
verdict "peak memory, full scan (MB)" "${rss[porchlight-full]:-}" "<" 100
if [[ "${wall[nmap-sV]}" == \>* ]]; then
  echo "  (nmap -sV was stopped at its limit; the ratio is a lower bound)"
fi
