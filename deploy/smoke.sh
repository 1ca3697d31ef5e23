#!/usr/bin/env bash
# Walks one dossier through its whole life against a running stack (deploy/run.sh), printing each answer:
# submit, pay the submission fee, receive, request and hand in a supplement, process, transfer, complete a step,
# request and record a desk payment, extend the deadline, issue and return the result, rate; then the history.
# When the query side answers (QUERY_URL), it also checks that the dossier shows up in the officer queue while it is
# processed, in search (without diacritics), in its timeline, and that the satisfaction report counts its rating.
# Every call carries an access token of the development authorization server (deploy/token.sh: citizen-an submits,
# officer-h22 handles, the payment platform records the online payment); it also checks some refusals: no token,
# another citizen, a citizen recording an online payment, an analyst searching, the metrics without the operator.
#   deploy/smoke.sh [BASE_URL] [QUERY_URL] [AUTH_URL]
# (defaults http://localhost:8080, http://localhost:8081 and $AUTH_URL, else http://localhost:9000; the demo
# credentials are read from $HOSO_DATA/auth/demo-credentials.properties, HOSO_DATA: deploy/data, as token.sh does)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
base="${1:-http://localhost:8080}"
query="${2:-http://localhost:8081}"
auth="${3:-${AUTH_URL:-http://localhost:9000}}"
export HOSO_DATA="${HOSO_DATA:-$here/data}"
api="$base/api/v1/dossiers"
bearer() { # bearer ACCOUNT: the Authorization header of a token for a demo account
  local token
  token="$("$here/token.sh" "$1" "$auth")" || {
    echo "smoke: no token for $1 from $auth (is the authorization server up? deploy/run.sh starts it)" >&2
    exit 1
  }
  printf 'Authorization: Bearer %s' "$token"
}
citizen=(-H "$(bearer citizen-an)")
other_citizen=(-H "$(bearer citizen-binh)")
officer=(-H "$(bearer officer-h22)")
payment_platform=(-H "$(bearer payment-platform)")
operator=(-H "$(bearer operator)")
json=(-H "Content-Type: application/json" -H "Accept-Language: en")
hash="sha256:$(printf 'ab%.0s' $(seq 1 32))"
failures=0

step() { # step NAME EXPECTED_STATUS curl-args...
  local name="$1" expected="$2"; shift 2
  local out status body
  out="$(curl -s -w '\n%{http_code}' "$@")"
  status="${out##*$'\n'}"
  body="${out%$'\n'*}"
  printf '%-28s %s %s\n' "$name" "$status" "$body"
  if [ "$status" != "$expected" ]; then
    echo "  !! expected HTTP $expected" >&2
    failures=$((failures + 1))
  fi
  last="$body"
}
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p" <<<"$last" | head -n 1; }
has_query=0
curl -fs "$query/actuator/health/readiness" >/dev/null 2>&1 && has_query=1
inspector=(-H "$(bearer inspector)")
analyst=(-H "$(bearer analyst)")
expect() { # expect NAME TEXT curl-args...: polls a read model (projections follow the events within moments)
  local name="$1" text="$2"; shift 2
  [ "$has_query" = 1 ] || return 0
  local out=""
  for _ in $(seq 1 40); do
    out="$(curl -s "$@")"
    if grep -qF -- "$text" <<<"$out"; then
      printf '%-28s ok   %s\n' "$name" "$(cut -c1-160 <<<"$out")"
      return 0
    fi
    sleep 0.25
  done
  printf '%-28s FAILED: no "%s" in %s\n' "$name" "$text" "$(cut -c1-300 <<<"$out")" >&2
  failures=$((failures + 1))
}

step "submit" 201 "${json[@]}" "${citizen[@]}" "$api" -d '{"procedureCode":"1.002804","agencyCode":"000.00.01.H22",
  "applicant":{"kind":"CITIZEN","idNumber":"001089012345","fullName":"Nguyễn Văn Dũng","phone":"0912345678"},
  "documents":[{"name":"Đơn đề nghị đổi giấy phép lái xe","kind":"FORM","contentHash":"'"$hash"'","sizeBytes":2048}]}'
id="$(field dossierId)"
step "refused: no token" 401 "$api/$id/events"
step "refused: citizen pays online" 403 "${json[@]}" "${citizen[@]}" "$api/$id/payments" \
  -d '{"paymentReference":"SMOKE-CITIZEN-'"$$"'","method":"ONLINE","amount":115000}'
step "pay submission fee" 200 "${json[@]}" "${payment_platform[@]}" "$api/$id/payments" \
  -d '{"paymentReference":"SMOKE-'"$$"'","method":"ONLINE","amount":115000}'
step "receive" 200 "${json[@]}" "${officer[@]}" "$api/$id/receipt" -d '{}'
code="$(field dossierCode)"
secret="$(field lookupSecret)"
step "request supplement" 200 "${json[@]}" "${officer[@]}" "$api/$id/supplement-requests" \
  -d '{"missingItems":["Giấy khám sức khỏe"],"replyBy":"'"$(date -d '+10 days' +%F)"'","reason":"Thiếu giấy tờ"}'
step "supplement" 200 "${json[@]}" "${citizen[@]}" "$api/$id/supplements" \
  -d '{"documents":[{"name":"Giấy khám sức khỏe","kind":"HEALTH","contentHash":"'"$hash"'","sizeBytes":512}]}'
step "start processing" 200 "${json[@]}" "${officer[@]}" "$api/$id/processing" -d '{"unit":"Phòng Quản lý phương tiện"}'
expect "officer queue" "$id" "${officer[@]}" "$query/api/v1/queue?status=PROCESSING&size=200"
step "transfer" 200 "${json[@]}" "${officer[@]}" "$api/$id/transfers" \
  -d '{"fromUnit":"Phòng Quản lý phương tiện","toUnit":"Lãnh đạo Sở"}'
step "complete a step" 200 "${json[@]}" "${officer[@]}" "$api/$id/steps" -d '{"unit":"Lãnh đạo Sở","step":"Phê duyệt"}'
step "request payment" 200 "${json[@]}" "${officer[@]}" "$api/$id/payment-requests" \
  -d '{"feeItems":[{"code":"PHI-IN","name":"Phí in thẻ","amount":50000}]}'
step "record desk payment" 200 "${json[@]}" "${officer[@]}" "$api/$id/payments" \
  -d '{"paymentReference":"QUAY-'"$$"'","method":"AT_DESK","amount":50000}'
step "extend deadline" 200 "${json[@]}" "${officer[@]}" "$api/$id/deadline-extensions" \
  -d '{"reason":"Cần xác minh thêm","newDueAt":"'"$(date -u -d '+30 days' +%FT%TZ)"'"}'
step "issue result" 200 "${json[@]}" "${officer[@]}" "$api/$id/result" -d '{"decision":"APPROVED","documents":[]}'
step "illegal: issue again" 409 "${json[@]}" "${officer[@]}" "$api/$id/result" -d '{"decision":"APPROVED","documents":[]}'
step "return result" 200 "${json[@]}" "${officer[@]}" "$api/$id/result-return" -d '{"channel":"ONLINE"}'
step "rate" 200 "${json[@]}" "${citizen[@]}" "$api/$id/rating" -d '{"level":"VERY_SATISFIED","criteria":{
  "TOTAL_TIME_AGAINST_LIMIT":2,"TIME_AT_EACH_UNIT":2,"NUMBER_OF_CONTACTS":2,"NUMBER_OF_AGENCIES_CONTACTED":2,
  "HANDLED_AT_ONE_STOP_DESK":2,"PROCEDURE_PUBLISHED":2,"STAFF_ATTITUDE":2,"FEEDBACK_HANDLING":1,"ONLINE_SERVICE_QUALITY":2}}'
step "history" 200 "${officer[@]}" "$api/$id/events"
step "hidden: another's history" 404 "${other_citizen[@]}" "$api/$id/events"
step "refused: metrics, no token" 401 -o /dev/null "$base/actuator/prometheus"
step "metrics (operator)" 200 -o /dev/null "${operator[@]}" "$base/actuator/prometheus"
if [ "$has_query" = 1 ]; then
  echo
  echo "read models at $query:"
  expect "search: nguyen van dung" "$id" "${inspector[@]}" "${json[@]}" "$query/api/v1/search/dossiers" \
    -d '{"q":"nguyen van dung","size":200}'
  expect "timeline (14 steps)" '"sequence":13' "${citizen[@]}" "$query/api/v1/dossiers/$id/timeline?minVersion=13"
  expect "timeline label" "Đánh giá: rất hài lòng" "${citizen[@]}" "$query/api/v1/dossiers/$id/timeline"
  expect "satisfaction report" '"VERY_SATISFIED"' "${analyst[@]}" "$query/api/v1/reports/satisfaction?groupBy=agency"
  expect "timeliness report (CSV)" "000.00.01.H22" "${analyst[@]}" "$query/api/v1/reports/timeliness?groupBy=agency&format=csv"
  expect "public lookup (no account)" '"status":"RESULT_RETURNED"' "${json[@]}" "$query/api/v1/public/dossier-status" \
    -d '{"dossierCode":"'"$code"'","secret":"'"$secret"'"}'
  step "public lookup, wrong secret" 404 "${json[@]}" "$query/api/v1/public/dossier-status" \
    -d '{"dossierCode":"'"$code"'","secret":"AAAA-BBBB-CCCC-DDDD"}'
  step "hidden: another's timeline" 404 "${other_citizen[@]}" "$query/api/v1/dossiers/$id/timeline"
  step "refused: analyst searches" 403 "${analyst[@]}" "$query/api/v1/search/dossiers?status=RECEIVED"
  step "refused: query metrics" 401 -o /dev/null "$query/actuator/prometheus"
  step "query metrics (operator)" 200 -o /dev/null "${operator[@]}" "$query/actuator/prometheus"
else
  echo "(no query side at $query: read models not checked)"
fi
echo
if [ "$failures" -eq 0 ]; then
  echo "smoke test passed: dossier $id walked through its whole life"
else
  echo "smoke test FAILED: $failures unexpected answers" >&2
  exit 1
fi
