#!/usr/bin/env bash
# Load test of `blastmap serve` on loopback with wrk (docs/security.md, "Limits"): imports datasets/acme-ai
# into a scratch store, serves it, warms up, then runs wrk with a mix of blast/rank/graph/node/paths/query
# requests (scripts/loadtest.lua) and reports throughput, p50/p99 latency, non-2xx answers, socket errors
# and the server's resident memory at start, after the warm-up and at the end.
#
#   scripts/loadtest.sh [--duration S] [--connections N] [--threads T] [--warmup S]
#                       [--binary PATH] [--work DIR] [--check] [--max-growth-kb K]
#
# --check exits 1 when any request failed (non-2xx, socket error, timeout) or the resident memory grew by
# more than --max-growth-kb (default 20480) between the end of the warm-up and the end of the run.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=30 connections=64 threads=2 warmup=5 binary=build/blastmap work="" check=0 max_growth_kb=20480
while (($#)); do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --check) check=1; shift ;;
    --max-growth-kb) max_growth_kb=$2; shift 2 ;;
    *) echo "loadtest.sh: unknown argument $1 (see the header of this script)" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "loadtest.sh: wrk is missing (make deps installs it)" >&2; exit 2; }
[[ -x $binary ]] || { echo "loadtest.sh: no blastmap binary at $binary (build first, or --binary)" >&2; exit 2; }

tmp="" server=""
# Under AddressSanitizer, freed memory waits in a quarantine (256 MiB by default) and the allocator keeps
# freed pages unless told to return them: both read as growth.
if [[ -n ${BLASTMAP_LOADTEST_ASAN_QUARANTINE_MB:-} ]]; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=$BLASTMAP_LOADTEST_ASAN_QUARANTINE_MB:allocator_release_to_os_interval_ms=500"
fi
if [[ -z $work ]]; then work=$(mktemp -d); tmp=$work; fi
mkdir -p "$work"
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [[ -n $tmp ]]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
db=$work/loadtest.db
rm -f "$db" "$db-wal" "$db-shm"
"$binary" import datasets/acme-ai --db "$db" -q

# The files exist before the server starts: its shell opens them only once it runs, and the `sed` below,
# under set -e, would stop this script on a file not there yet.
: > "$work/serve.out"
: > "$work/serve.err"
"$binary" serve --port 0 --quiet --db "$db" > "$work/serve.out" 2> "$work/serve.err" &
server=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's|.*at http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")
  [[ -n $port ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
[[ -n $port ]] || { echo "loadtest.sh: the server did not start" >&2; exit 1; }
url=http://127.0.0.1:$port
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$server/status"; }

rss_start=$(rss)
wrk -t "$threads" -c "$connections" -d "${warmup}s" --timeout 15s -s scripts/loadtest.lua "$url" > "$work/warmup.txt"
rss_warm=$(rss)
wrk -t "$threads" -c "$connections" -d "${duration}s" --timeout 15s --latency -s scripts/loadtest.lua "$url" \
  > "$work/wrk.txt"
rss_end=$(rss)
alive=1
kill -0 "$server" 2>/dev/null || alive=0

result=$(grep '^RESULT' "$work/wrk.txt")
echo "loadtest: ${duration}s, $connections connections, $threads wrk threads against $url"
echo "$result" | sed 's/^RESULT /loadtest: /'
echo "loadtest: server RSS ${rss_start} kB at start, ${rss_warm} kB after a ${warmup}s warm-up, ${rss_end} kB at the end"

if ((check)); then
  failed=0
  get() { echo "$result" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  for key in non2xx connect_errors read_errors write_errors timeouts; do
    if (($(get $key) != 0)); then echo "loadtest: FAIL: $key = $(get $key)" >&2; failed=1; fi
  done
  if (($(get requests) == 0)); then echo "loadtest: FAIL: no request completed" >&2; failed=1; fi
  if ((rss_end - rss_warm > max_growth_kb)); then
    echo "loadtest: FAIL: RSS grew by $((rss_end - rss_warm)) kB after the warm-up (limit $max_growth_kb kB)" >&2
    failed=1
  fi
  if ((!alive)); then echo "loadtest: FAIL: the server died" >&2; cat "$work/serve.err" >&2; failed=1; fi
  ((failed == 0)) && echo "loadtest: OK"
  exit $failed
fi
