#!/usr/bin/env bash
# One console node vs two on one PostgreSQL (and one Redis), side by side in one run: REGISTERs per second through
# LPTracker.Web as shipped (sipp, register-bench.xml, 10,000 SIP users seeded into PostgreSQL by "LPTracker.Bench seed")
# and, during each step, the employee list's query (EmployeeListService.LoadAsync, "LPTracker.Bench list-load") on the
# same database. With two nodes each gets half of the users and half of the rate (as DNS SRV would share them).
# Usage: bench/scale/two-nodes.sh [rates...]   (default: 1000 2000 4000; each step 10 s)   Build the solution in Release first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rates=("${@:-1000 2000 4000}")
read -r -a rates <<< "${rates[*]}"
users=10000
work="$(mktemp -d)"
source "$here/servers.sh"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; stop_servers; rm -rf "$work"' EXIT
command -v sipp >/dev/null || { echo "sipp not found (apt-get install sip-tester)"; exit 1; }
dotnet build "$root/bench/LPTracker.Bench" -c Release -v q -nologo >/dev/null
bench="$root/bench/LPTracker.Bench/bin/Release/net10.0/LPTracker.Bench.dll"
start_servers "$work"
dotnet "$bench" seed --folder "$work/seed" --users $users --realm 127.0.0.1 --provider Postgres --connection "$PG_CONN" >/dev/null
tail -n +2 "$work/seed/users.csv" > "$work/all"
{ echo SEQUENTIAL; awk 'NR % 2 == 1' "$work/all"; } > "$work/half-a.csv"
{ echo SEQUENTIAL; awk 'NR % 2 == 0' "$work/all"; } > "$work/half-b.csv"
cp "$work/seed/users.csv" "$work/users.csv"

declare -A sip_port node_pid
start_node() {
  local name="$1" port
  port=$(free_port)
  mkdir -p "$work/$name"
  (cd "$root/LPTracker.Web/bin/Release/net10.0" && ASPNETCORE_URLS=http://127.0.0.1:0 Database__Provider=Postgres \
     ConnectionStrings__Lptracker="$PG_CONN" Redis__Configuration="$REDIS_CONF" Node__Id="$name" DataFolder="$work/$name" \
     Sip__Listen__0="udp:127.0.0.1:$port" Sip__Domain=127.0.0.1 Sip__PublicHost=127.0.0.1 Logging__LogLevel__Default=Warning \
     exec dotnet LPTracker.Web.dll > "$work/$name.log" 2>&1) &
  node_pid[$name]=$!; pids+=($!)
  for _ in $(seq 1 1200); do ss -lun | grep -q "127.0.0.1:$port " && break; sleep 0.1; done
  sip_port[$name]=$port
}
cpu_ticks() { local t=0; for n in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/${node_pid[$n]}/stat"))); done; echo $t; }
col() { awk -F';' -v name="$1" 'NR==1 {for (i=1;i<=NF;i++) if ($i==name) c=i} END {print $c}' "$2"; }

# Runs sipp against each named node (its share of users and rate) for 10 s while list-load times the list.
step() {
  local rate="$1"; shift
  local n=$# share dir before after ok=0 failed=0 retrans=0 list
  share=$((rate / n)); dir="$work/step-$n-$rate"; mkdir -p "$dir"
  before=$(cpu_ticks "$@")
  dotnet "$bench" list-load --provider Postgres --connection "$PG_CONN" --seconds 10 > "$dir/list.txt" 2>&1 &
  local list_pid=$! sipps=()
  for name in "$@"; do
    mkdir -p "$dir/$name"
    if (( n == 1 )); then cp "$work/users.csv" "$dir/$name/users.csv"; else cp "$work/half-${name#node-}.csv" "$dir/$name/users.csv"; fi
    (cd "$dir/$name" && sipp "127.0.0.1:${sip_port[$name]}" -sf "$root/bench/sip/register-bench.xml" -inf users.csv -r "$share" \
       -m $((share * 10)) -l $((share * 2)) -i 127.0.0.1 -p 0 -buff_size 4194304 -nostdin -timeout 60s -trace_stat -stf stat.csv \
       >/dev/null 2>&1) &
    sipps+=($!)
  done
  for p in "${sipps[@]}"; do wait "$p" || true; done
  wait "$list_pid" || true
  after=$(cpu_ticks "$@")
  local secs=0
  for name in "$@"; do
    local s="$dir/$name/stat.csv"
    ok=$((ok + $(col 'SuccessfulCall(C)' "$s"))); failed=$((failed + $(col 'FailedCall(C)' "$s")))
    retrans=$((retrans + $(col 'Retransmissions(C)' "$s")))
    secs=$(col 'ElapsedTime(C)' "$s" | awk -F: -v m="$secs" '{t=$1*3600+$2*60+$3; print (t>m ? t : m)}')
  done
  list=$(sed -n 's/^list query: \([0-9]*\) runs in [0-9]* s, median \([0-9.]*\) ms, p95 \([0-9.]*\) ms/\1 runs, \2 \/ \3 ms/p' "$dir/list.txt")
  printf '%-6s %-8s %-8s %-7s %-8s %-9s %-12s %s\n' "$n" "$rate" "$ok" "$failed" "$retrans" \
    "$(awk -v a="$ok" -v s="$secs" 'BEGIN {if (s>0) printf "%.0f", a/s; else print "-"}')" \
    "$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v a="$ok" 'BEGIN {if (a>0) printf "%.0f us", t*1e6/hz/a; else print "-"}')" "${list:-$(tail -1 "$dir/list.txt")}"
}

echo "$(uptime)"
echo "$(nproc) cores; PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), Redis $(redis-server --version | awk '{print $3}'); $users SIP users; sipp $(sipp -v 2>&1 | awk '/SIPp v/ {print $2}')"
printf '%-6s %-8s %-8s %-7s %-8s %-9s %-12s %s\n' nodes rate/s success failed retrans achieved "node-CPU/reg" "list query during the step (runs, median / p95)"
start_node node-a
for rate in "${rates[@]}"; do step "$rate" node-a; done
start_node node-b
for rate in "${rates[@]}"; do step "$rate" node-a node-b; done
echo "$(uptime)"
