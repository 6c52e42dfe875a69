#!/usr/bin/env bash
# The employee list's query on SQLite and on PostgreSQL, one after the other on the same machine and seed
# (bench/employees-list, server times only): a private PostgreSQL is started in a temp folder and stopped after.
# Usage: bench/scale/list-providers.sh [employees-list options, e.g. --employees 10000 --iterations 200]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
source "$here/servers.sh"
trap 'stop_servers; rm -rf "$work"' EXIT
dotnet build "$root/bench/employees-list" -c Release -v q -nologo >/dev/null
bench="$root/bench/employees-list/bin/Release/net10.0/EmployeesListBench.dll"
start_servers "$work"
echo "$(uptime)"
dotnet "$bench" --no-browser "$@"
echo
dotnet "$bench" --no-browser --provider Postgres --connection "$PG_CONN" "$@"
echo "$(uptime)"
