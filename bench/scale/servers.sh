# Sourced by the scale-out benches: a private PostgreSQL and a private Redis in a temp folder on free loopback ports
# (as the tests start them: initdb/pg_ctl as the postgres user when run as root, never a system instance).
# After `start_servers DIR`: PG_CONN (a fresh database "bench"), REDIS_CONF; `stop_servers` stops both.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_servers() {
  local dir="$1" pgbin as_pg=()
  pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  [[ -x "$pgbin/initdb" ]] || { echo "PostgreSQL not installed (apt-get install postgresql)"; return 1; }
  command -v redis-server >/dev/null || { echo "redis-server not installed (apt-get install redis-server)"; return 1; }
  mkdir -p "$dir/pg"; chmod 755 "$dir"
  if [[ "$(id -u)" == 0 ]]; then chown -R postgres:postgres "$dir/pg"; as_pg=(runuser -u postgres --); fi
  PG_DIR="$dir/pg"; PG_BIN="$pgbin"; PG_AS=("${as_pg[@]}")
  PG_PORT=$(free_port)
  "${as_pg[@]}" "$pgbin/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "-p $PG_PORT -h 127.0.0.1 -k $dir/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" start >/dev/null
  "${as_pg[@]}" "$pgbin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'CREATE DATABASE bench' postgres
  PG_CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench;Maximum Pool Size=100"
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no --daemonize no \
    --protected-mode yes > "$dir/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  REDIS_CONF="127.0.0.1:$REDIS_PORT"
  export PG_CONN REDIS_CONF
}

stop_servers() {
  [[ -n "${REDIS_PID:-}" ]] && kill "$REDIS_PID" 2>/dev/null || true
  [[ -n "${PG_DIR:-}" ]] && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
}
