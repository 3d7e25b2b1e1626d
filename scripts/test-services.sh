#!/usr/bin/env bash
# Starts, stops or shows the test servers (Redis and a MongoDB-wire server) by hand:
#   eval "$(scripts/test-services.sh start)"   reuse or start them, and export REDIS_URL / MONGODB_URI
#   scripts/test-services.sh status
#   scripts/test-services.sh stop              stop what `start` started (never the machine's own servers)
# `npm test` does not need this: jest's global setup starts and stops them. See scripts/test-services.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/test-services.mjs "$@"
