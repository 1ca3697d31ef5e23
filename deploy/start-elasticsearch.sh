#!/usr/bin/env bash
# Starts a single-node Elasticsearch 8.19.7 (the integ-test zip from Maven Central) in the background, waits until
# _cluster/health answers green or yellow and prints ONLY the PID of the Elasticsearch server JVM on stdout
# (SIGTERM that PID to stop the node). Used by the integration tests (ElasticsearchServer) and by CI.
#   deploy/start-elasticsearch.sh [PORT] [DATA_DIR] [LOG_FILE]
#     PORT      HTTP port, default 9200 (transport: first free port of PORT+100..PORT+199)
#     DATA_DIR  default /var/tmp/hoso/es-data; DATA_DIR-config (ES_PATH_CONF) and DATA_DIR-logs (path.logs) sit next to it
#     LOG_FILE  console output of the node, default DATA_DIR/../es.log (appended to)
#   env: HOSO_ES_HOME  where the zip is unpacked once (default /var/tmp/hoso/elasticsearch-8.19.7)
#        ES_HEAP       heap of the node (default 512m)
#        ES_JAVA_HOME  JDK to run it with (default: the JDK of `java` on PATH)
#        HOSO_ES_USER  the user the node runs as when this script runs as root (default hoso-es)
#        HOSO_ES_WAIT  seconds to wait for the node (default 120)
#        HOSO_ES_MERGE_FLOOR  free disk space under which the node starts no merge (default 1gb)
#        HOSO_ES_CLUSTER_PORTS  the HTTP ports of every node of a cluster on this machine, comma-separated (this
#                      node's PORT among them; e.g. 9200,9201,9202): the node joins a cluster named HOSO_ES_CLUSTER
#                      (default hoso) instead of forming one of its own; its transport port is PORT+100, so that the
#                      nodes find each other. Start the nodes together: each waits until a master is elected, which
#                      takes a majority of them. Unset: a single node (discovery.type single-node).
# Elasticsearch refuses to run as root: as root the node runs as the system user HOSO_ES_USER, so DATA_DIR and
# HOSO_ES_HOME must lie in folders every user can traverse (not under /root).
set -euo pipefail
umask 022

ES_VERSION=8.19.7
ES_GAV="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
ES_ZIP_IN_REPO="org/elasticsearch/distribution/integ-test-zip/elasticsearch/${ES_VERSION}/elasticsearch-${ES_VERSION}.zip"

port="${1:-9200}"
data="${2:-/var/tmp/hoso/es-data}"
case "$port" in ''|*[!0-9]*) echo "PORT must be a number, got '$port'" >&2; exit 2 ;; esac
mkdir -p "$data"
data="$(cd "$data" && pwd)"
log="${3:-$(dirname "$data")/es.log}"
es_home="${HOSO_ES_HOME:-/var/tmp/hoso/elasticsearch-${ES_VERSION}}"
es_user="${HOSO_ES_USER:-hoso-es}"
heap="${ES_HEAP:-512m}"
wait_s="${HOSO_ES_WAIT:-120}"
conf="${data}-config"
logs="${data}-logs"
pidfile="${logs}/es.pid"

say() { echo "start-elasticsearch: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if port_open "$port"; then
  say "something already listens on 127.0.0.1:$port; refusing to start a second server there"
  exit 1
fi

# ---------------------------------------------------------------- 1. the distribution, unpacked once
unpack() {
  local parent zip tmp
  parent="$(dirname "$es_home")"
  mkdir -p "$parent"
  zip="${M2_REPO:-$HOME/.m2/repository}/$ES_ZIP_IN_REPO"
  tmp="$(mktemp -d "$parent/.es-unpack.XXXXXX")"
  if [ ! -s "$zip" ]; then
    say "fetching $ES_GAV through Maven"
    # run from an empty folder: a pom.xml in the working directory would make Maven run inside that project
    (cd "$tmp" && mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="$ES_GAV" -DoutputDirectory="$tmp/dl" -Dmdep.overWriteReleases=true) >&2
    zip="$tmp/dl/elasticsearch-${ES_VERSION}.zip"
  fi
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$zip" -d "$tmp/x"
  else
    mkdir -p "$tmp/x" && (cd "$tmp/x" && jar xf "$zip")
    chmod a+x "$tmp/x/elasticsearch-${ES_VERSION}"/bin/*
  fi
  # readable by every user (the zip stores config files as 0660)
  chmod -R a+rX "$tmp/x/elasticsearch-${ES_VERSION}"
  touch "$tmp/x/elasticsearch-${ES_VERSION}/.hoso-unpacked"
  mv "$tmp/x/elasticsearch-${ES_VERSION}" "$es_home"
  rm -rf "$tmp"
}
if [ ! -f "$es_home/.hoso-unpacked" ]; then
  mkdir -p "$(dirname "$es_home")"
  # two scripts started at once must not unpack over each other
  exec 9>"$(dirname "$es_home")/.elasticsearch-${ES_VERSION}.lock"
  flock -w 600 9
  if [ ! -f "$es_home/.hoso-unpacked" ]; then
    rm -rf "$es_home"
    unpack
  fi
  exec 9>&-
fi

# ---------------------------------------------------------------- 2. per-instance configuration
mkdir -p "$data" "$logs" "$(dirname "$log")"
if [ ! -d "$conf" ]; then
  cp -r "$es_home/config" "$conf"
fi
# jvm.options: GC log and error files default to paths relative to ES_HOME (shared, not writable): move them to logs
sed -e "s|file=gc.log:|file=${logs}/gc.log:|" \
    -e 's|filecount=32,filesize=64m|filecount=2,filesize=16m|' \
    -e "s|^-XX:ErrorFile=.*|-XX:ErrorFile=${logs}/hs_err_pid%p.log|" \
    -e "s|^-XX:HeapDumpPath=.*|-XX:HeapDumpPath=${logs}|" \
    "$es_home/config/jvm.options" >"$conf/jvm.options"
grep -q '^-XX:HeapDumpPath=' "$conf/jvm.options" || echo "-XX:HeapDumpPath=${logs}" >>"$conf/jvm.options"

tport=$((port + 100))
tport_to=$((tport + 99))
if [ "$tport_to" -gt 65535 ]; then tport=$((port - 199)); tport_to=$((port - 100)); fi
cluster_ports="${HOSO_ES_CLUSTER_PORTS:-}"
if [ -n "$cluster_ports" ]; then
  seeds=() masters=()
  IFS=',' read -r -a nodes <<<"$cluster_ports"
  for p in "${nodes[@]}"; do
    case "$p" in ''|*[!0-9]*) say "HOSO_ES_CLUSTER_PORTS must list HTTP ports, got '$cluster_ports'"; exit 2 ;; esac
    seeds+=("127.0.0.1:$((p + 100))")
    masters+=("node-$p")
  done
  case ",$cluster_ports," in *",$port,"*) ;; *) say "HOSO_ES_CLUSTER_PORTS ($cluster_ports) does not list $port"; exit 2 ;; esac
fi
{
  echo "# written by deploy/start-elasticsearch.sh for the node on port $port"
  if [ -n "$cluster_ports" ]; then
    # one node of a cluster on this machine: a fixed transport port, which the others know as a seed
    echo "cluster.name: ${HOSO_ES_CLUSTER:-hoso}"
    echo "node.name: node-$port"
    echo "discovery.seed_hosts: [$(IFS=,; echo "${seeds[*]}")]"
    # only when the cluster first forms: a node that has been in it (its data holds the cluster's state) must not
    # bootstrap again (Elasticsearch warns, and a node wiped and bootstrapped alone would form a second cluster)
    if [ -z "$(ls -A "$data" 2>/dev/null)" ]; then
      echo "cluster.initial_master_nodes: [$(IFS=,; echo "${masters[*]}")]"
    fi
    tport_to="$tport"
  else
    echo "discovery.type: single-node"
  fi
  echo "network.host: 127.0.0.1"
  echo "http.port: $port"
  echo "transport.port: $tport-$tport_to"
  echo "path.data: $data"
  echo "path.logs: $logs"
  echo "xpack.security.enabled: false"
  # xpack.ml.enabled is registered by x-pack-core (checked on 8.19.7: accepted although no x-pack-ml module ships);
  # without x-pack-core it would be an unknown setting and the node would refuse to start
  if [ -d "$es_home/modules/x-pack-core" ]; then echo "xpack.ml.enabled: false"; fi
  echo "cluster.routing.allocation.disk.threshold_enabled: false"
  # Elasticsearch 8.19 starts no merge while the disk has less free space than 5% of its size (up to 100 GB): on a
  # machine whose disk is 90% full, a node never merged, its segments piled up by the hundred, and indexing was
  # throttled and searches slowed down by the minute (the log says "insufficient disk space"). This node merges until
  # HOSO_ES_MERGE_FLOOR (default 1gb) is left.
  echo "indices.merge.disk.watermark.high: ${HOSO_ES_MERGE_FLOOR:-1gb}"
} >"$conf/elasticsearch.yml"

# ---------------------------------------------------------------- 3. start
java_home="${ES_JAVA_HOME:-}"
if [ -z "$java_home" ]; then
  java_bin="$(command -v java || true)"
  if [ -z "$java_bin" ]; then say "no java on PATH"; exit 1; fi
  java_home="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"
fi

rm -f "$pidfile"
echo "=== $(date -u +%FT%TZ) start-elasticsearch.sh port $port data $data" >>"$log"
launch=(env -u JAVA_HOME -u JAVA_TOOL_OPTIONS -u _JAVA_OPTIONS -u JAVA_OPTS
        ES_JAVA_HOME="$java_home" ES_PATH_CONF="$conf" ES_JAVA_OPTS="-Xms${heap} -Xmx${heap}"
        "$es_home/bin/elasticsearch" -p "$pidfile")
if [ "$(id -u)" -eq 0 ]; then
  if ! id -u "$es_user" >/dev/null 2>&1; then
    useradd -r -M -s /usr/sbin/nologin "$es_user" 2>/dev/null || id -u "$es_user" >/dev/null
  fi
  chown -R "$es_user:" "$data" "$logs" "$conf"
  if ! runuser -u "$es_user" -- test -w "$data" -a -r "$es_home/bin/elasticsearch"; then
    say "user $es_user cannot reach $data or $es_home: put them in folders every user can traverse"
    exit 1
  fi
  # own session and process group: on failure the whole tree (runuser, CLI, server) is killed at once
  setsid runuser -u "$es_user" -- "${launch[@]}" </dev/null >>"$log" 2>&1 &
else
  setsid "${launch[@]}" </dev/null >>"$log" 2>&1 &
fi
launcher=$!

fail() {
  say "$1; the end of $log:"
  tail -n 60 "$log" >&2 || true
  local srv=""
  [ -s "$pidfile" ] && srv="$(cat "$pidfile" 2>/dev/null || true)"
  kill -TERM -- "-$launcher" 2>/dev/null || kill -TERM "$launcher" 2>/dev/null || true
  [ -n "$srv" ] && kill -TERM "$srv" 2>/dev/null || true
  for _ in $(seq 1 50); do
    if ! kill -0 "$launcher" 2>/dev/null && { [ -z "$srv" ] || ! kill -0 "$srv" 2>/dev/null; }; then break; fi
    sleep 0.2
  done
  kill -KILL -- "-$launcher" 2>/dev/null || true
  [ -n "$srv" ] && kill -KILL "$srv" 2>/dev/null || true
  exit 1
}
trap 'fail "interrupted"' INT TERM

started=$SECONDS
deadline=$((SECONDS + wait_s))
while [ "$SECONDS" -lt "$deadline" ]; do
  if ! kill -0 "$launcher" 2>/dev/null; then
    fail "Elasticsearch exited during start-up"
  fi
  health="$(curl -s -m 2 "http://127.0.0.1:$port/_cluster/health" 2>/dev/null || true)"
  if [[ "$health" =~ \"status\":\"(green|yellow)\" ]] && [ -s "$pidfile" ]; then
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      say "ready on http://127.0.0.1:$port after $((SECONDS - started)) s (server pid $pid, logs in $logs)"
      echo "$pid"
      exit 0
    fi
  fi
  sleep 0.5
done
fail "Elasticsearch did not report green/yellow on port $port within ${wait_s} s"
