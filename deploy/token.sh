#!/usr/bin/env bash
# Prints an access token of the development authorization server (deploy/auth-server) for a demo account, and
# nothing else on stdout:
#   deploy/token.sh ACCOUNT [AUTH_URL]
#   curl -H "Authorization: Bearer $(deploy/token.sh citizen-an)" http://localhost:8080/api/v1/dossiers
# ACCOUNT is a demo person (citizen-an, citizen-binh, business-hoa-phat, officer-h22, officer-h22b, inspector,
# analyst, operator), signed in the way the portal does it (authorization code with PKCE, the login form filled in
# without a browser), or a demo system (agency-system-h22, agency-system-h22b, payment-platform), which uses its
# client credentials. AUTH_URL defaults to $AUTH_URL, else http://localhost:9000. The passwords and secrets are
# read from $HOSO_DATA/auth/demo-credentials.properties (HOSO_DATA: deploy/data), which the server writes at its
# first start. Needs curl and openssl. Errors go to stderr, with a non-zero exit status.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

fail() {
  echo "token.sh: $*" >&2
  exit 1
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
account="$1"
auth_url="${2:-${AUTH_URL:-http://localhost:9000}}"
auth_url="${auth_url%/}"
credentials="${HOSO_DATA:-$root/deploy/data}/auth/demo-credentials.properties"
[ -r "$credentials" ] || fail "no $credentials: start the authorization server first (deploy/run.sh)"
portal=hoso-portal
redirect_uri=http://127.0.0.1:8080/login/callback

credential() { # credential KEY: its value in the credentials file, or nothing
  awk -F= -v key="$1" '$1 == key { value = $2 } END { sub(/\r$/, "", value); print value }' "$credentials"
}

access_token() { # access_token JSON: the access_token field of a token response
  local token
  token="$(printf '%s' "$1" | sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')"
  [ -n "$token" ] || fail "no access token in the answer of $auth_url/oauth2/token: $1"
  printf '%s\n' "$token"
}

secret="$(credential "client.$account")"
if [ -n "$secret" ]; then
  # the secret goes to curl through a pipe, never on its command line (which any user of the machine can read)
  response="$(curl -sS --config <(printf 'user = "%s:%s"\n' "$account" "$secret") \
    -d grant_type=client_credentials "$auth_url/oauth2/token")" \
    || fail "cannot reach $auth_url"
  access_token "$response"
  exit 0
fi

password="$(credential "user.$account")"
[ -n "$password" ] || fail "'$account' is not a demo account of $credentials"

jar="$(mktemp)"
trap 'rm -f "$jar"' EXIT
browse() { # browse CURL_ARGS...: one request with the cookie jar, redirects not followed; sets status and next
  local answer
  answer="$(curl -sS -o /dev/null -b "$jar" -c "$jar" -w '%{http_code} %{redirect_url}' "$@")" \
    || fail "cannot reach $auth_url"
  status="${answer%% *}"
  next="${answer#* }"
}

verifier="$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\n')"
challenge="$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')"

# the authorization request, which sends a browser that is not signed in to the login page
browse -G "$auth_url/oauth2/authorize" \
  --data-urlencode response_type=code --data-urlencode "client_id=$portal" \
  --data-urlencode "redirect_uri=$redirect_uri" --data-urlencode scope=openid \
  --data-urlencode "state=$(openssl rand -hex 8)" \
  --data-urlencode "code_challenge=$challenge" --data-urlencode code_challenge_method=S256
[ "$status" = 302 ] && [[ "$next" == */login ]] \
  || fail "the authorization request did not lead to the login page (HTTP $status $next)"

page="$(curl -sS -b "$jar" -c "$jar" "$auth_url/login")" || fail "cannot reach $auth_url"
csrf="$(printf '%s' "$page" | sed -n 's/.*name="_csrf"[^>]*value="\([^"]*\)".*/\1/p' | head -n 1)"
[ -n "$csrf" ] || fail "no CSRF token in the login page of $auth_url"

# signed in, the browser goes back to the saved authorization request
browse --data-urlencode "username=$account" --data-urlencode "password@"<(printf '%s' "$password") \
  --data-urlencode "_csrf=$csrf" "$auth_url/login"
[[ "$next" == *"/oauth2/authorize"* ]] \
  || fail "the login of '$account' was refused (HTTP $status $next); is $credentials the server's?"

# which redirects to the portal with the code: read it from the Location header, do not follow it
browse "$next"
[[ "$next" == "$redirect_uri?"* ]] || fail "no authorization code (HTTP $status $next)"
code="$(printf '%s' "$next" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')"
[ -n "$code" ] || fail "no authorization code in $redirect_uri's redirect"

response="$(curl -sS -d grant_type=authorization_code -d "code=$code" \
  --data-urlencode "redirect_uri=$redirect_uri" -d "client_id=$portal" -d "code_verifier=$verifier" \
  "$auth_url/oauth2/token")" || fail "cannot reach $auth_url"
access_token "$response"
