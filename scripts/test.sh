#!/usr/bin/env bash
# `npm test`: unit, integration (own PostgreSQL and Redis) and browser tests.
# Extra arguments go to vitest, e.g. `npm test -- --project unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
exec node_modules/.bin/vitest run "$@"
