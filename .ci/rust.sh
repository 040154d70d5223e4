#!/usr/bin/env bash
# CI for clients/rust: cargo test (unit, shared vectors, and the integration tests against `npm run dev`),
# built offline from Debian's packaged crates. Ends with `rust: N passed, N failed` for .ci/run's count.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)

packages=(cargo rustc librust-base64-dev librust-hex-dev librust-ring-dev librust-serde-dev
  librust-serde-derive-dev librust-serde-json-dev librust-sha2-dev librust-ureq-dev)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "== apt-get install ${missing[*]}"
  # Another job may hold dpkg's lock for a while: wait for it rather than fail.
  apt-get update -qq && apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null || {
    echo "rust: 0 passed, 1 failed"; exit 1; }
fi

# Source replacement to /usr/share/cargo/registry, for this run only (a user builds from crates.io).
cargo_flags=(--config "$root/.ci/cargo-config.toml")

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
data_dir=$(mktemp -d "${TMPDIR:-/tmp}/maximus-rust-XXXXXX")
chmod 755 "$data_dir" # as root, initdb runs as `postgres` and must reach the folder
port=$(free_port)
inspector=$(free_port)
echo "== npm run dev on :$port (data in $data_dir)"
DEV_DATA_DIR="$data_dir" WRANGLER_SEND_METRICS=false setsid npm run dev -- --port "$port" \
  --inspector-port "$inspector" --persist-to "$data_dir/wrangler" >"$data_dir/dev.log" 2>&1 &
dev_pid=$!
stop_dev() {
  kill -INT -- -"$dev_pid" 2>/dev/null || return 0
  for _ in $(seq 1 30); do kill -0 "$dev_pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL -- -"$dev_pid" 2>/dev/null || true
}
trap stop_dev EXIT

healthy=0
for _ in $(seq 1 180); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then healthy=1; break; fi
  kill -0 "$dev_pid" 2>/dev/null || break
  sleep 0.5
done
if ((healthy == 0)); then
  echo "npm run dev did not become healthy; its log:"; tail -40 "$data_dir/dev.log"
  echo "rust: 0 passed, 1 failed"; exit 1
fi
echo "   up after $(( $(date +%s) - started )) s"

echo "== cargo test (clients/rust)"
log="$data_dir/cargo-test.log"
(cd clients/rust && MAXIMUS_API_URL="http://127.0.0.1:$port" DEV_DATA_DIR="$data_dir" \
  cargo test "${cargo_flags[@]}" 2>&1) | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}')
# A build failure runs no test at all: count it as one failure so it cannot pass silently.
if ((status != 0 && failed == 0)); then failed=1; fi
stop_dev
trap - EXIT
echo "== rust finished in $(( $(date +%s) - started )) s"
echo "rust: $passed passed, $failed failed"
exit "$status"
