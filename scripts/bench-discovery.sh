#!/usr/bin/env bash
# Measures discovery against nmap on the lab's namespace network (Linux, root):
# starts the scenario (default "large", 250 devices) with every device in its
# own network namespace, then runs `porchlight scan --json` and `nmap -sn` on
# the lab's /24 inside the lab's scanner namespace, each under /usr/bin/time -v,
# and prints wall time, peak memory and the ratios.
#
# It never scans anything but the lab's own subnet, which exists only inside
# the namespaces it creates (and removes again).
#
#   sudo scripts/bench-discovery.sh           # the large scenario
#   sudo scripts/bench-discovery.sh home      # any other scenario
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-large}
if [ "$(id -u)" -ne 0 ]; then echo "bench-discovery: needs root (network namespaces)" >&2; exit 2; fi
for tool in /usr/bin/time nmap ip; do
  command -v "$tool" >/dev/null || { echo "bench-discovery: $tool is not installed (apt-get install time nmap iproute2)" >&2; exit 2; }
done
PORCHLIGHT_BENCH="$scenario" go test -count=1 -run '^TestBenchDiscovery$' -v -timeout 15m ./scan \
  | grep -E 'scenario |porchlight scan:|nmap -sn:|ratio |FAIL|SKIP|ok ' | sed -E 's/^ +discover_netns_test.go:[0-9]+: //'
