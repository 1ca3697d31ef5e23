#!/usr/bin/env bash
# Kills (kill -9) the first-listed node of the Elasticsearch cluster that `ES_NODES=3 deploy/run.sh` started, while
# dossiers are submitted and searched, starts it again, and checks that nothing was lost:
#   - searches keep answering while the node is gone (every answer's status and time is counted);
#   - the cluster goes yellow, and green again once the node is back (its health is followed each second);
#   - every dossier submitted during the run is found in search, and the completeness check (the comparator of the
#     store with every read model) finds nothing missing; repairs the query side made by itself are counted too.
# It runs against a stack on its own machine (the node's pid and data are read from $HOSO_DATA/es-nodes, which run.sh
# writes); it is not part of the test run.
#   deploy/es-kill-node.sh [BASE_URL] [QUERY_URL] [AUTH_URL]
# (defaults http://localhost:8080, http://localhost:8081, http://localhost:9000; HOSO_DATA: deploy/data)
# env: RATE dossiers submitted a second (4), SEARCH_RATE searches a second (5), BEFORE seconds of load before the kill
#      (15), DOWN seconds the node stays dead (30), AFTER seconds of load once it is back and the cluster green (15)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
base="${1:-http://localhost:8080}"
query="${2:-http://localhost:8081}"
auth="${3:-${AUTH_URL:-http://localhost:9000}}"
export HOSO_DATA="${HOSO_DATA:-$here/data}"
rate="${RATE:-4}"
search_rate="${SEARCH_RATE:-5}"
before="${BEFORE:-15}"
down="${DOWN:-30}"
after="${AFTER:-15}"

say() { printf '%s %6.1f s  %s\n' "$(date -u +%H:%M:%S)" "$(awk -v s="$start_ns" -v n="$(date +%s%N)" 'BEGIN { print (n - s) / 1e9 }')" "$*"; }
fail() { echo "es-kill-node: $*" >&2; exit 1; }

nodes_file="$HOSO_DATA/es-nodes"
[ -s "$nodes_file" ] || fail "no $nodes_file: start the stack with ES_NODES=3 deploy/run.sh (HOSO_DATA=$HOSO_DATA)"
mapfile -t nodes <"$nodes_file"
[ "${#nodes[@]}" -ge 3 ] || fail "$nodes_file lists ${#nodes[@]} node(s): start the stack with ES_NODES=3"
read -r victim_port victim_data victim_log <<<"${nodes[0]}"
read -r witness_port _ <<<"${nodes[1]}"
cluster_ports="$(for n in "${nodes[@]}"; do echo "${n%% *}"; done | paste -sd,)"
health() { curl -s -m 2 "http://127.0.0.1:$witness_port/_cluster/health" || true; }
json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p" <<<"$2" | head -n 1; }
[ "$(json_field status "$(health)")" = green ] || fail "the cluster is not green before the run: $(health)"

token() { "$here/token.sh" "$1" "$auth" || fail "no token for $1 from $auth"; }
citizen="$(token citizen-an)"
inspector="$(token inspector)"
operator="$(token operator)"

work="$(mktemp -d)"
marker="esk$(od -An -N8 -tu1 /dev/urandom | awk '{ for (i = 1; i <= NF; i++) printf "%c", 97 + $i % 26 }')"
start_ns="$(date +%s%N)"
stop_file="$work/stop"
hash="sha256:$(printf 'cd%.0s' $(seq 1 32))"

# the submitting citizen: one dossier every 1/RATE s, each with its own idempotency key; its name carries the marker
submit_loop() {
  local i=0
  while [ ! -e "$stop_file" ]; do
    i=$((i + 1))
    curl -s -m 10 -o "$work/submit-$i.json" -w '%{http_code} %{time_total}\n' -X POST "$base/api/v1/dossiers" \
      -H "Authorization: Bearer $citizen" -H "Content-Type: application/json" -H "Idempotency-Key: $marker-$i" \
      -d '{"procedureCode":"1.002804","agencyCode":"000.00.01.H22","applicant":{"kind":"CITIZEN",
        "idNumber":"001089012345","fullName":"Nguyễn Văn Thử '"$marker"'","phone":"0912345678"},
        "documents":[{"name":"Đơn đề nghị","kind":"FORM","contentHash":"'"$hash"'","sizeBytes":2048}]}' \
      >>"$work/submits" || echo "000 0" >>"$work/submits"
    sleep "$(awk -v r="$rate" 'BEGIN { print 1 / r }')"
  done
}
# the inspector: a search every 1/SEARCH_RATE s, each answer's status and time kept with the moment it was asked
search_loop() {
  while [ ! -e "$stop_file" ]; do
    local at
    at="$(date +%s%N)"
    echo "$at $(curl -s -m 10 -o /dev/null -w '%{http_code} %{time_total}' -X POST "$query/api/v1/search/dossiers" \
      -H "Authorization: Bearer $inspector" -H "Content-Type: application/json" \
      -d '{"q":"thu","size":20}' || echo "000 0")" >>"$work/searches"
    sleep "$(awk -v r="$search_rate" 'BEGIN { print 1 / r }')"
  done
}
# the cluster's health as a node that stays sees it, each change told
health_loop() {
  local last=""
  while [ ! -e "$stop_file" ]; do
    local h now
    h="$(health)"
    now="$(json_field status "$h") nodes=$(json_field number_of_nodes "$h") active_shards=$(json_field active_shards "$h") unassigned=$(json_field unassigned_shards "$h")"
    if [ "$now" != "$last" ]; then say "cluster: $now"; last="$now"; fi
    sleep 1
  done
}

query_log_lines() { cat "$HOSO_DATA"/query-side*.log 2>/dev/null | wc -l; }
log_mark="$(query_log_lines)"
say "load: $rate dossiers/s submitted, $search_rate searches/s; the node on port $victim_port dies after $before s"
submit_loop & submit_pid=$!
search_loop & search_pid=$!
health_loop & health_pid=$!
sleep "$before"

victim_pid="$(cat "$victim_data-logs/es.pid")"
kill -9 "$victim_pid"
killed_ns="$(date +%s%N)"
say "killed the node on port $victim_port (pid $victim_pid, kill -9)"
sleep "$down"

say "starting the node on port $victim_port again"
new_pid="$(HOSO_ES_CLUSTER_PORTS="$cluster_ports" "$here/start-elasticsearch.sh" "$victim_port" "$victim_data" "$victim_log")"
back_ns="$(date +%s%N)"
say "the node is back (pid $new_pid); waiting for green"
for _ in $(seq 1 300); do
  [ "$(json_field status "$(health)")" = green ] && break
  sleep 1
done
green_ns="$(date +%s%N)"
say "green again, $(( (green_ns - back_ns) / 1000000 )) ms after the node answered"
sleep "$after"
touch "$stop_file"
wait "$submit_pid" "$search_pid" "$health_pid" 2>/dev/null || true

submitted="$(grep -c '^201 ' "$work/submits" || true)"
refused="$(grep -vc '^201 ' "$work/submits" || true)"
say "submitted: $submitted dossiers answered 201, $refused other answers ($(grep -v '^201 ' "$work/submits" | cut -d' ' -f1 | sort | uniq -c | tr '\n' ' '))"

# searches: by phase, every status, and the slowest
awk -v k="$killed_ns" -v b="$back_ns" -v g="$green_ns" '
  { phase = ($1 < k) ? "1 before the kill" : ($1 < b) ? "2 node dead" : ($1 < g) ? "3 node back, not green" : "4 green again"
    n[phase]++; st[phase, $2]++; if ($3 > mx[phase]) mx[phase] = $3; codes[$2] = 1 }
  END { for (p in n) { line = sprintf("searches, %-24s %4d:", p, n[p]); for (c in codes) if (st[p, c]) line = line sprintf(" %d x %s", st[p, c], c);
        printf "%s, slowest %.0f ms\n", line, mx[p] * 1000 } }' "$work/searches" | sort

# every submitted dossier is in search: the index takes them within moments (poll with a deadline)
found=0
for _ in $(seq 1 120); do
  answer="$(curl -s -X POST "$query/api/v1/search/dossiers" -H "Authorization: Bearer $inspector" \
    -H "Content-Type: application/json" -d '{"q":"'"$marker"'","size":1}')"
  found="$(json_field total "$answer")"
  [ "${found:-0}" -ge "$submitted" ] && break
  sleep 0.5
done
say "in search: $found of the $submitted dossiers submitted during the run"
repairs="$(cat "$HOSO_DATA"/query-side*.log 2>/dev/null | tail -n +"$((log_mark + 1))" | grep -c 'completeness check: read model' || true)"
say "repairs the query side made by itself during the run (its log): $repairs"
say "the comparator (POST /api/v1/operator/completeness-checks, every dossier of the store against each read model):"
curl -fsS -X POST -H "Authorization: Bearer $operator" "$query/api/v1/operator/completeness-checks"
echo
rm -rf "$work"
if [ "${found:-0}" -ne "$submitted" ] || [ "$repairs" -ne 0 ]; then
  echo "es-kill-node: FAILED: $found of $submitted in search, $repairs repairs" >&2
  exit 1
fi
echo "es-kill-node: passed"
