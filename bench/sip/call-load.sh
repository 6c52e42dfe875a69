#!/usr/bin/env bash
# Calls per second through the B2BUA (bench/LPTracker.Bench "serve-calls"): sipp as the carrier (trunk) sends
# INVITE → 180 → 200 → ACK → BYE to 1,000 virtual numbers, each ringing one employee whose binding is a sipp UAS
# phone. Per rate step (~10 s of traffic, 1 s hold): successful/failed calls, retransmissions, INVITE→200 response
# time (sipp's stat mean, and p50/p99 of every call's sample; sipp's clock has 1 ms resolution), server CPU per call. Then memory per active call: calls held for 30 s at 200 calls/s, heap after a full GC
# with ~6,000 calls up versus before.
# Usage: bench/sip/call-load.sh [rates...]     (default: 100 200 300 400 500 600)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rates=("${@:-100 200 300 400 500 600}")
read -r -a rates <<< "${rates[*]}"
users=1000
work="$(mktemp -d)"
server_pid=""; phone_pid=""
trap 'kill "$server_pid" "$phone_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v sipp >/dev/null || { echo "sipp not found (apt-get install sip-tester)"; exit 1; }
dotnet build "$root/bench/LPTracker.Bench" -c Release -v q -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
carrier_port=$(free_port)
phone_port=$(free_port)
{ echo SEQUENTIAL; for i in $(seq 1 $users); do printf '+7900%07d;+7911%07d;\n' "$i" "$i"; done; } > "$work/numbers.csv"

mkfifo "$work/stdin"
dotnet "$root/bench/LPTracker.Bench/bin/Release/net10.0/LPTracker.Bench.dll" serve-calls --users $users \
  --trunk "127.0.0.1:$carrier_port" --phone "127.0.0.1:$phone_port" < "$work/stdin" > "$work/server.log" 2>&1 &
server_pid=$!
exec 3> "$work/stdin"
for _ in $(seq 1 200); do grep -q READY "$work/server.log" && break; sleep 0.1; done
port=$(awk '/READY/ {print $2}' "$work/server.log")
[[ -n "$port" ]] || { echo "B2BUA did not start:"; cat "$work/server.log"; exit 1; }
sipp_buf=(-buff_size 4194304)
(cd "$work" && sipp -sf "$here/call-phone.xml" -i 127.0.0.1 -p "$phone_port" "${sipp_buf[@]}" -nostdin -bg >/dev/null 2>&1) || true  # -bg exits 99
phone_pid=$(pgrep -n -f "call-phone.xml -i 127.0.0.1 -p $phone_port" || true)
echo "$(uptime)"
echo "B2BUA on udp:127.0.0.1:$port; carrier sipp :$carrier_port; phone sipp :$phone_port; $(nproc) cores"

stats() { echo stats >&3; sleep 1; grep STATS "$work/server.log" | tail -1; }
hz=$(getconf CLK_TCK)
# sipp measures response times on its millisecond clock: a sample of 0 means "under 1 ms".
pct() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {if (NR==0) {print "-"; exit} i=int(NR*p/100); if (i<1) i=1; if (a[i]==0) print "<1"; else printf "%d", a[i]}'; }
# stat.csv's cumulative mean response time, "hh:mm:ss:microseconds" → ms.
mean_ms() { awk -F: '{if (NF<4) {print "-"; exit} printf "%.2f", ($1*3600+$2*60+$3)*1000 + $4/1000}' <<< "$1"; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$server_pid/stat"; }
carrier() { (cd "$work" && sipp "127.0.0.1:$port" -sf "$here/call-carrier.xml" -inf numbers.csv -i 127.0.0.1 -p "$carrier_port" \
  "${sipp_buf[@]}" -nostdin -timeout 120s "$@" >/dev/null 2>&1) || true; }

carrier -r 50 -m 500 -d 100   # warm-up (JIT)
printf '%-8s %-9s %-7s %-8s %-30s %s\n' rate/s success failed retrans "INVITE→200 mean/p50/p99 ms" "srv-CPU/call"
for rate in "${rates[@]}"; do
  calls=$(( rate * 10 ))
  step="$work/step-$rate"; mkdir -p "$step"; cp "$work/numbers.csv" "$step/"
  before=$(cpu_ticks)
  (cd "$step" && sipp "127.0.0.1:$port" -sf "$here/call-carrier.xml" -inf numbers.csv -i 127.0.0.1 -p "$carrier_port" "${sipp_buf[@]}" \
    -r "$rate" -m "$calls" -d 1000 -nostdin -timeout 120s -trace_stat -stf stat.csv -trace_rtt -rtt_freq 1 >/dev/null 2>&1) || true
  after=$(cpu_ticks)
  stat="$step/stat.csv"
  col() { awk -F';' -v name="$1" 'NR==1 {for (i=1;i<=NF;i++) if ($i==name) c=i} END {print $c}' "$stat"; }
  ok=$(col SuccessfulCall\(C\)); failed=$(col FailedCall\(C\)); retrans=$(col Retransmissions\(C\))
  rtt=$(ls "$step"/*_rtt.csv 2>/dev/null | head -1 || true)
  lat="-"
  if [[ -n "$rtt" ]]; then
    # Column 2 of sipp's rtt file is response_time_ms; only the INVITE→200 RTD (rtd="1") is defined.
    awk -F';' 'NR>1 && $3==1 {print $2}' "$rtt" > "$step/rtd.txt"
    lat="$(mean_ms "$(col 'ResponseTime1(C)')")/$(pct "$step/rtd.txt" 50)/$(pct "$step/rtd.txt" 99)"
  fi
  cpu=$(awk -v t=$((after-before)) -v hz="$hz" -v n="${ok:-0}" 'BEGIN {if (n>0) printf "%.0f µs", t/hz/n*1e6; else print "-"}')
  printf '%-8s %-9s %-7s %-8s %-30s %s\n' "$rate" "${ok:-?}" "${failed:-?}" "${retrans:-?}" "$lat" "$cpu"
done

echo "memory per active call (hold 30 s at 200 calls/s):"
sleep 35   # ended calls' transactions linger for Timer L/M (64*T1 = 32 s): let them go first
idle_line=$(stats)
echo "  idle:   $idle_line"
idle=$(echo "$idle_line" | sed 's/.*heap=//')
carrier -r 200 -m 6000 -d 30000 &
hold_pid=$!
sleep 25
busy_line=$(stats)
echo "  loaded: $busy_line"
wait "$hold_pid"   # not a bare wait: the B2BUA is a child of this script too
active=$(echo "$busy_line" | sed 's/.*calls=\([0-9]*\).*/\1/')
heap=$(echo "$busy_line" | sed 's/.*heap=//')
idle_calls=$(echo "$idle_line" | sed 's/.*calls=\([0-9]*\).*/\1/')
awk -v a="$active" -v i0="$idle_calls" -v h="$heap" -v i="$idle" 'BEGIN {n=a-i0; if (n>0) printf "  %d more active calls: %.1f KB managed heap per call\n", n, (h-i)/n/1024}'
