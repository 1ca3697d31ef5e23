#!/usr/bin/env bash
# Fetches the access tokens a load test needs, before it runs (a token lives 30 minutes: keep a run shorter), with
# deploy/token.sh: the load-test citizens load-citizen-1 .. load-citizen-N (the authorization server knows them when
# started with HOSO_AUTH_LOAD_TEST_CITIZENS=N or more), and officer-h22, agency-system-h22, payment-platform,
# inspector and analyst. Writes a CSV account,role,token (readable by its owner only) for PortalMixSimulation:
#   deploy/load-test/tokens.sh N [OUT_CSV] [AUTH_URL]
# OUT_CSV defaults to deploy/load-test/target/tokens.csv, AUTH_URL to $AUTH_URL, else http://localhost:9000; the
# credentials are read from $HOSO_DATA/auth/demo-credentials.properties (HOSO_DATA: deploy/data), as token.sh does.
# TOKENS_PARALLEL (4) sign-ins run at once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ $# -lt 1 ] || [ $# -gt 3 ] || ! [[ "$1" =~ ^[1-9][0-9]*$ ]]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
citizens="$1"
out="${2:-$here/target/tokens.csv}"
auth="${3:-${AUTH_URL:-http://localhost:9000}}"
parallel="${TOKENS_PARALLEL:-4}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
accounts="$work/accounts"
{
  printf '%s officer\n' officer-h22
  printf '%s agency\n' agency-system-h22
  printf '%s payment\n' payment-platform
  printf '%s inspector\n' inspector
  printf '%s analyst\n' analyst
  for ((i = 1; i <= citizens; i++)); do printf 'load-citizen-%d citizen\n' "$i"; done
} >"$accounts"

started=$(date +%s)
# one file per account, named after it: a sign-in that fails three times leaves none, and is reported below
export TOKEN_SH="$root/deploy/token.sh" AUTH="$auth" WORK="$work"
xargs -P "$parallel" -n 2 sh -c '
  for attempt in 1 2 3; do
    if token="$("$TOKEN_SH" "$0" "$AUTH" 2>"$WORK/error.$0")"; then
      printf "%s,%s,%s\n" "$0" "$1" "$token" >"$WORK/token.$0"
      exit 0
    fi
    sleep 1
  done
  cat "$WORK/error.$0" >&2
' <"$accounts" || true

missing=0
while read -r account _; do
  if [ ! -s "$work/token.$account" ]; then
    echo "tokens.sh: no token for $account after three attempts (see the message above)" >&2
    missing=$((missing + 1))
  fi
done <"$accounts"
if [ "$missing" -gt 0 ]; then
  echo "tokens.sh: $missing of $(wc -l <"$accounts") sign-ins failed; is the authorization server at $auth started" \
    "with HOSO_AUTH_LOAD_TEST_CITIZENS=$citizens or more, and HOSO_DATA the stack's?" >&2
  exit 1
fi

mkdir -p "$(dirname "$out")"
(
  umask 077
  {
    echo "account,role,token"
    while read -r account _; do cat "$work/token.$account"; done <"$accounts"
  } >"$out.tmp"
)
mv "$out.tmp" "$out"
echo "tokens.sh: $(($(wc -l <"$out") - 1)) tokens in $out, fetched in $(($(date +%s) - started)) s;" \
  "they expire about 30 minutes from now ($(date -d '+30 min' +%H:%M))" >&2
