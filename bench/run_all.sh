#!/bin/sh
# Every benchmark of docs/benchmarks.md, with its default settings, one after the other:
#
#   ./uvw run sh bench/run_all.sh            (about 25 minutes on a 2-core machine)
#
# Each result is printed and written as JSON under bench/results/ (the QuickFIX
# comparison needs QuickFIX: tests/interop/quickfix/install.sh). Run it on a quiet
# machine: the figures are wall-clock rates and latencies.
set -eu
cd "$(dirname "$0")/.."
out=bench/results
mkdir -p "$out"
run() { echo "== $*"; "$@"; }

run python bench/engine_bench.py --json "$out/engine.json"
run python bench/memory_bench.py --json "$out/memory.json"
run python bench/fix_bench.py --json "$out/fix.json"
run python bench/fix_bench.py --db --json "$out/fix_db.json"
run python bench/protocols_bench.py --json "$out/protocols.json"
run python bench/protocols_bench.py --db --json "$out/protocols_db.json"
run python bench/daemon_bench.py
run python bench/bots_bench.py --json "$out/bots.json"
run python bench/fix_daemon_rss.py --sessions 1000 | tee "$out/fix_daemon_rss.txt"

# QuickFIX's own example exchange, then exsim, under the same QuickFIX load client
run python bench/quickfix_ordermatch.py --runs 3 --orders 10000 --json "$out/quickfix_ordermatch.jsonl"
ready=$(mktemp -d)/ready.json
exsim serve --config bench/quickfix_exsim.toml --ready-file "$ready" > "$out/quickfix_exsim_serve.log" 2>&1 &
daemon=$!
trap 'kill -INT $daemon 2>/dev/null || true' EXIT
i=0
while [ ! -f "$ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
run python bench/quickfix_ordermatch.py --against fix --port 9890 --target-comp-id EXSIM \
    --runs 3 --orders 10000 --json "$out/quickfix_exsim.jsonl"
