#!/usr/bin/env bash
# Compares every dossier in the event store (or those with events since a moment) with each read model of the query
# side, repairs what is behind, and prints the counts.
#   deploy/check-completeness.sh [QUERY_URL] [SINCE]      e.g. deploy/check-completeness.sh http://localhost:8081 2026-11-01T00:00:00Z
set -euo pipefail
query="${1:-http://localhost:8081}"
since="${2:-}"
url="$query/api/v1/operator/completeness-checks"
[ -n "$since" ] && url="$url?since=$since"
curl -fsS -X POST -H 'X-Dev-Role: OPERATOR' -H 'X-Dev-Actor: operator-cli' "$url"
echo
