#!/usr/bin/env bash
# Makes a new signing key for the sealed log: prints the signer key (secret: give it to the query side as
# HOSO_LOG_SIGNING_KEY, or in the file hoso.log.signing-key-file names) and, on the second line, its verifier key
# (public: inspectors and witnesses pin it; after a rotation it goes into HOSO_LOG_TRUSTED_KEYS).
# Usage: deploy/new-log-key.sh <origin>, e.g. deploy/new-log-key.sh dichvucong.gov.vn/hoso/log
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(ls shared-events/target/shared-events-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
if [ -z "$jar" ]; then
  ./mvnw -B -q -pl shared-events package -DskipTests
  jar=$(ls shared-events/target/shared-events-*.jar | grep -v -e sources -e tests | head -1)
fi
exec java -cp "$jar" vn.hoso.tlog.NewLogKey "$@"
