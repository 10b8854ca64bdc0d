#!/bin/bash
# Renders the same briefs with two blastmap binaries and diffs them byte for byte: a manual check for changes
# that must not alter any output (the compact brief of docs/performance.md was checked with it).
#   tests/cli/compare_brief_outputs.sh OLD_BLASTMAP NEW_BLASTMAP [STORE SEEDS_FILE]
# Every node of datasets/acme-ai as the seed in table, JSON, Markdown and HTML (and with --max-depth 2 and
# --min-likelihood 0.5), `blast ... nodes` queries, a joint seed set, docs/examples queries, check (text, JSON,
# SARIF), what-if, diff and minimise; with STORE, every sixth seed of SEEDS_FILE in the four brief formats.
# NEW_BLAST_ARGS (environment) is added to every `blast` of NEW_BLASTMAP only: e.g. NEW_BLAST_ARGS="--max-nodes 0"
# to compare against a binary from before the default cap on listed nodes (table, markdown, html: 500).
# Exit 0 when every output is identical.
set -u
if [ $# -ne 2 ] && [ $# -ne 4 ]; then
  sed -n 2,10p "$0"
  exit 2
fi
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$1" import "$SRC/datasets/acme-ai" --db "$WORK/acme.db" > /dev/null || exit 2
sed -n '/^```yaml/,/^```/p' "$SRC/docs/what-if.md" | sed -n '1,/^```$/p' | grep -v '^```' > "$WORK/overlay.yaml"

render() {
  local B=$1 OUT=$2 ACME=$WORK/acme.db
  local X=(${3:-})  # extra arguments of every blast
  mkdir -p "$OUT"
  for id in $("$B" query --db "$ACME" -e 'nodes' --format csv | tail -n +2 | cut -d, -f1); do
    for f in table json markdown html; do
      "$B" blast "${X[@]}" "$id" --db "$ACME" --format $f --color never > "$OUT/acme-$id.$f" 2>&1
    done
    "$B" blast "${X[@]}" "$id" --db "$ACME" --format json --max-depth 2 > "$OUT/acme-$id.d2.json" 2>&1
    "$B" blast "${X[@]}" "$id" --db "$ACME" --format table --color never --min-likelihood 0.5 > "$OUT/acme-$id.m5.table" 2>&1
    "$B" query --db "$ACME" -e "blast '$id' nodes" --format csv > "$OUT/acme-$id.q.csv" 2>&1
    "$B" query --db "$ACME" -e "blast '$id' nodes with max depth 1" --format json > "$OUT/acme-$id.q1.json" 2>&1
    "$B" query --db "$ACME" -e "blast '$id'" --format markdown > "$OUT/acme-$id.qc.md" 2>&1
  done
  "$B" blast "${X[@]}" okta mixpanel aws --db "$ACME" --format json > "$OUT/joint.json" 2>&1
  "$B" blast "${X[@]}" okta mixpanel aws --db "$ACME" --format html > "$OUT/joint.html" 2>&1
  for q in "$SRC"/docs/examples/*.bmq; do
    for f in table json markdown csv; do "$B" query --db "$ACME" -f "$q" --format $f > "$OUT/q-$(basename "$q").$f" 2>&1; done
  done
  for f in text json sarif; do
    "$B" check --db "$ACME" --policy "$SRC/docs/examples/policy.yaml" --format $f > "$OUT/check.$f" 2>&1
  done
  for f in table json; do
    "$B" what-if "$WORK/overlay.yaml" --blast okta --blast mixpanel --db "$ACME" --format $f --color never > "$OUT/whatif.$f" 2>&1
    "$B" what-if "$WORK/overlay.yaml" --blast okta --db "$ACME" --format $f --color never --max-depth 2 > "$OUT/whatif2.$f" 2>&1
    "$B" diff 1 "$SRC/datasets/acme-ai" --db "$ACME" --format $f --color never > "$OUT/diff.$f" 2>&1
    "$B" minimise mixpanel --goal 'no user.contact' --db "$ACME" --format $f --color never > "$OUT/min.$f" 2>&1
  done
  if [ -n "${STORE:-}" ]; then
    for id in $(awk 'NR%6==1' "$SEEDS"); do
      for f in table json markdown html; do
        "$B" blast "${X[@]}" "$id" --db "$STORE" --format $f --color never > "$OUT/big-$id.$f" 2>&1
      done
    done
  fi
}

STORE=${3:-}
SEEDS=${4:-}
render "$1" "$WORK/old"
render "$2" "$WORK/new" "${NEW_BLAST_ARGS:-}"
echo "$(ls "$WORK/old" | wc -l) outputs compared"
diff -r "$WORK/old" "$WORK/new" > "$WORK/diff.txt" && { echo "identical"; exit 0; }
head -n 40 "$WORK/diff.txt"
exit 1
