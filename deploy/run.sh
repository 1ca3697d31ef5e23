#!/usr/bin/env bash
# Builds HoSo and runs the whole stack on the embedded defaults: the MongoDB emulator (data kept in
# deploy/data/ across restarts) and the command side. Prints the URLs; Ctrl-C stops everything.
# Settings: PORT (command side, 8080), MONGO_PORT (27017), HOSO_DATA (deploy/data), SKIP_BUILD=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
port="${PORT:-8080}"
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
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "stopped; data kept in $data"
}
trap stop INT TERM EXIT

mongo_pid="$(deploy/start-mongo.sh "$mongo_port" "$data/hoso-mongo.mv" "$data/mongo.log")"
pids+=("$mongo_pid")
echo "MongoDB emulator: mongodb://127.0.0.1:$mongo_port (pid $mongo_pid, data $data/hoso-mongo.mv, log $data/mongo.log)"

MONGODB_URI="mongodb://127.0.0.1:$mongo_port/hoso" PORT="$port" \
  java -Xms128m -Xmx${COMMAND_HEAP:-768m} -jar "$(ls command-side/target/command-side-*-exec.jar | head -n 1)" \
  >"$data/command-side.log" 2>&1 &
pids+=("$!")
echo "command side starting (log $data/command-side.log) ..."
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "${pids[1]}" 2>/dev/null; then
    echo "the command side exited; see $data/command-side.log" >&2
    tail -n 40 "$data/command-side.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo
echo "HoSo is up:"
echo "  command API   http://localhost:$port/api/v1/dossiers"
echo "  API docs      http://localhost:$port/swagger-ui.html"
echo "  health        http://localhost:$port/actuator/health"
echo "  metrics       http://localhost:$port/actuator/prometheus"
echo "Walk a dossier through its life: deploy/smoke.sh http://localhost:$port"
echo "Press Ctrl-C to stop."
wait
