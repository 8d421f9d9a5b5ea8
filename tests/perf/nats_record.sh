#!/bin/bash
# Recorder ingest rate: results/s committed by `benchkeep record` per batch
# size, with and without fsync. M results (copies of one real result with
# distinct run ids) are published once to a JetStream stream on a private
# nats-server (free loopback port, temporary store); then for each setting a
# recorder with its own durable consumer and a fresh repository drains them
# all. rate = M / (wall time - idle-exit wait); cpu = the recorder's user +
# system CPU time per result (steadier than the rate on a shared machine).
# Usage: tests/perf/nats_record.sh [M] [BATCH...]   (default 1000; 1 10 100 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
M=${1:-1000}
shift || true
BATCHES=${*:-1 10 100 1000}
BK=${BENCHKEEP:-$PWD/build/benchkeep}
PY=/usr/bin/python3
NS=$(command -v nats-server || echo /usr/sbin/nats-server)
TMP=$(mktemp -d)
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$NS" -js -a 127.0.0.1 -p "$PORT" -sd "$TMP/store" >"$TMP/server.log" 2>&1 &
NPID=$!
trap 'kill -INT $NPID; wait $NPID 2>/dev/null; rm -rf "$TMP"' EXIT
URL=nats://127.0.0.1:$PORT
for i in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done

echo '{"suites":[{"name":"p","benchmarks":[{"name":"true","cmd":["true"],"runs":5}]}]}' >"$TMP/c.json"
one=$(cd "$TMP" && "$BK" run -c "$TMP/c.json" --out "$TMP/one" | tail -1)
$PY - "$one" "$TMP/res" "$M" <<'PYEOF'
import json, os, sys
src, out, m = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(src))
os.makedirs(out)
base = d["run"]["id"]
for i in range(m):
    d["run"]["id"] = "%s-%05d" % (base, i)
    with open(os.path.join(out, "%05d.json" % i), "w") as f:
        json.dump(d, f, indent=2)
PYEOF
t0=$(date +%s.%N)
"$BK" publish --nats "$URL" "$TMP"/res/*.json >/dev/null
t1=$(date +%s.%N)
size=$(stat -c %s "$TMP/res/00000.json")
echo "published $M results of $size bytes in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s (sync publish, one ack each)"

IDLE=1
printf '%-7s %-6s %10s %12s %9s %14s\n' batch fsync seconds "results/s" commits "cpu ms/result"
for b in $BATCHES; do
	for fs in on off; do
		repo="$TMP/repo-$b-$fs"
		git init -q "$repo"
		extra=()
		[ $fs = off ] && extra=(--no-fsync)
		t0=$(date +%s.%N)
		# `times` in the subshell: user and system CPU of its child, the recorder
		(
			"$BK" record --nats "$URL" --repo "$repo" --durable "perf-$b-$fs" --batch "$b" \
				--idle-exit $IDLE "${extra[@]}" 2>"$TMP/rec.err"
			times >"$TMP/times"
			tail -1 "$TMP/times" | sed 's/m/ /g; s/s//g' | awk '{print $1*60+$2, $3*60+$4}' >"$TMP/cpu"
		)
		t1=$(date +%s.%N)
		n=$(git -C "$repo" ls-tree -r --name-only benchmark-data | wc -l)
		[ "$n" = "$M" ] || { echo "only $n of $M recorded"; cat "$TMP/rec.err"; exit 1; }
		c=$(git -C "$repo" rev-list --count benchmark-data)
		cpu=$(tail -1 "$TMP/cpu")
		awk -v a="$t0" -v z="$t1" -v m="$M" -v b="$b" -v f="$fs" -v i=$IDLE -v c="$c" -v cpu="$cpu" \
			'BEGIN{s=z-a-i; split(cpu, t, " "); printf "%-7s %-6s %10.2f %12.0f %9d %14.3f\n", b, f, s, m/s, c, (t[1]+t[2])*1000/m}'
	done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(df -T "$TMP" | awk 'NR==2{print $2}') tmp"
