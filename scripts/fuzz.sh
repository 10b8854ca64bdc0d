#!/usr/bin/env bash
# scripts/fuzz.sh TARGET SECONDS: builds the libFuzzer binary of one fuzz target with clang (in build-fuzz/,
# apart from the normal build) and runs it for SECONDS on one core, niced, seeded with the corpus that
# tests/fuzz/seeds.txt names (copied at run time into build-fuzz/corpus/TARGET, which grows between runs)
# and the kept regressions. A crash, a hang (over 10 s for one input) or a memory blow-up (over 2 GB) stops
# the run and leaves the input in build-fuzz/artifacts/TARGET/; fix it, then keep it in
# tests/fuzz/regressions/TARGET/ so CTest replays it. Targets: see BLASTMAP_FUZZ_TARGETS in CMakeLists.txt.
# Needs clang-14 and libclang-rt-14-dev (scripts/install-deps.sh --fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -ne 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh TARGET SECONDS" >&2
  exit 2
fi
target=$1 seconds=$2
if [[ ! -f tests/fuzz/${target}_fuzz.cc ]]; then
  echo "fuzz.sh: no target '$target'; targets: $(cd tests/fuzz && ls ./*_fuzz.cc | sed 's|./||; s|_fuzz.cc||' | tr '\n' ' ')" >&2
  exit 2
fi
for tool in clang-14 clang++-14; do
  command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool is missing: run scripts/install-deps.sh --fuzz" >&2; exit 1; }
done

build=build-fuzz
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBLASTMAP_FUZZ=ON \
  "${launcher[@]}" >/dev/null
nice -n 10 cmake --build "$build" -j 2 --target "fuzz_$target"

# The seeds: every file of the paths tests/fuzz/seeds.txt names, plus the kept regressions.
corpus=$build/corpus/$target seeds=$build/seeds/$target
rm -rf "$seeds"
mkdir -p "$corpus" "$seeds" "$build/artifacts/$target" "$build/logs"
paths=$(awk -v t="$target" '$1 == t { for (i = 2; i <= NF; ++i) print $i }' tests/fuzz/seeds.txt)
for path in $paths tests/fuzz/regressions/$target; do
  [[ -e $path ]] || continue
  find "$path" -type f -not -name '.*' | while read -r file; do
    cp "$file" "$seeds/$(echo "$file" | tr '/' '_')"
  done
done
if [[ $target == native_json ]]; then
  # Native manifests in JSON: the shipped YAML dataset, converted (Debian's python3-yaml).
  find datasets/acme-ai -name '*.yaml' | while read -r file; do
    /usr/bin/python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout, indent=1, default=str)' \
      "$file" >"$seeds/$(echo "$file" | tr '/' '_').json"
  done
fi

log=$build/logs/$target.log
echo "fuzz.sh: fuzzing $target for ${seconds}s (log: $log; corpus: $corpus, $(ls "$corpus" | wc -l) inputs before)" >&2
set +e
ASAN_OPTIONS=detect_leaks=1 nice -n 10 "$build/fuzz_$target" "$corpus" "$seeds" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$build/artifacts/$target/" >"$log" 2>&1
status=$?
set -e
grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)|^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" >&2 || true
echo "fuzz.sh: $target: exit $status, corpus $(ls "$corpus" | wc -l) inputs, artifacts: $(ls "$build/artifacts/$target" | wc -l)" >&2
exit $status
