#!/bin/bash
# NATS overhead on loopback: runs the built-in "nats" suite against a private
# nats-server -js (free loopback port, temporary store) and prints median and
# p99 per benchmark and payload. Client and server share this machine's cores.
# Usage: tests/perf/nats_suite.sh [MESSAGES] [PAYLOAD...]   (default 10000; 16 1024 65536)
set -euo pipefail
cd "$(dirname "$0")/../.."
MSGS=${1:-10000}
shift || true
PAYLOADS=${*:-16 1024 65536}
BK=${BENCHKEEP:-$PWD/build/benchkeep}
PY=/usr/bin/python3
NS=$(command -v nats-server || echo /usr/sbin/nats-server)
TMP=$(mktemp -d)
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$NS" -js -a 127.0.0.1 -p "$PORT" -sd "$TMP/store" >"$TMP/server.log" 2>&1 &
NPID=$!
trap 'kill -INT $NPID; wait $NPID 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
cat >"$TMP/c.json" <<JSON
{"suites": [{"name": "nats", "type": "nats", "url": "nats://127.0.0.1:$PORT",
             "payloads": [$(echo $PAYLOADS | tr ' ' ',')], "messages": $MSGS}]}
JSON
f=$(cd "$TMP" && "$BK" run -c "$TMP/c.json" --out "$TMP/res" | tail -1)
$PY - "$f" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
print("%-28s %8s %14s %14s %s" % ("benchmark", "payload", "median", "p99", "unit"))
for b in d["benchmarks"]:
    s = b["stats"]
    print("%-28s %8s %14.2f %14.2f %s" % (b["name"].split("/")[0], b["params"]["payload"],
          s["median"], s["p99"], b["unit"]))
PYEOF
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), loopback, nats-server $("$NS" --version | awk '{print $NF}')"
