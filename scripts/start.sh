#!/usr/bin/env bash
# `npm start`: run the whole platform locally (see scripts/run.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-deps.sh
# exec: signals (Ctrl-C, SIGTERM) go straight to the launcher.
exec node_modules/.bin/tsx scripts/run.ts
