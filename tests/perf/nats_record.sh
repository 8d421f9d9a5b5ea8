#!/bin/bash
# Recorder ingest rate: results/s committed to git by `benchkeep record` from
# JetStream, per batch size, with and without fsync. M results (copies of
# one real result with distinct run ids) are published once to a stream on
# a private nats-server (free loopback port, temporary store); then, ROUNDS
# times per setting, a recorder with its own durable consumer and a fresh
# repository drains them all. Time = from starting the recorder until its
# log line for the commit that holds the last result (so the --idle-exit
# wait is not counted, the start-up is); rate = M / time. cpu = the
# recorder's user + system CPU time per result (steadier than the rate on a
# shared machine). Every round checks that all M results are on the branch.
# Usage: tests/perf/nats_record.sh [M] [BATCH...]
#   defaults: M=10000, batches 100 500 1000; ROUNDS=5, FSYNC="on off"
set -euo pipefail
cd "$(dirname "$0")/../.."
M=${1:-10000}
shift || true
BATCHES=${*:-100 500 1000}
ROUNDS=${ROUNDS:-5}
FSYNC=${FSYNC:-on off}
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
load0=$(cut -d' ' -f1-3 /proc/loadavg)

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
t0=$EPOCHREALTIME
"$BK" publish --nats "$URL" "$TMP"/res/*.json >/dev/null
t1=$EPOCHREALTIME
size=$(stat -c %s "$TMP/res/00000.json")
echo "published $M results of $size bytes in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s (sync publish, one ack each)"

# stamp: prefixes each line read with the time it arrived
stamp() { while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }

printf '%-6s %-6s %8s %8s %s\n' batch fsync best median "results/s per round (commits; cpu ms/result, median)"
for b in $BATCHES; do
	for fs in $FSYNC; do
		rates=()
		cpus=()
		for r in $(seq 1 "$ROUNDS"); do
			repo="$TMP/repo-$b-$fs-$r"
			git init -q "$repo"
			extra=()
			[ "$fs" = off ] && extra=(--no-fsync)
			start=$EPOCHREALTIME
			# `times` in the subshell: user and system CPU of its child, the recorder
			( "$BK" record --nats "$URL" --repo "$repo" --durable "perf-$b-$fs-$r" --batch "$b" \
				--idle-exit 0.5 "${extra[@]}"; times >"$TMP/times" ) 2>&1 >/dev/null | stamp >"$TMP/rec.log"
			n=$(git -C "$repo" ls-tree -r --name-only benchmark-data | wc -l)
			[ "$n" = "$M" ] || { echo "only $n of $M recorded"; cat "$TMP/rec.log"; exit 1; }
			last=$(grep ' committed ' "$TMP/rec.log" | tail -1 | cut -d' ' -f1)
			c=$(git -C "$repo" rev-list --count benchmark-data)
			rates+=("$(awk -v a="$start" -v z="$last" -v m="$M" 'BEGIN{printf "%.0f", m/(z-a)}')")
			cpus+=("$(tail -1 "$TMP/times" | sed 's/m/ /g; s/s//g' |
				awk -v m="$M" '{printf "%.3f", ($1*60+$2+$3*60+$4)*1000/m}')")
			rm -rf "$repo"
		done
		best=$(printf '%s\n' "${rates[@]}" | sort -n | tail -1)
		median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}')
		cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}')
		printf '%-6s %-6s %8s %8s %s (%s; %s)\n' "$b" "$fs" "$best" "$median" "${rates[*]}" "$c" "$cpu"
	done
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(df -T "$TMP" | awk 'NR==2{print $2}') file system; load average $load0 before, $(cut -d' ' -f1-3 /proc/loadavg) after; $("$NS" --version)"
