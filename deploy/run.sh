#!/usr/bin/env bash
# Builds HoSo and runs the whole stack on the embedded defaults: Elasticsearch (from Maven Central, run as an
# unprivileged user when started as root), the MongoDB emulator (data kept across restarts), the command side and
# the query side. Prints the URLs; Ctrl-C stops everything.
# Settings: PORT (command side, 8080), QUERY_PORT (8081), MONGO_PORT (27017), ES_PORT (9200),
# HOSO_DATA (deploy/data), SKIP_BUILD=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
port="${PORT:-8080}"
query_port="${QUERY_PORT:-8081}"
es_port="${ES_PORT:-9200}"
mongo_port="${MONGO_PORT:-27017}"
data="${HOSO_DATA:-$root/deploy/data}"
mkdir -p "$data"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  echo "building (./mvnw -q -DskipTests install) ..."
  ./mvnw -q -B -DskipTests install
fi

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "stopping HoSo ..."
  # the services first, then the stores they use
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[$i]}" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.5; done
  done
  echo "stopped; data kept in $data"
}
trap stop INT TERM EXIT

# The search index is a read model of this data folder's event store: its Elasticsearch data is keyed by the
# store's id, so that a fresh data folder never meets a stale index. (It lives under /var/tmp because the
# unprivileged Elasticsearch user may not be able to enter this checkout.)
[ -s "$data/store-id" ] || { cat /proc/sys/kernel/random/uuid >"$data/store-id"; }
es_data="${ES_DATA:-/var/tmp/hoso/es-$(cut -c1-8 "$data/store-id")-$es_port}"
echo "starting Elasticsearch (first run: fetched through Maven, 10-60 s) ..."
es_pid="$(deploy/start-elasticsearch.sh "$es_port" "$es_data" "$data/elasticsearch.log")"
pids+=("$es_pid")
echo "Elasticsearch: http://127.0.0.1:$es_port (pid $es_pid, log $data/elasticsearch.log)"

mongo_pid="$(deploy/start-mongo.sh "$mongo_port" "$data/hoso-mongo.mv" "$data/mongo.log")"
pids+=("$mongo_pid")
echo "MongoDB emulator: mongodb://127.0.0.1:$mongo_port (pid $mongo_pid, data $data/hoso-mongo.mv, log $data/mongo.log)"

MONGODB_URI="mongodb://127.0.0.1:$mongo_port/hoso" PORT="$port" \
  java -Xms128m -Xmx${COMMAND_HEAP:-768m} -jar "$(ls command-side/target/command-side-*-exec.jar | head -n 1)" \
  >"$data/command-side.log" 2>&1 &
command_pid=$!
pids+=("$command_pid")
echo "command side starting (log $data/command-side.log) ..."

MONGODB_URI="mongodb://127.0.0.1:$mongo_port/hoso" PORT="$query_port" ELASTICSEARCH_URL="http://127.0.0.1:$es_port" \
  HOSO_DATA="$data" java -Xms128m -Xmx${QUERY_HEAP:-768m} -jar "$(ls query-side/target/query-side-*-exec.jar | head -n 1)" \
  >"$data/query-side.log" 2>&1 &
query_pid=$!
pids+=("$query_pid")
echo "query side starting (log $data/query-side.log) ..."

await_health() { # await_health NAME PORT PID LOG
  for _ in $(seq 1 180); do
    if curl -fs "http://127.0.0.1:$2/actuator/health/readiness" >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$3" 2>/dev/null; then
      echo "the $1 exited; see $4" >&2
      tail -n 40 "$4" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "the $1 did not get ready in 90 s; see $4" >&2
  exit 1
}
await_health "command side" "$port" "$command_pid" "$data/command-side.log"
await_health "query side" "$query_port" "$query_pid" "$data/query-side.log"
echo
echo "HoSo is up:"
echo "  command API   http://localhost:$port/api/v1/dossiers"
echo "  query API     http://localhost:$query_port/api/v1/search/dossiers  (docs: /swagger-ui.html)"
echo "  Elasticsearch http://127.0.0.1:$es_port"
echo "  API docs      http://localhost:$port/swagger-ui.html"
echo "  health        http://localhost:$port/actuator/health"
echo "  metrics       http://localhost:$port/actuator/prometheus"
echo "Walk a dossier through its life: deploy/smoke.sh http://localhost:$port http://localhost:$query_port"
echo "Press Ctrl-C to stop."
wait
