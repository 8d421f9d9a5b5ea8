#!/bin/bash
# The steps of .github/workflows/benchmarks.yml run locally end to end
# (tests/workflow/run-local.sh: temporary clone and origin, local
# nats-server with JetStream, runs, record, baseline, summary, comment,
# gate, site). Its checks are listed in its output.
. "$(dirname "$0")/lib.bash"
start=$(date +%s)
BENCHKEEP="$BENCHKEEP" bash "$BK_ROOT/tests/workflow/run-local.sh" || fail "run-local.sh failed"
echo "run-local.sh took $(($(date +%s) - start)) s"
