#!/usr/bin/env bash
# Builds HoSo and runs the whole stack on the embedded defaults: the development authorization server (demo accounts,
# tokens with deploy/token.sh), Elasticsearch (from Maven Central, run as an unprivileged user when started as root),
# the MongoDB emulator (data kept across restarts), the command side and the query side. Prints the URLs; Ctrl-C
# stops everything.
# Settings: PORT (command side, 8080), QUERY_PORT (8081), AUTH_PORT (authorization server, 9000), MONGO_PORT (27017),
# ES_PORT (9200), HOSO_DATA (deploy/data), SKIP_BUILD=1, COMMAND_INSTANCES and QUERY_INSTANCES (1 each): with more
# than one, the instances listen on PORT+10000+10*i (QUERY_PORT+10000+10*i) and a round-robin proxy answers on PORT
# (QUERY_PORT).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
port="${PORT:-8080}"
query_port="${QUERY_PORT:-8081}"
auth_port="${AUTH_PORT:-9000}"
es_port="${ES_PORT:-9200}"
mongo_port="${MONGO_PORT:-27017}"
data="${HOSO_DATA:-$root/deploy/data}"
command_instances="${COMMAND_INSTANCES:-1}"
query_instances="${QUERY_INSTANCES:-1}"
for n in "$command_instances" "$query_instances"; do
  if ! [[ "$n" =~ ^[1-9][0-9]?$ ]]; then
    echo "COMMAND_INSTANCES and QUERY_INSTANCES must be 1 to 99, not '$n'" >&2
    exit 2
  fi
done
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

await_health() { # await_health NAME PORT PID LOG
  for _ in $(seq 1 360); do
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
  echo "the $1 did not get ready in 180 s; see $4" >&2
  exit 1
}

auth_jar="$(ls deploy/auth-server/target/auth-server-*-exec.jar | head -n 1)"
# the query side's pages sign in here and come back to the citizen's page (deploy/auth-server: portal-origins)
PORT="$auth_port" HOSO_DATA="$data" HOSO_AUTH_PORTAL_ORIGINS="http://localhost:$query_port,http://127.0.0.1:$query_port" \
  java -Xms64m -Xmx256m -jar "$auth_jar" >"$data/auth-server.log" 2>&1 &
auth_pid="$!"
pids+=("$auth_pid")
await_health "authorization server" "$auth_port" "$auth_pid" "$data/auth-server.log"
echo "Authorization server: http://localhost:$auth_port (demo accounts in $data/auth/demo-credentials.properties;" \
  "a token: deploy/token.sh citizen-an)"

# start_instances SIDE COUNT PORT HEAP JAR [ENV...]: one instance on PORT, or COUNT of them behind a proxy on PORT
start_instances() {
  local side="$1" count="$2" address_port="$3" heap="$4" jar="$5"
  shift 5
  local ports=() instance_pids=() logs=()
  for ((i = 1; i <= count; i++)); do
    local instance_port="$address_port" log="$data/$side.log"
    if [ "$count" -gt 1 ]; then
      instance_port=$((address_port + 10000 + 10 * i))
      log="$data/$side-$i.log"
    fi
    env SPRING_PROFILES_ACTIVE=development MONGODB_URI="mongodb://127.0.0.1:$mongo_port/hoso" PORT="$instance_port" \
      HOSO_DATA="$data" \
      HOSO_AUTH_ISSUER="http://localhost:$auth_port" \
      HOSO_AUTH_JWK_SET_URI="http://127.0.0.1:$auth_port/oauth2/jwks" "$@" \
      java -Xms128m -Xmx"$heap" -jar "$jar" >"$log" 2>&1 &
    pids+=("$!")
    instance_pids+=("$!")
    ports+=("$instance_port")
    logs+=("$log")
    echo "$side instance $i starting on port $instance_port (log $log) ..."
  done
  for ((i = 0; i < count; i++)); do
    await_health "$side instance $((i + 1))" "${ports[$i]}" "${instance_pids[$i]}" "${logs[$i]}"
  done
  if [ "$count" -gt 1 ]; then
    local urls=() proxy_log="$data/$side-proxy.log"
    for p in "${ports[@]}"; do urls+=("http://127.0.0.1:$p"); done
    java -Xms16m -Xmx64m -cp "$deploy_jar" vn.hoso.deploy.RoundRobinProxy "$address_port" "${urls[@]}" \
      >"$proxy_log" 2>&1 &
    pids+=("$!")
    await_health "$side proxy" "$address_port" "$!" "$proxy_log"
    echo "$side: $count instances behind http://localhost:$address_port (proxy log $proxy_log)"
  fi
}

command_jar="$(ls command-side/target/command-side-*-exec.jar | head -n 1)"
query_jar="$(ls query-side/target/query-side-*-exec.jar | head -n 1)"
deploy_jar="$(ls deploy/target/deploy-*.jar | grep -v -- '-exec.jar' | head -n 1)"
pages="http://localhost:$query_port,http://127.0.0.1:$query_port"
# the citizen's page (on the query side) rates a dossier on the command side from the browser: CORS for its origins
start_instances command-side "$command_instances" "$port" "${COMMAND_HEAP:-768m}" "$command_jar" \
  HOSO_HTTP_CORS_ORIGINS="$pages"
# behind the local proxy, a lookup counts against the client the proxy names in X-Forwarded-For
trusted_proxies=""
[ "$query_instances" -gt 1 ] && trusted_proxies="127.0.0.1"
start_instances query-side "$query_instances" "$query_port" "${QUERY_HEAP:-768m}" "$query_jar" \
  ELASTICSEARCH_URL="http://127.0.0.1:$es_port" HOSO_PORTAL_AUTHORIZATION_SERVER="http://localhost:$auth_port" \
  HOSO_PORTAL_COMMAND_API="http://localhost:$port" HOSO_LOOKUP_TRUSTED_PROXIES="$trusted_proxies"
echo
echo "HoSo is up:"
echo "  command API   http://localhost:$port/api/v1/dossiers"
echo "  query API     http://localhost:$query_port/api/v1/search/dossiers  (docs: /swagger-ui.html)"
echo "  pages         http://localhost:$query_port/portal/  (status lookup, a citizen's dossiers)"
echo "  Elasticsearch http://127.0.0.1:$es_port"
echo "  API docs      http://localhost:$port/swagger-ui.html"
echo "  health        http://localhost:$port/actuator/health"
echo "  metrics       http://localhost:$port/actuator/prometheus"
echo "Walk a dossier through its life: deploy/smoke.sh http://localhost:$port http://localhost:$query_port"
echo "Press Ctrl-C to stop."
wait
