#!/usr/bin/env bash
# CI for clients/rust, built offline from Debian's packaged crates:
# 1. cargo test (unit, shared vectors, the manager against a fake service, and the integration tests
#    against `npm run dev`);
# 2. the life of an install played with `license_cli` against `npm run dev` (activate, offline days, a clock
#    turned back, a frozen clock, a Stripe refund);
# 3. the unit tests built for x86_64-pc-windows-gnu with Debian's rustc 1.63 and run under wine.
# Ends with `rust: N passed, N failed` (all three) for .ci/run's count.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$(date +%s)

# winapi and its two import-library crates: cargo resolves Windows-only dependencies on Linux too.
packages=(cargo rustc librust-base64-dev librust-hex-dev librust-ring-dev librust-serde-dev
  librust-serde-derive-dev librust-serde-json-dev librust-sha2-dev librust-ureq-dev librust-winapi-dev
  librust-winapi-x86-64-pc-windows-gnu-dev librust-winapi-i686-pc-windows-gnu-dev
  libstd-rust-dev-windows gcc-mingw-w64-x86-64 wine wine64)
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
echo "   cargo test done after $(( $(date +%s) - started )) s"

# ---- the life of an install, with license_cli (built by cargo test) ----------------------------------
lifecycle_passed=0
lifecycle_failed=0
cli="$root/clients/rust/target/debug/examples/license_cli"
life="$data_dir/lifecycle"
mkdir -p "$life"
# A JWKS holding only a retired key: the first key seen names an unknown kid, so the CLI fetches the JWKS once.
printf '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"RuB3WNxK0P_Axf23dV95gTiDe9jVFpG6mOMGJDvTaG0","kid":"retired"}]}\n' >"$life/stale-jwks.json"

# step <name> <decision> <reason|null> <cli args…>: one JSON line with exactly the issue's fields.
step() {
  local name=$1 decision=$2 reason=$3
  shift 3
  local out
  out=$("$cli" "$@" --state "$life/state" --server "http://127.0.0.1:$port" --jwks "$life/stale-jwks.json" 2>&1)
  if node -e '
    const [line, decision, reason] = process.argv.slice(1);
    const o = JSON.parse(line);
    const fields = ["decision", "reason", "tier", "next_check_at", "message_fr", "message_en"];
    const ok = JSON.stringify(Object.keys(o)) === JSON.stringify(fields) && o.decision === decision &&
      String(o.reason) === reason && o.message_fr.length > 0 && o.message_en.length > 0 &&
      (decision === "allow") === (o.tier === "base" || o.tier === "premium");
    process.exit(ok ? 0 : 1);
  ' "$out" "$decision" "$reason" 2>/dev/null; then
    lifecycle_passed=$((lifecycle_passed + 1)); echo "   ok   $name: $out"
  else
    lifecycle_failed=$((lifecycle_failed + 1)); echo "   FAIL $name (expected $decision/$reason): $out"
  fi
}

echo "== license_cli: the life of an install against npm run dev"
purchase=$(DEV_DATA_DIR="$life" npm run -s stripe:send -- purchase --tier premium --url "http://127.0.0.1:$port" 2>&1)
key=$(printf '%s\n' "$purchase" | sed -n 's/^key: //p' | head -1)
if [[ -z "$key" ]]; then
  lifecycle_failed=$((lifecycle_failed + 1)); echo "   FAIL stripe:send purchase printed no key: $purchase"
else
  day=86400
  t=$(date +%s)
  step "activate" allow null activate "$key" --now "$t"
  step "check online" allow null check --now "$t"
  # The seat is bound: the stored lease's cnf.jkt is the RFC 7638 thumbprint of the install key in the state.
  if node -e '
    const crypto = require("crypto");
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    // ring writes PKCS#8 v2 with the public key as its last 32 bytes (a form OpenSSL refuses to parse).
    const x = Buffer.from(s.install_key, "base64url").subarray(-32).toString("base64url");
    const jkt = crypto.createHash("sha256").update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest("base64url");
    const lease = JSON.parse(Buffer.from(s.lease.split(".")[1], "base64url"));
    process.exit(lease.cnf && lease.cnf.jkt === jkt ? 0 : 1);
  ' "$life/state/license.json"; then
    lifecycle_passed=$((lifecycle_passed + 1)); echo "   ok   the lease is bound to the install key (cnf.jkt)"
  else
    lifecycle_failed=$((lifecycle_failed + 1)); echo "   FAIL the lease is not bound to the install key"
  fi
  # Another install with the same machine id, key and lease copied, but its own key: not this seat.
  mkdir -p "$life/copy"
  node -e 'const fs = require("fs"); const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    delete s.install_key; fs.writeFileSync(process.argv[2], JSON.stringify(s));' "$life/state/license.json" "$life/copy/license.json"
  copied=$("$cli" check --now "$t" --state "$life/copy" --server "http://127.0.0.1:$port" --jwks "$life/stale-jwks.json" 2>&1)
  if grep -q '"reason":"invalid_proof"' <<<"$copied"; then
    lifecycle_passed=$((lifecycle_passed + 1)); echo "   ok   a copied install is refused: $copied"
  else
    lifecycle_failed=$((lifecycle_failed + 1)); echo "   FAIL a copied install was not refused: $copied"
  fi
  step "3 days offline" allow null check --offline --now $((t + 3 * day)) --elapsed 3600
  step "8 days offline" block offline_too_long check --offline --now $((t + 8 * day)) --elapsed 3600
  step "clock turned back a day" block clock_rollback check --offline --now $((t + 7 * day)) --elapsed 60
  frozen=$(date +%s)
  step "online again (the server forgives the clock)" allow null check --now "$frozen"
  for n in 1 2 3 4 5 6 7; do
    step "clock frozen, day $n of use" allow null check --offline --now "$frozen" --elapsed "$day"
  done
  step "clock frozen, day 8 of use" block offline_too_long check --offline --now "$frozen" --elapsed "$day"
  refund=$(DEV_DATA_DIR="$life" npm run -s stripe:send -- refund --url "http://127.0.0.1:$port" 2>&1)
  echo "   stripe:send refund: $(printf '%s\n' "$refund" | tail -1)"
  step "online check after the refund" block revoked check
  step "status offline stays revoked" block revoked status --offline
  step "deactivate" block not_activated deactivate
fi
echo "   lifecycle: $lifecycle_passed passed, $lifecycle_failed failed"
stop_dev
trap - EXIT
echo "   dev server stopped after $(( $(date +%s) - started )) s"

# ---- without its transport feature the crate has no HTTP client at all ----------------------------------
echo "== cargo tree --no-default-features: no HTTP client"
no_http_passed=0
no_http_failed=0
tree=$(cd clients/rust && cargo tree "${cargo_flags[@]}" --no-default-features --edges normal 2>&1)
if [[ -n "$tree" ]] && ! grep -Eq 'ureq|rustls|reqwest|hyper' <<<"$tree"; then
  no_http_passed=1; echo "   ok   $(grep -c '' <<<"$tree") crates, none of ureq/rustls/reqwest/hyper"
else
  no_http_failed=1; echo "   FAIL an HTTP client in the tree:"; echo "$tree"
fi

# ---- Windows: the unit tests cross-built with Debian's rustc 1.63, run under wine --------------------
# Without the default `ureq` feature: Debian's rustls-native-certs drops its Windows dependency
# (schannel), so ureq's TLS stack does not build for Windows here. The manager, the store, the protocol,
# the policy, the messages and MachineGuid through the registry API are all in the build.
echo "== cargo test --target x86_64-pc-windows-gnu (Debian rustc 1.63), run under wine"
win_log="$data_dir/windows-test.log"
winapi_libs="$data_dir/winapi-libs"
mkdir -p "$winapi_libs"
# Debian's winapi-x86_64-pc-windows-gnu ships no import libraries; mingw-w64 has them under their own names.
for a in /usr/x86_64-w64-mingw32/lib/lib*.a; do
  n=$(basename "$a" .a); ln -sf "$a" "$winapi_libs/libwinapi_${n#lib}.a"
done
win_flags=("${cargo_flags[@]}" --target x86_64-pc-windows-gnu --target-dir "$root/clients/rust/target/windows"
  --config 'target.x86_64-pc-windows-gnu.linker="x86_64-w64-mingw32-gcc"'
  --config "target.x86_64-pc-windows-gnu.rustflags=[\"-L\",\"$winapi_libs\"]")
win_status=0
executables=$(cd clients/rust && RUSTC=/usr/bin/rustc /usr/bin/cargo test --no-run --no-default-features \
  "${win_flags[@]}" --message-format=json 2>"$data_dir/windows-build.log" |
  grep -o '"executable":"[^"]*/deps/[^"]*"' | sed 's/"executable":"//; s/"$//')  # tests, not the examples
if [[ -z "$executables" ]]; then
  win_status=1; echo "   the Windows build failed:"; tail -30 "$data_dir/windows-build.log"
  echo "test result: FAILED. 0 passed; 1 failed; (windows build)" >"$win_log"
else
  export WINEPREFIX="$data_dir/wine" WINEDEBUG=-all
  # Create the prefix first (its first-run noise, and exit status, are not a test's).
  wineboot -u >/dev/null 2>&1 || true
  : >"$win_log"
  for exe in $executables; do
    (cd clients/rust && wine "$exe" 2>&1) | tee -a "$win_log" | grep -E '^test result|FAILED|panicked'
  done
  # Every executable must have reported (a crash under wine prints no result line).
  results=$(grep -c '^test result' "$win_log")
  (( results != $(wc -w <<<"$executables") )) && win_status=1
  wineserver -k 2>/dev/null || true
  rm -rf "$WINEPREFIX"
fi
win_passed=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$win_log" | awk '{s+=$4} END {print s+0}')
win_failed=$(grep -Eo '[0-9]+ failed;' "$win_log" | awk '{s+=$1} END {print s+0}')
if ((win_status != 0 && win_failed == 0)); then win_failed=1; fi
echo "   windows: $win_passed passed, $win_failed failed"

passed=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}')
# A build failure runs no test at all: count it as one failure so it cannot pass silently.
if ((status != 0 && failed == 0)); then failed=1; fi
passed=$((passed + lifecycle_passed + no_http_passed + win_passed))
failed=$((failed + lifecycle_failed + no_http_failed + win_failed))
((lifecycle_failed != 0 || no_http_failed != 0 || win_failed != 0 || win_status != 0)) && status=1
echo "== rust finished in $(( $(date +%s) - started )) s"
echo "rust: $passed passed, $failed failed"
exit "$status"
