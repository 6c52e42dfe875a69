#!/usr/bin/env bash
# The live fan-out spread over two console nodes: a private PostgreSQL and Redis (servers.sh), then bench/fanout in its
# two-node mode, which seeds the database, starts two LPTracker.Web processes (Release build output, as shipped), opens
# the lists half on each node, makes the phones register half on each node's SIP listener, and prints REGISTER → chip
# latencies (same node / other node, per node and together), memory per open list and CPU per node.
# Usage: bench/scale/fanout-two-nodes.sh [fanout options, e.g. --accounts 20 --phones 2000 --lists 200 --rate 200 --probe-rate 4]
# Build first (outside the bench lock): dotnet build bench/fanout -c Release
# Every process started here (servers, nodes, clients, sipp) is stopped on exit, Ctrl-C and SIGTERM included; the bench
# runs as a process group of its own, killed as a whole should it not stop by itself within 60 s of being asked.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bench="$root/bench/fanout/bin/Release/net10.0/FanOutBench.dll"
[[ -f "$bench" && -f "$root/LPTracker.Web/bin/Release/net10.0/LPTracker.Web.dll" ]] \
  || { echo "build first: dotnet build bench/fanout -c Release"; exit 1; }
command -v sipp >/dev/null || { echo "sipp not found (apt-get install sip-tester)"; exit 1; }
work="$(mktemp -d)"
source "$here/servers.sh"
bench_pid=""
cleanup() {
  if [[ -n "$bench_pid" ]] && kill -0 "$bench_pid" 2>/dev/null; then
    kill -TERM "$bench_pid" 2>/dev/null || true
    for _ in $(seq 1 600); do kill -0 "$bench_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$bench_pid" 2>/dev/null || true
  fi
  stop_servers
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
start_servers "$work"
echo "$(uptime)"
# Job control: the bench gets a process group of its own (its pid), so the clean-up can end all it started; and
# `wait` (unlike a foreground command) lets the traps run at once.
set -m
dotnet "$bench" --nodes 2 --connection "$PG_CONN" --redis "$REDIS_CONF" "$@" &
bench_pid=$!
set +m
status=0
wait "$bench_pid" || status=$?
bench_pid=""
echo "$(uptime)"
exit "$status"
