#!/usr/bin/env bash
# Builds HoSo and runs the whole stack on the embedded defaults: the development authorization server (demo accounts,
# tokens with deploy/token.sh), Elasticsearch (from Maven Central, run as an unprivileged user when started as root),
# the MongoDB emulator (data kept across restarts), the command side and the query side. Prints the URLs; Ctrl-C
# stops everything.
# Settings: PORT (command side, 8080), QUERY_PORT (8081), AUTH_PORT (authorization server, 9000), MONGO_PORT (27017),
# ES_PORT (9200), HOSO_DATA (deploy/data), SKIP_BUILD=1, COMMAND_INSTANCES and QUERY_INSTANCES (1 each): with more
# than one, the instances listen on PORT+10000+10*i (QUERY_PORT+10000+10*i) and a round-robin proxy answers on PORT
# (QUERY_PORT). ES_NODES (1): with 3 (or more), Elasticsearch runs as a cluster of that many nodes on ES_PORT,
# ES_PORT+1, ...; the query sides are given every node, and a new search index one primary shard per node
# (SEARCH_SHARDS) and one replica of each (SEARCH_REPLICAS; by default 0 on one node and 1 on several), so that every
# node holds a primary and a replica and any one of them may go. deploy/es-kill-node.sh kills and restarts a node of such a cluster under load.
# HOSO_LOOKUP_TRUSTED_PROXIES: addresses the public lookup believes X-Forwarded-For from (the load test's clients);
# by default none with one query side, and the local proxy with several.
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
es_nodes="${ES_NODES:-1}"
for n in "$command_instances" "$query_instances" "$es_nodes"; do
  if ! [[ "$n" =~ ^[1-9][0-9]?$ ]]; then
    echo "COMMAND_INSTANCES, QUERY_INSTANCES and ES_NODES must be 1 to 99, not '$n'" >&2
    exit 2
  fi
done
if [ "$es_nodes" -eq 2 ]; then
  echo "ES_NODES=2 cannot elect a master once either node is gone: use 1 or 3" >&2
  exit 2
fi
search_replicas="${SEARCH_REPLICAS:-$([ "$es_nodes" -gt 1 ] && echo 1 || echo 0)}"
search_shards="${SEARCH_SHARDS:-$es_nodes}"
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
  # an Elasticsearch node restarted since (deploy/es-kill-node.sh) has a pid of its own: its pid file names it
  if [ -s "$data/es-nodes" ]; then
    while read -r _ node_data _; do
      node_pid="$(cat "$node_data-logs/es.pid" 2>/dev/null || true)"
      [ -n "$node_pid" ] && kill "$node_pid" 2>/dev/null || true
    done <"$data/es-nodes"
  fi
  echo "stopped; data kept in $data"
}
trap stop INT TERM EXIT

# The search index is a read model of this data folder's event store: its Elasticsearch data is keyed by the
# store's id, so that a fresh data folder never meets a stale index. (It lives under /var/tmp because the
# unprivileged Elasticsearch user may not be able to enter this checkout.)
[ -s "$data/store-id" ] || { cat /proc/sys/kernel/random/uuid >"$data/store-id"; }
# (a cluster's data is kept apart from a single node's: the two cannot share a cluster state)
es_data="${ES_DATA:-/var/tmp/hoso/es-$(cut -c1-8 "$data/store-id")-$es_port$([ "$es_nodes" -gt 1 ] && echo "-x$es_nodes" || true)}"
if [ ! -d "$es_data" ] && [ -s "$data/hoso-mongo.mv" ]; then
  echo "note: Elasticsearch starts without data beside an event store that has some: the search index will hold only" \
    "what is projected from now on until it is rebuilt (POST /api/v1/operator/rebuilds/search-index, as operator)"
fi
es_urls=()
: >"$data/es-nodes"
if [ "$es_nodes" -eq 1 ]; then
  echo "starting Elasticsearch (first run: fetched through Maven, 10-60 s) ..."
  es_pid="$(deploy/start-elasticsearch.sh "$es_port" "$es_data" "$data/elasticsearch.log")"
  pids+=("$es_pid")
  es_urls+=("http://127.0.0.1:$es_port")
  echo "$es_port $es_data $data/elasticsearch.log" >>"$data/es-nodes"
  echo "Elasticsearch: http://127.0.0.1:$es_port (pid $es_pid, log $data/elasticsearch.log)"
else
  # the nodes start together: none is ready before a majority of them has elected a master
  cluster_ports="$(seq -s, "$es_port" $((es_port + es_nodes - 1)))"
  echo "starting an Elasticsearch cluster of $es_nodes nodes on ports $cluster_ports (first run: 30-60 s) ..."
  node_pids=()
  for ((i = 0; i < es_nodes; i++)); do
    node_port=$((es_port + i))
    node_data="$es_data-node$i"
    [ "$i" -eq 0 ] && node_data="$es_data"
    echo "$node_port $node_data $data/elasticsearch-$node_port.log" >>"$data/es-nodes"
    HOSO_ES_CLUSTER_PORTS="$cluster_ports" deploy/start-elasticsearch.sh "$node_port" "$node_data" \
      "$data/elasticsearch-$node_port.log" >"$data/es-$node_port.pid.tmp" &
    node_pids+=("$!")
    es_urls+=("http://127.0.0.1:$node_port")
  done
  for ((i = 0; i < es_nodes; i++)); do
    wait "${node_pids[$i]}" || { echo "Elasticsearch node on port $((es_port + i)) did not start" >&2; exit 1; }
    pids+=("$(cat "$data/es-$((es_port + i)).pid.tmp")")
    rm -f "$data/es-$((es_port + i)).pid.tmp"
  done
  echo "Elasticsearch: $es_nodes nodes, ${es_urls[*]} (logs $data/elasticsearch-<port>.log)"
fi

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
trusted_proxies="${HOSO_LOOKUP_TRUSTED_PROXIES:-$trusted_proxies}"
start_instances query-side "$query_instances" "$query_port" "${QUERY_HEAP:-768m}" "$query_jar" \
  ELASTICSEARCH_URL="$(IFS=,; echo "${es_urls[*]}")" HOSO_SEARCH_REPLICAS="$search_replicas" HOSO_SEARCH_SHARDS="$search_shards" \
  HOSO_PORTAL_AUTHORIZATION_SERVER="http://localhost:$auth_port" \
  HOSO_PORTAL_COMMAND_API="http://localhost:$port" HOSO_LOOKUP_TRUSTED_PROXIES="$trusted_proxies"
echo
echo "HoSo is up:"
echo "  command API   http://localhost:$port/api/v1/dossiers"
echo "  query API     http://localhost:$query_port/api/v1/search/dossiers  (docs: /swagger-ui.html)"
echo "  pages         http://localhost:$query_port/portal/  (status lookup, a citizen's dossiers)"
echo "  Elasticsearch ${es_urls[*]}"
echo "  API docs      http://localhost:$port/swagger-ui.html"
echo "  health        http://localhost:$port/actuator/health"
echo "  metrics       http://localhost:$port/actuator/prometheus"
echo "Walk a dossier through its life: deploy/smoke.sh http://localhost:$port http://localhost:$query_port"
echo "Press Ctrl-C to stop."
wait
