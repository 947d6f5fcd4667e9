#!/usr/bin/env bash
# Start-up benchmark: wall-clock time from launching `./stackledger serve` on the embedded store to
# the first 200 from /healthz, over N restarts of the same data folder (the first run, which makes
# the TLS certificate, the database and the class cache, is reported apart).
# Usage: bench/startup.sh [runs]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
data="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
trap 'pkill -TERM -f "stackledger.jar serve --data-dir $data" 2>/dev/null || true; rm -rf "$data"' EXIT
./stackledger version >/dev/null   # builds the jar first if needed

one_run() {
  local start end
  start=$(date +%s%N)
  ./stackledger serve --data-dir "$data" --port "$port" >"$data/serve.log" 2>&1 &
  local pid=$!
  until curl -sf --cacert "$data/tls/server.pem" "https://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server died:"; cat "$data/serve.log"; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
}

echo "first start (certificate, database, class cache): $(one_run) ms"
times=()
for i in $(seq "$runs"); do times+=("$(one_run)"); done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "restarts: ${times[*]} ms; median ${sorted[$((runs / 2))]} ms, max ${sorted[$((runs - 1))]} ms"
echo "java: $(grep -o 'Java [0-9.+A-Za-z-]*' <(./stackledger version) || true)"
