#!/usr/bin/env bash
# Reproduces every CP-SAT reference figure (run from anywhere; needs bench/cp-sat/.venv, see README):
#   - the reschedule bench, seeds 7 11 13: CP-SAT 10 s on 1 worker, 10 s and 60 s on 2 workers,
#     each answer checked and measured by evaluate.ts; Closeloop's own 10 s figure for the same seed
#     (bench/planning.ts on the current code);
#   - CP-SAT 60 s on 2 workers warm-started with Closeloop's own 10 s plan (closeloop-hint.ts): can
#     CP-SAT improve it?
#   - the job-shop instances (ta01–ta10, la01–la40) with CP-SAT at 10 s each, on 2 workers and on 1.
# Every measurement line carries the load average (`uptime`) taken just before it: the bench
# machine's 2 cores may be shared. Results go to $OUT (JSON lines), a summary to stdout.
#
#   bench/cp-sat/run.sh                       # everything, about 30 minutes
#   SEEDS="7" JSSP=0 bench/cp-sat/run.sh      # one seed, no job shop
#   CLOSELOOP=0 WARM=0 PARAMS="num_workers:2" bench/cp-sat/run.sh   # CP-SAT only; extra CP-SAT parameters
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py="$here/.venv/bin/python"
[ -x "$py" ] || { echo "no $py: cd bench/cp-sat && python3 -m venv .venv && .venv/bin/pip install -r requirements.txt" >&2; exit 1; }
SEEDS="${SEEDS:-7 11 13}"
OUT="${OUT:-/tmp/cpsat-results}"
PARAMS="${PARAMS:-}"
CLOSELOOP="${CLOSELOOP:-1}"
JSSP="${JSSP:-1}"
WARM="${WARM:-1}"
JSSP_ONLY="${JSSP_ONLY:-ta,la}"
JSSP_SECONDS="${JSSP_SECONDS:-10}"
JSSP_WORKERS="${JSSP_WORKERS:-2 1}"
mkdir -p "$OUT"
cd "$root"
load() { uptime | sed 's/.*load average: //'; }
# adds the load average and a label to a JSON line
tag() { "$py" -c 'import json,sys; d=json.loads(sys.stdin.read()); d.pop("starts",None); d.update(run=sys.argv[1], load=sys.argv[2]); print(json.dumps(d))' "$1" "$2"; }

for s in $SEEDS; do
  npx tsx bench/cp-sat/export.ts --seed "$s" > "$OUT/instance-$s.json"
  for run in "10 1" "10 2" "60 2"; do
    set -- $run
    name="cpsat-$s-${1}s-${2}w"
    l="$(load)"
    "$py" bench/cp-sat/solve.py "$OUT/instance-$s.json" --seconds "$1" --workers "$2" ${PARAMS:+--params "$PARAMS"} > "$OUT/$name.json"
    npx tsx bench/cp-sat/evaluate.ts --seed "$s" --solution "$OUT/$name.json" | tag "$name" "$l" | tee -a "$OUT/results.jsonl"
  done
  if [ "$CLOSELOOP" = 1 ]; then
    l="$(load)"
    npx tsx bench/planning.ts --work-orders 2000 --time-limit 10 --seed "$s" | tail -1 | tag "closeloop-$s-10s" "$l" | tee -a "$OUT/results.jsonl"
  fi
  if [ "$WARM" = 1 ]; then
    npx tsx bench/cp-sat/closeloop-hint.ts --seed "$s" --time-limit 10 > "$OUT/closeloop-plan-$s.json"
    name="cpsat-$s-60s-2w-closeloop-hint"
    l="$(load)"
    "$py" bench/cp-sat/solve.py "$OUT/instance-$s.json" --seconds 60 --workers 2 --hint-file "$OUT/closeloop-plan-$s.json" ${PARAMS:+--params "$PARAMS"} > "$OUT/$name.json"
    npx tsx bench/cp-sat/evaluate.ts --seed "$s" --solution "$OUT/$name.json" | tag "$name" "$l" | tee -a "$OUT/results.jsonl"
  fi
done

if [ "$JSSP" = 1 ]; then
  for w in $JSSP_WORKERS; do
    f="$OUT/jssp-${w}w.txt"
    echo "job shop: CP-SAT ${JSSP_SECONDS} s per instance, $w worker(s), load before: $(load)" | tee "$f"
    "$py" bench/cp-sat/jssp.py --only "$JSSP_ONLY" --seconds "$JSSP_SECONDS" --workers "$w" ${PARAMS:+--params "$PARAMS"} | tee -a "$f"
    echo "load after: $(load)" | tee -a "$f"
  done
fi
