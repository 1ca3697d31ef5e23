#!/usr/bin/env bash
# Starts the embedded MongoDB (mongo-java-server, H2 backend, commit after each write) as a process of its own,
# waits until it accepts connections and prints its PID. Used by deploy/run.sh and by CI.
#   deploy/start-mongo.sh [PORT] [DATA_FILE] [LOG_FILE] [extra args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${1:-27017}"
data="${2:-$root/deploy/data/hoso-mongo.mv}"
log="${3:-$(dirname "$data")/mongo.log}"
shift $(( $# < 3 ? $# : 3 ))
jar="$(ls "$root"/deploy/target/deploy-*-exec.jar 2>/dev/null | head -n 1 || true)"
if [ -z "$jar" ]; then
  echo "deploy/target has no emulator jar: build first (./mvnw -DskipTests install)" >&2
  exit 1
fi
mkdir -p "$(dirname "$data")" "$(dirname "$log")"
java -Xms64m -Xmx${MONGO_HEAP:-512m} -jar "$jar" --port "$port" --data "$data" "$@" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  if grep -q '^READY ' "$log" 2>/dev/null; then
    echo "$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the MongoDB emulator exited; its log ($log):" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done
echo "the MongoDB emulator did not report READY within 30 s; its log ($log):" >&2
cat "$log" >&2
kill "$pid" 2>/dev/null || true
exit 1
