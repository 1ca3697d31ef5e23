#!/usr/bin/env bash
# Compares every dossier in the event store (or those with events since a moment) with each read model of the query
# side, repairs what is behind, and prints the counts. Runs as the demo operator, with an access token of the
# development authorization server (deploy/token.sh; AUTH_URL defaults to $AUTH_URL, else http://localhost:9000; the
# demo credentials are read from $HOSO_DATA/auth/demo-credentials.properties, HOSO_DATA: deploy/data).
#   deploy/check-completeness.sh [QUERY_URL] [SINCE] [AUTH_URL]
#   e.g. deploy/check-completeness.sh http://localhost:8081 2026-11-01T00:00:00Z
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
query="${1:-http://localhost:8081}"
since="${2:-}"
auth="${3:-${AUTH_URL:-http://localhost:9000}}"
export HOSO_DATA="${HOSO_DATA:-$here/data}"
url="$query/api/v1/operator/completeness-checks"
[ -n "$since" ] && url="$url?since=$since"
token="$("$here/token.sh" operator "$auth")" || {
  echo "check-completeness: no operator token from $auth (is the authorization server up?)" >&2
  exit 1
}
curl -fsS -X POST -H "Authorization: Bearer $token" "$url"
echo
