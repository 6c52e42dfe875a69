#!/usr/bin/env bash
# Installs what the tests need when it is missing, builds the solution, runs every test and prints
#   tests: N passed, M failed[, K skipped]
# Under CI=true a tool that cannot be installed is a failure, never a silent skip.
set -uo pipefail
cd "$(dirname "$0")"

need_pkgs=()
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v sipp >/dev/null 2>&1 || need_pkgs+=(sip-tester)
command -v baresip >/dev/null 2>&1 || need_pkgs+=(baresip)
command -v linphonec >/dev/null 2>&1 || need_pkgs+=(linphone-cli)
command -v svwar >/dev/null 2>&1 || need_pkgs+=(sipvicious)
# PostgreSQL and Redis: the tests start private servers on free ports (never the system's instances).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_pkgs+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need_pkgs+=(redis-server)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_pkgs[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo_cmd="sudo"
  if ! { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null; }; then
    echo "test.sh: could not install ${need_pkgs[*]}" >&2
    if [ "${CI:-}" = "true" ]; then
      echo "tests: 0 passed, 1 failed"
      exit 1
    fi
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (see global.json) is required" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! dotnet build LPTracker.Blazor.sln -c Release -nologo -v quiet; then
  echo "test.sh: build failed" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

results=$(mktemp -d)
dotnet test LPTracker.Tests/LPTracker.Tests.csproj -c Release --no-build --nologo \
  --logger "trx;LogFileName=results.trx" --results-directory "$results" --blame-hang-timeout 5m
status=$?

trx="$results/results.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$(get passed); failed=$(get failed); total=$(get total); executed=$(get executed)
  errors=$(get error); timeout=$(get timeout); aborted=$(get aborted)
  failed=$(( ${failed:-0} + ${errors:-0} + ${timeout:-0} + ${aborted:-0} ))
  skipped=$(( ${total:-0} - ${executed:-0} ))
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  line="tests: ${passed:-0} passed, ${failed} failed"
  [ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
else
  line="tests: 0 passed, 1 failed"
  status=1
fi
rm -rf "$results"
echo "$line"
exit $status
