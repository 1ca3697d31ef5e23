#!/usr/bin/env bash
# The local witness of a development run: cosigns the log's latest checkpoint (C2SP tlog-cosignature) after checking
# that it is signed by the log's key and extends the last checkpoint this witness cosigned, then gives the cosignature
# to the log, which publishes it with the checkpoint. Its keys live in $HOSO_DATA (witness.key, the private half;
# witness-keys.txt, the public one, which the development query side reads). Run it as often as you like.
# Usage: HOSO_DATA=deploy/data deploy/witness.sh [QUERY_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${HOSO_DATA:-deploy/data}
query=${1:-http://localhost:8081}
jar=deploy/verifier/target/hoso-verifier.jar
[ -f "$jar" ] || ./mvnw -B -q -pl deploy/verifier -am package -DskipTests
if [ ! -f "$data/witness.key" ]; then
  keys=$(java -jar "$jar" new-witness-key localhost/hoso-witness)
  (umask 077; echo "$keys" | sed -n 1p > "$data/witness.key")
  echo "$keys" | sed -n 2p >> "$data/witness-keys.txt"
  echo "witness key made: $(sed -n 2p <<<"$keys")"
fi
# the log's key, pinned by the witness on first use
if [ ! -s "$data/witness-log.key" ]; then
  pinned=$(curl -sf "$query/api/v1/log/keys" | grep -o '"verifierKey":"[^"]*"' | head -1 | cut -d'"' -f4)
  [ -n "$pinned" ] || { echo "no log key at $query/api/v1/log/keys" >&2; exit 1; }
  echo "$pinned" > "$data/witness-log.key"
fi
checkpoint=$(mktemp); proof=$(mktemp); trap 'rm -f "$checkpoint" "$proof"' EXIT
curl -sf "$query/api/v1/log/checkpoint" > "$checkpoint"
size=$(sed -n 2p "$checkpoint")
older=()
if [ -f "$data/witness-last.txt" ]; then
  curl -sf "$query/api/v1/log/proofs/consistency?fromSize=$(sed -n 2p "$data/witness-last.txt")&toSize=$size" > "$proof"
  older=(--older "$data/witness-last.txt" --proof "$proof")
fi
line=$(java -jar "$jar" cosign --key "@$data/witness-log.key" --witness-key "@$data/witness.key" \
  --checkpoint "$checkpoint" ${older[@]+"${older[@]}"})
curl -sf -X POST -H 'Content-Type: text/plain' --data-binary "$line" \
  "$query/api/v1/log/checkpoints/$size/cosignatures" > /dev/null
cp "$checkpoint" "$data/witness-last.txt"
echo "cosigned the checkpoint of $size events: $line"
