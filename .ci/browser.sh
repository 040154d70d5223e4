#!/usr/bin/env bash
# /docs and the support console in a real browser with no network beyond this machine
# (scripts/check-docs-browser.mjs, scripts/check-console-browser.mjs; screenshots to $CONSOLE_SCREENSHOTS).
# Installs Debian's chromium when missing; waits for apt/dpkg if another job holds its lock.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  for attempt in $(seq 1 10); do
    if apt-get -o DPkg::Lock::Timeout=60 update -qq && apt-get -o DPkg::Lock::Timeout=60 install -y -qq chromium > /dev/null; then break; fi
    [ "$attempt" = 10 ] && { echo "browser: could not install chromium with apt-get"; echo "browser: 0 passed, 1 failed"; exit 1; }
    echo "browser: apt busy or failed (attempt $attempt), retrying in 10 s"; sleep 10
  done
fi
node scripts/check-docs-browser.mjs
node scripts/check-console-browser.mjs
echo "browser: CI step took $(( $(date +%s) - started )) s"
