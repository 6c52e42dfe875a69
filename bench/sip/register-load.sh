#!/usr/bin/env bash
# Authenticated REGISTER load against the in-process registrar (bench/LPTracker.Bench "serve" mode).
# Starts the registrar with 10,000 in-memory users, drives sipp at rising rates (each step ~5 s of traffic over
# 10,000 different users), and reports per step: success/failure/retransmissions and RTD percentiles.
# Usage: bench/sip/register-load.sh [rates...]     (default: 1000 2000 3000 4000 5000 6000 7000 8000)
# WARMUP=0: no warm-up, so the first step measures a registrar just restarted (cold).
# LPTracker.Web as shipped (and Kamailio side by side, the storm, memory, the soak): bench/sip/registrar-bench.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rates=("${@:-1000 2000 3000 4000 5000 6000 7000 8000}")
read -r -a rates <<< "${rates[*]}"
users=10000
work="$(mktemp -d)"
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

command -v sipp >/dev/null || { echo "sipp not found (apt-get install sip-tester)"; exit 1; }
dotnet build "$root/bench/LPTracker.Bench" -c Release -v q -nologo >/dev/null

# sipp 3.6 does not expand [field] inside [authentication]: the whole keyword is a CSV field.
{
  echo SEQUENTIAL
  for i in $(seq 1 $users); do
    u=$(printf 'user%05d' "$i")
    echo "$u;[authentication username=$u password=pw$i];"
  done
} > "$work/users.csv"

mkfifo "$work/stdin"
dotnet "$root/bench/LPTracker.Bench/bin/Release/net10.0/LPTracker.Bench.dll" serve --users $users --listen udp:127.0.0.1:0 \
  < "$work/stdin" > "$work/server.log" 2>&1 &
server_pid=$!
exec 3> "$work/stdin"
for _ in $(seq 1 100); do grep -q READY "$work/server.log" && break; sleep 0.1; done
port=$(awk '/READY/ {print $2}' "$work/server.log")
echo "$(uptime)"
echo "registrar on udp:127.0.0.1:$port with $users users; $(nproc) cores; sipp $(sipp -v 2>&1 | awk '/SIPp v/ {print $2}')"

# sipp's own socket buffers default to 64 KB: while sipp is descheduled on a busy machine the kernel drops our
# responses at sipp's socket (RcvbufErrors) and sipp counts retransmissions the registrar never caused. 4 MB (the
# kernel's rmem_max here) takes sipp's socket out of the measurement.
sipp_buf=(-buff_size 4194304)

# Warm-up (JIT, tiered compilation) so the first step is not penalised.
[[ "${WARMUP:-1}" == 0 ]] || (cd "$work" && sipp "127.0.0.1:$port" -sf "$here/register-bench.xml" -inf users.csv -r 500 -m 2000 -i 127.0.0.1 -p 0 \
  "${sipp_buf[@]}" -nostdin -timeout 30s >/dev/null 2>&1) || true

col() { awk -F';' -v name="$1" 'NR==1 {for (i=1;i<=NF;i++) if ($i==name) c=i} END {print $c}' "$2"; }
pct() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {if (NR==0) {print "-"; exit} i=int(NR*p/100); if (i<1) i=1; printf "%.2f", a[i]}'; }

# udp-drops: datagrams the kernel dropped for full receive buffers on any socket (RcvbufErrors) during the step.
# Server CPU time (user+system, clock ticks) from /proc: CPU per registration is comparable across machine loads,
# unlike latencies, which depend on how much of the 2 cores other processes leave us.
hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14+$15}' "/proc/$server_pid/stat"; }

best=0
printf '%-8s %-9s %-7s %-8s %-9s %-22s %-22s %-11s %-9s %s\n' rate/s success failed retrans achieved "RTD1 p50/p99/max ms" "RTD2 p50/p99/max ms" "srv-CPU/reg" "udp-drops" "srv-RSS"
for rate in "${rates[@]}"; do
  calls=$(( rate * 5 )); (( calls < users )) && calls=$users
  step="$work/step-$rate"; mkdir -p "$step"; cp "$work/users.csv" "$step/"
  cpu_before=$(cpu_ticks)
  drops_before=$(awk '/^Udp:/ {v=$6} END {print v}' /proc/net/snmp)
  (cd "$step" && sipp "127.0.0.1:$port" -sf "$here/register-bench.xml" -inf users.csv -r "$rate" -m "$calls" -l $((rate * 2)) \
      -i 127.0.0.1 -p 0 "${sipp_buf[@]}" -nostdin -timeout 120s -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 1 >/dev/null 2>&1) || true
  cpu_after=$(cpu_ticks)
  drops_after=$(awk '/^Udp:/ {v=$6} END {print v}' /proc/net/snmp)
  stat="$step/stat.csv"
  ok=$(col 'SuccessfulCall(C)' "$stat"); failed=$(col 'FailedCall(C)' "$stat"); retrans=$(col 'Retransmissions(C)' "$stat")
  elapsed=$(col 'ElapsedTime(C)' "$stat"); secs=$(echo "$elapsed" | awk -F: '{print $1*3600+$2*60+$3}')
  achieved=$(awk -v n="$ok" -v s="$secs" 'BEGIN {if (s>0) printf "%.0f", n/s; else print "-"}')
  rtt=$(ls "$step"/*_rtt.csv 2>/dev/null | head -1)
  awk -F';' 'NR>1 && $3==1 {print $2}' "$rtt" > "$step/r1"; awk -F';' 'NR>1 && $3==2 {print $2}' "$rtt" > "$step/r2"
  cpu_per_reg=$(awk -v t=$((cpu_after - cpu_before)) -v hz="$hz" -v n="$ok" 'BEGIN {if (n>0) printf "%.0f us", t*1e6/hz/n; else print "-"}')
  rss=$(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$server_pid/status")
  printf '%-8s %-9s %-7s %-8s %-9s %-22s %-22s %-11s %-9s %s\n' "$rate" "$ok" "$failed" "$retrans" "$achieved" \
    "$(pct "$step/r1" 50)/$(pct "$step/r1" 99)/$(pct "$step/r1" 100)" "$(pct "$step/r2" 50)/$(pct "$step/r2" 99)/$(pct "$step/r2" 100)" "$cpu_per_reg" \
    "$((drops_after - drops_before))" "$rss"
  if [[ "$failed" == 0 && "$retrans" == 0 && "$ok" == "$calls" ]]; then best=$rate; fi
done
echo "highest rate with zero failures and zero retransmissions: $best reg/s"
echo "$(uptime)"
echo stats >&3
sleep 0.3
tail -1 "$work/server.log"
