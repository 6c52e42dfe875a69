#!/usr/bin/env bash
# Issue 11's registrar benchmarks through LPTracker.Web as shipped (Release build, its own SQLite database seeded with
# 10,000 employees holding SIP accounts by "LPTracker.Bench seed"), driven by sipp (REGISTER → 401 → REGISTER with
# digest → 200 over 10,000 different users, bench/sip/register-bench.xml).
#
#   bench/sip/registrar-bench.sh compare [rates...]   Kamailio 5.6 and LPTracker.Web side by side, alternating: per rate
#                                                     each is restarted (no bindings), measured cold (just started)
#                                                     then warm (same step again). Both ping every contact with OPTIONS
#                                                     every 30 s (our qualify, Kamailio's nathelper) and sipp answers.
#                                                     Default rates: 6000 10000 14000 18000 22000.
#   bench/sip/registrar-bench.sh storm [rate]         LPTracker.Web restarted with no bindings, 10,000 phones register at
#                                                     once (default 2500/s, i.e. within 4 s); checks all end Online.
#   bench/sip/registrar-bench.sh memory [seconds]     RSS and managed heap after 60 s at 10,000/s (10,000 bindings).
#                                                     DUMP=file also writes a heap dump as the minute ends (dotnet-dump).
#   bench/sip/registrar-bench.sh soak [--minutes N] [--rate R]
#                                                     N minutes (default 30) at R/s (default 5000) with qualify running
#                                                     (sipp answers the OPTIONS, -aa); RSS and managed heap each minute.
#   bench/sip/registrar-bench.sh all                  compare, storm, memory, soak --minutes 3.
#   bench/sip/registrar-bench.sh threads [rate]       LPTracker.Web restarted with no bindings, one cold step (default
#                                                     4000/s × 5 s): CPU per thread name (JIT, pool, SIP receive, GC) from
#                                                     /proc/<pid>/task. TRACE=file.speedscope.json also samples the first
#                                                     10 s with dotnet-trace (cpu-sampling) and prints the top frames
#                                                     (of the warm step with TRACE_PHASE=warm); PERF=file.data records
#                                                     5 s of that step with perf record -g instead.
# KEEP_BINDINGS=1 restarts without deleting the bindings (compare, threads): the second and later restarts then load every
# binding from the database, so "cold" is the JIT and caches only, not the first REGISTER of each phone.
#
# Kamailio (Debian's 5.6, bench/sip/kamailio-registrar.cfg) is installed with apt-get when missing (as root), runs as
# "nobody" from a temp folder on a free loopback port; no system instance is touched. Server CPU per registration is
# user+system time from /proc/<pid>/stat summed over the server's process tree (all threads of LPTracker.Web; Kamailio's
# main process and its forked workers), divided by the registrations completed in the step. "mem" is the proportional
# set size (PSS, /proc/<pid>/smaps_rollup) summed over the same tree, so Kamailio's shared memory counts once.
# Every process the script starts is stopped on exit, Ctrl-C included. SKIP_BUILD=1 skips the Release builds;
# SERVERS=ours (or kamailio) runs compare for one server only (while tuning; the ratios then print as x0.00).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
users=10000
realm=127.0.0.1
token=bench-health-token
work="$(mktemp -d)"
web_pid=""; kam_pid=""; sipp_pid=""; kdir=""

# sipp ignores SIGTERM while calls are open (seen after a 30-minute soak at 5,000/s): ask, then insist after 5 s.
stop_sipp() {
  [[ -z "$sipp_pid" ]] && return 0
  kill "$sipp_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$sipp_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$sipp_pid" 2>/dev/null || true
  wait "$sipp_pid" 2>/dev/null || true
  sipp_pid=""
}

cleanup() {
  trap - EXIT INT TERM
  stop_sipp
  declare -F stop_web >/dev/null && stop_web; declare -F stop_kamailio >/dev/null && stop_kamailio
  rm -rf "$work"
  [[ -n "$kdir" ]] && rm -rf "$kdir"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v sipp >/dev/null || { echo "sipp not found (apt-get install sip-tester)"; exit 1; }
mode="${1:-compare}"; [[ $# -gt 0 ]] && shift

# ---- helpers -------------------------------------------------------------------------------------------------------
free_port() { python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.$1); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
tree() { local p; echo "$1"; for p in $(pgrep -P "$1" 2>/dev/null); do tree "$p"; done; }
cpu_ticks() { local t=0 p; for p in $(tree "$1"); do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
pss_mb() { local k=0 p; for p in $(tree "$1"); do k=$((k + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0))); done; echo $((k / 1024)); }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
hz=$(getconf CLK_TCK)
sipp_buf=(-buff_size 4194304)   # see STYLE.md: sipp's 64 KB default buffer overflows at these rates
# The phones: every step registers from the same address (a refresh updates the binding instead of adding one), and
# sipp answers the servers' OPTIONS pings (-aa), so qualify (ours) and nathelper (Kamailio) find the contacts alive.
sipp_phones=(-p "$(free_port SOCK_DGRAM)" -aa)

wait_udp() { for _ in $(seq 1 900); do ss -lun | grep -q "127.0.0.1:$1 " && return 0; sleep 0.1; done; echo "nothing listens on udp:$1"; return 1; }

# ---- LPTracker.Web --------------------------------------------------------------------------------------------------
web_dir="${WEB_DIR:-$root/LPTracker.Web/bin/Release/net10.0}"
bench_dll="$root/bench/LPTracker.Bench/bin/Release/net10.0/LPTracker.Bench.dll"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build "$root/LPTracker.Web" -c Release -v q -nologo >/dev/null
  dotnet build "$root/bench/LPTracker.Bench" -c Release -v q -nologo >/dev/null
fi
dotnet "$bench_dll" seed --folder "$work/web" --users $users --realm $realm >/dev/null
cp "$work/web/users.csv" "$work/users.csv"
web_udp=$(free_port SOCK_DGRAM); web_http=$(free_port SOCK_STREAM)

start_web() {
  (cd "$web_dir" && ASPNETCORE_URLS="http://127.0.0.1:$web_http" Metrics__Port=$web_http Health__Token=$token \
     ConnectionStrings__Lptracker="Data Source=$work/web/lptracker.db" DataFolder="$work/web" \
     Sip__Listen__0="udp:127.0.0.1:$web_udp" Sip__Domain=$realm Sip__PublicHost=$realm Logging__LogLevel__Default=Warning \
     exec dotnet LPTracker.Web.dll >> "$work/web.log" 2>&1) &
  web_pid=$!
  wait_udp "$web_udp"
}
stop_web() {
  [[ -z "$web_pid" ]] && return 0
  kill "$web_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$web_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$web_pid" 2>/dev/null || true
  wait "$web_pid" 2>/dev/null || true
  web_pid=""
}
# A restart after an outage long enough for every registration to expire: no binding is restored from the database.
clear_bindings() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM SipBindings'); c.commit()" "$work/web/lptracker.db"; }
# Users with a live binding in the product's database registered since $1 (UTC, "YYYY-MM-DD HH:MM:SS").
live_in_db() {
  python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(\"SELECT COUNT(DISTINCT UserName) FROM SipBindings WHERE ExpiresUtc > datetime('now') AND RegisteredUtc >= ?\", (sys.argv[2],)).fetchone()[0])" \
    "$work/web/lptracker.db" "$1"
}
health() { curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$web_http/health"; }
# Managed heap after the last GC (all generations incl. LOH/POH), from the runtime's meter on the console's /metrics.
heap_mb() {
  curl -s "http://127.0.0.1:$web_http/metrics" \
    | awk '/^dotnet_gc_last_collection_heap_size_bytes\{/ {s+=$NF} END {if (s>0) printf "%.0f", s/1048576; else print "-"}'
}
# The same per generation as of the last GC, and the collections of each generation so far: what survives to gen 2.
heap_gens() {
  curl -s "http://127.0.0.1:$web_http/metrics" | awk -F'[{}]' '
    /^dotnet_gc_last_collection_heap_size_bytes\{/ || /^dotnet_gc_collections(_total)?\{/ {
      if (!match($2, /gc_heap_generation="[^"]*"/)) next
      g = substr($2, RSTART + 20, RLENGTH - 21); split($3, v, " ")
      if ($1 ~ /size/) size[g] = sprintf("%.0f", v[1] / 1048576); else count[g] = v[1] }
    END { printf "heap by generation (MB) gen0 %s, gen1 %s, gen2 %s, loh %s, poh %s; collections gen0/gen1/gen2 %s/%s/%s",
      size["gen0"], size["gen1"], size["gen2"], size["loh"], size["poh"], count["gen0"], count["gen1"], count["gen2"] }'
}

# ---- Kamailio -------------------------------------------------------------------------------------------------------
start_kamailio() {
  if ! command -v kamailio >/dev/null; then
    [[ $EUID == 0 ]] || { echo "kamailio not installed (apt-get install kamailio, as root)"; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q kamailio >/dev/null
  fi
  if [[ -z "$kdir" ]]; then
    kdir="$(mktemp -d)"; chmod 755 "$kdir"; mkdir -p "$kdir/db" "$kdir/run"
    kam_udp=$(free_port SOCK_DGRAM)
    # The same users, passwords and realm as the product's database, as MD5 HA1s in an htable loaded at start-up.
    python3 - "$work/users.csv" "$kdir/db/htable" "$realm" <<'PY'
import hashlib, re, sys
rows = [re.search(r'username=(\S+) password=(\S+)\]', l) for l in open(sys.argv[1])]
with open(sys.argv[2], 'w') as f:
    f.write('id(int,auto) key_name(string) key_type(int) value_type(int) key_value(string) expires(int)\n')
    for i, m in enumerate(r for r in rows if r):
        ha1 = hashlib.md5(f'{m[1]}:{sys.argv[3]}:{m[2]}'.encode()).hexdigest()
        f.write(f'{i + 1}:{m[1]}:0:0:{ha1}:0\n')
PY
    printf 'table_name(string) table_version(int)\nhtable:2\n' > "$kdir/db/version"
    modules=$(dirname "$(ls /usr/lib/*/kamailio/modules/registrar.so | head -1)")
    sed -e "s|@PORT@|$kam_udp|" -e "s|@DBDIR@|$kdir/db|" -e "s|@MODULES@|$modules/|" "$here/kamailio-registrar.cfg" > "$kdir/kamailio.cfg"
    [[ $EUID == 0 ]] && chown -R nobody "$kdir/run"
  fi
  local run=(kamailio -f "$kdir/kamailio.cfg" -DD -E -Y "$kdir/run" -P "$kdir/run/kamailio.pid" -m 128 -M 8)
  if [[ $EUID == 0 ]]; then run=(setpriv --reuid=nobody --regid=nogroup --clear-groups "${run[@]}"); fi
  # A session of its own: at shutdown Kamailio signals its whole process group, which would otherwise be this script's.
  setsid "${run[@]}" >> "$kdir/kamailio.log" 2>&1 &
  kam_pid=$!
  wait_udp "$kam_udp" || { cat "$kdir/kamailio.log"; exit 1; }
  sleep 0.5   # workers forked
  kam_pid=$(cat "$kdir/run/kamailio.pid")
}
stop_kamailio() {
  [[ -z "$kam_pid" ]] && return 0
  local pids; pids=$(tree "$kam_pid")
  kill $pids 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$kam_pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 $pids 2>/dev/null || true
  wait "$kam_pid" 2>/dev/null || true
  kam_pid=""
}

# ---- one sipp step --------------------------------------------------------------------------------------------------
col() { awk -F';' -v name="$1" 'NR==1 {for (i=1;i<=NF;i++) if ($i==name) c=i} END {print $c}' "$2"; }
pct() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {if (NR==0) {print "-"; exit} i=int(NR*p/100); if (i<1) i=1; printf "%.0f", a[i]}'; }
step_n=0
# run_sipp PORT RATE CALLS [LIMIT]: sets ok failed retrans achieved rtd cpu_per_reg clean (for the server $srv_pid)
run_sipp() {
  local port=$1 rate=$2 calls=$3 limit=${4:-$(( $2 * 2 ))}
  step_n=$((step_n + 1)); local step="$work/step-$step_n"; mkdir -p "$step"; cp "$work/users.csv" "$step/"
  local cpu_before; cpu_before=$(cpu_ticks "$srv_pid")
  (cd "$step" && exec sipp "127.0.0.1:$port" -sf "$here/register-bench.xml" -inf users.csv -r "$rate" -m "$calls" -l "$limit" \
      -i 127.0.0.1 "${sipp_phones[@]}" "${sipp_buf[@]}" -nostdin -timeout 600s -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 1 \
      >/dev/null 2>&1) &
  sipp_pid=$!
  wait "$sipp_pid" || true
  sipp_pid=""
  local cpu_after; cpu_after=$(cpu_ticks "$srv_pid")
  local stat="$step/stat.csv"
  ok=$(col 'SuccessfulCall(C)' "$stat"); failed=$(col 'FailedCall(C)' "$stat"); retrans=$(col 'Retransmissions(C)' "$stat")
  local secs; secs=$(col 'ElapsedTime(C)' "$stat" | awk -F: '{print $1*3600+$2*60+$3}')
  achieved=$(awk -v n="$ok" -v s="$secs" 'BEGIN {if (s>0) printf "%.0f", n/s; else print "-"}')
  local rtt; rtt=$(ls "$step"/*_rtt.csv 2>/dev/null | head -1)
  awk -F';' 'NR>1 && $3==1 {print $2}' "$rtt" > "$step/r1"; awk -F';' 'NR>1 && $3==2 {print $2}' "$rtt" > "$step/r2"
  rtd="$(pct "$step/r1" 50)/$(pct "$step/r1" 99)  $(pct "$step/r2" 50)/$(pct "$step/r2" 99)"
  cpu_per_reg=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$hz" -v n="$ok" 'BEGIN {if (n>0) printf "%.0f", t*1e6/hz/n; else print "-"}')
  clean=no; [[ "$failed" == 0 && "$retrans" == 0 && "$ok" == "$calls" ]] && clean=yes
  return 0
}

header() { echo "$(uptime)"; echo "$users SIP users; $(nproc) cores; sipp $(sipp -v 2>&1 | awk '/SIPp v/ {print $2}'); $1"; }

# ---- modes ----------------------------------------------------------------------------------------------------------
compare() {
  local rates=("$@"); [[ ${#rates[@]} -gt 0 ]] || rates=(6000 10000 14000 18000 22000)
  header "Kamailio $(kamailio -v 2>/dev/null | awk 'NR==1 {print $3}') (children=2, htable credentials, usrloc db_mode 0) vs LPTracker.Web"
  local fmt='%-7s %-9s %-5s %-8s %-7s %-8s %-9s %-17s %-9s %-8s %-6s %s\n'
  printf "$fmt" rate/s server phase success failed retrans achieved "RTD1/RTD2 p50/p99" "CPU/reg" "mem(PSS)" clean load
  declare -A best=()
  for rate in "${rates[@]}"; do
    local calls=$(( rate * 5 )); (( calls < users )) && calls=$users
    declare -A cpu=() ach=()
    for server in ${SERVERS:-kamailio ours}; do
      if [[ $server == kamailio ]]; then stop_kamailio; start_kamailio; srv_pid=$kam_pid; port=$kam_udp
      else stop_web; [[ "${KEEP_BINDINGS:-0}" == 1 ]] || clear_bindings; start_web; srv_pid=$web_pid; port=$web_udp; fi
      for phase in cold warm; do
        run_sipp "$port" "$rate" "$calls"
        printf "$fmt" "$rate" "$server" "$phase" "$ok" "$failed" "$retrans" "$achieved" "$rtd" "${cpu_per_reg} us" \
          "$(pss_mb "$srv_pid") MB" "$clean" "$(load)"
        cpu[$server-$phase]=$cpu_per_reg; ach[$server-$phase]=$achieved
        [[ $clean == yes ]] && best[$server-$phase]=$rate
      done
      if [[ $server == kamailio ]]; then stop_kamailio; else stop_web; fi
    done
    for phase in cold warm; do
      awk -v r="$rate" -v p="$phase" -v oc="${cpu[ours-$phase]:-0}" -v kc="${cpu[kamailio-$phase]:-0}" -v oa="${ach[ours-$phase]:-0}" -v ka="${ach[kamailio-$phase]:-0}" \
        'BEGIN {printf "%-7s ours/kamailio %s: CPU per registration x%.2f, achieved rate x%.2f\n", r, p, (kc>0?oc/kc:0), (ka>0?oa/ka:0)}'
    done
  done
  for key in kamailio-cold kamailio-warm ours-cold ours-warm; do
    echo "highest clean rate (no failure, no retransmission), $key: ${best[$key]:-0}/s"
  done
  echo "$(uptime)"
}

storm() {
  local rate=${1:-2500}
  header "storm: LPTracker.Web restarted with no bindings, then $users phones register at $rate/s"
  stop_web; clear_bindings
  local t0; t0=$(date -u +%s)
  start_web; srv_pid=$web_pid
  echo "restart → SIP port bound in $(( $(date -u +%s) - t0 )) s; load $(load)"
  local since; since=$(date -u '+%Y-%m-%d %H:%M:%S')
  run_sipp "$web_udp" "$rate" "$users" "$users"
  echo "sipp: $ok registered, $failed failed, $retrans retransmissions, $achieved/s achieved, RTD1/RTD2 p50/p99 ms $rtd; CPU/reg $cpu_per_reg us; load $(load)"
  # The phones stay alive as real ones do: they keep answering the registrar's OPTIONS pings (a slow sipp at 1/s on the
  # same address, -aa), so qualify can tell what is Online while the checks run.
  (cd "$work/step-$step_n" && exec sipp "127.0.0.1:$web_udp" -sf "$here/register-bench.xml" -inf users.csv -r 1 -m 100000 \
      -i 127.0.0.1 "${sipp_phones[@]}" -nostdin >/dev/null 2>&1) &
  sipp_pid=$!
  # The bindings' database writer is behind by design (batches every 200 ms): wait until it has written every binding
  # the registrar holds, or 60 s.
  local held waited=0
  held=$(health | python3 -c 'import json,sys; print(json.load(sys.stdin)["checks"]["sip"]["data"]["bindings"])')
  while (( waited < 60 )) && (( $(live_in_db "$since") < held )); do sleep 1; waited=$((waited + 1)); done
  echo "database writer caught up with the registrar's $held bindings after $waited s (waits at most 60 s)"
  health > "$work/health.json"
  python3 - "$work/health.json" "$(live_in_db "$since")" "$users" <<'PY'
import json, sys
sip = json.load(open(sys.argv[1]))['checks']['sip']['data']
q = sip['qualify']
live, n = int(sys.argv[2]), int(sys.argv[3])
print(f"registrar: {sip['bindings']} bindings (reachable {q['reachable']}, unreachable {q['unreachable']}, not yet pinged {q['unknown']}), bans {len(sip['bans'])}")
print(f"database: {live} users with a live binding registered since the restart")
ok = sip['bindings'] == n and q['unreachable'] == 0 and not sip['bans'] and live == n
print(f"all {n} Online and none banned: {'yes' if ok else 'NO'}")
PY
  stop_sipp
  echo "$(uptime)"
}

memory() {
  local secs=${1:-60} rate=10000
  header "memory: $secs s at $rate/s over $users users (LPTracker.Web restarted, no bindings)"
  stop_web; clear_bindings; start_web; srv_pid=$web_pid
  echo "just started: RSS $(rss_mb "$web_pid") MB, managed heap $(heap_mb) MB; load $(load)"
  # sipp runs until its calls are done: longer than $secs s when the server falls behind (see "achieved").
  run_sipp "$web_udp" "$rate" $((rate * secs))
  local bindings; bindings=$(health | python3 -c 'import json,sys; print(json.load(sys.stdin)["checks"]["sip"]["data"]["bindings"])')
  echo "sipp: $ok registered, $failed failed, $retrans retransmissions, $achieved/s achieved, RTD1/RTD2 p50/p99 ms $rtd; CPU/reg $cpu_per_reg us"
  echo "after $((rate * secs)) registrations offered at $rate/s: RSS $(rss_mb "$web_pid") MB, managed heap $(heap_mb) MB, $bindings bindings; load $(load)"
  echo "  $(heap_gens)"
  if [[ -n "${DUMP:-}" ]]; then
    # A heap dump of the process as the minute ends, dead objects included: `dotnet-dump analyze DUMP` then
    # `dumpheap -stat -dead` names what reached gen 2 only to die there (a gcdump shows live objects only).
    PATH="$PATH:$HOME/.dotnet/tools" dotnet-dump collect -p "$web_pid" --type Heap -o "$DUMP" >/dev/null
  fi
  sleep 10
  echo "10 s idle later: RSS $(rss_mb "$web_pid") MB, managed heap $(heap_mb) MB; load $(load)"
  echo "  $(heap_gens)"
  echo "$(uptime)"
}

soak() {
  local minutes=30 rate=5000
  while [[ $# -gt 0 ]]; do
    case "$1" in --minutes) minutes=$2; shift 2;; --rate) rate=$2; shift 2;; *) echo "unknown option $1"; exit 2;; esac
  done
  header "soak: $minutes min at $rate/s, qualify every 30 s answered by sipp (-aa)"
  stop_web; clear_bindings; start_web; srv_pid=$web_pid
  local step="$work/soak"; mkdir -p "$step"; cp "$work/users.csv" "$step/"
  (cd "$step" && exec sipp "127.0.0.1:$web_udp" -sf "$here/register-bench.xml" -inf users.csv -r "$rate" -m $((rate * 60 * minutes)) \
      -l $((rate * 2)) -i 127.0.0.1 "${sipp_phones[@]}" "${sipp_buf[@]}" -nostdin -timeout $((minutes * 60 + 120))s -trace_stat -stf stat.csv -fd 60 \
      >/dev/null 2>&1) &
  sipp_pid=$!
  printf '%-6s %-8s %-13s %-9s %-22s %-12s %s\n' minute RSS "managed heap" bindings "reachable/unreachable" registered load
  for m in $(seq 1 "$minutes"); do
    sleep 60
    kill -0 "$sipp_pid" 2>/dev/null || { echo "sipp stopped early"; break; }
    health > "$work/health.json"
    read -r bindings reach < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["checks"]["sip"]["data"]; print(d["bindings"], "%d/%d" % (d["qualify"]["reachable"], d["qualify"]["unreachable"]))' "$work/health.json")
    printf '%-6s %-8s %-13s %-9s %-22s %-12s %s\n' "$m" "$(rss_mb "$web_pid") MB" "$(heap_mb) MB" "$bindings" "$reach" \
      "$(col 'SuccessfulCall(C)' "$step/stat.csv" 2>/dev/null)" "$(load)"
  done
  # N minutes are up: a server that fell behind would keep sipp busy long after.
  stop_sipp
  echo "sipp: $(col 'SuccessfulCall(C)' "$step/stat.csv") registered, $(col 'FailedCall(C)' "$step/stat.csv") failed, $(col 'Retransmissions(C)' "$step/stat.csv") retransmissions"
  echo "$(uptime)"
}

# CPU ticks per thread name of a process ("name<TAB>ticks"), numbered threads (pool workers, SIP receive) summed.
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    # utime and stime are fields 14 and 15 of stat, counted after the "(name)" field, which may hold spaces.
    printf '%s\t%s\n' "$(sed -E 's/ ?#?[0-9]+ *$//' "$t/comm" 2>/dev/null)" "$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12+$13}')"
  done | awk -F'\t' '{a[$1]+=$2} END {for (k in a) printf "%s\t%d\n", k, a[k]}' | LC_ALL=C sort
}

threads() {
  local rate=${1:-4000}
  header "threads: LPTracker.Web restarted (KEEP_BINDINGS=${KEEP_BINDINGS:-0}), a cold step at $rate/s, then the same step warm"
  stop_web; clear_bindings
  if [[ "${KEEP_BINDINGS:-0}" == 1 ]]; then
    # Every phone registered before the restart; a clean stop leaves all bindings in the database.
    start_web; srv_pid=$web_pid; run_sipp "$web_udp" 2000 "$users"; stop_web
  fi
  local t0; t0=$(date +%s.%N)
  start_web; srv_pid=$web_pid
  local start_ticks; start_ticks=$(cpu_ticks "$web_pid")
  echo "restart → SIP port bound in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b-a}') s, $(awk -v t="$start_ticks" -v hz="$hz" 'BEGIN {printf "%.2f", t/hz}') s CPU"
  local phase trace_pid=""
  for phase in cold warm; do
    thread_ticks "$web_pid" > "$work/threads-before"
    local ticks_before; ticks_before=$(cpu_ticks "$web_pid")
    if [[ -n "${TRACE:-}" && $phase == "${TRACE_PHASE:-cold}" ]]; then
      PATH="$PATH:$HOME/.dotnet/tools" dotnet-trace collect -p "$web_pid" --profile dotnet-sampled-thread-time --duration 00:00:00:08 \
        -o "${TRACE%.speedscope.json}.nettrace" --format Speedscope >/dev/null 2>&1 &
      trace_pid=$!
      sleep 1
    fi
    if [[ -n "${PERF:-}" && $phase == "${TRACE_PHASE:-cold}" ]]; then
      # Native frames too (OpenSSL, libc, the kernel, the GC); start LPTracker.Web with DOTNET_PerfMapEnabled=1 in the
      # environment so JIT-compiled frames have names.
      perf record -F 499 -g -p "$web_pid" -o "$PERF" -- sleep 5 >/dev/null 2>&1 &
    fi
    run_sipp "$web_udp" "$rate" $((rate * 5))
    thread_ticks "$web_pid" > "$work/threads-after"
    local ticks_after; ticks_after=$(cpu_ticks "$web_pid")
    echo "$phase: $ok registered, $failed failed, $retrans retransmissions, $achieved/s achieved, RTD1/RTD2 p50/p99 ms $rtd; CPU/reg $cpu_per_reg us; load $(load)"
    echo "  CPU seconds per thread during the step:"
    LC_ALL=C join -t $'\t' -a 2 -e 0 -o 0,1.2,2.2 "$work/threads-before" "$work/threads-after" \
      | awk -F'\t' -v hz="$hz" -v all=$((ticks_after - ticks_before)) '{d=($3-$2)/hz; sum+=d; if (d >= 0.01) printf "    %-20s %6.2f s\n", $1, d}
          END {printf "    %-20s %6.2f s (the tiered JIT'"'"'s thread ends when idle)\n    %-20s %6.2f s\n", "threads gone since", all/hz-sum, "process", all/hz}'
    if [[ -n "$trace_pid" ]]; then
      wait "$trace_pid" || true
      trace_pid=""
      python3 "$here/speedscope-top.py" "$TRACE" 40
    fi
  done
  echo "$(uptime)"
}

case "$mode" in
  threads) threads "$@" ;;
  compare) compare "$@" ;;
  storm) storm "$@" ;;
  memory) memory "$@" ;;
  soak) soak "$@" ;;
  all) compare; storm; memory; soak --minutes 3 ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
