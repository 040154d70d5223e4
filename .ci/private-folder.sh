#!/usr/bin/env bash
# As root (the default in containers and CI), clone into a folder only root can enter, with a strict
# umask, install from the lockfile and run one small test file: the test suite's embedded Postgres
# must start there (it runs as the `postgres` user, who cannot enter that folder).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
started=$(date +%s)
if [ "$(id -u)" != 0 ]; then echo "private-folder: skipped (not root)"; exit 0; fi
umask 077
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
git clone -q "$repo" "$dir/app"
cd "$dir/app"
npm ci --no-audit --no-fund --loglevel=error > /dev/null
npx vitest run test/integration/health.test.ts
echo "private-folder: Postgres started and stopped from a 0700 folder as root in $(( $(date +%s) - started )) s"
