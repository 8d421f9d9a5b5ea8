#!/bin/bash
# Waits until a nats-server answers on its monitoring port with JetStream
# enabled. Usage: tools/ci/nats-ready.sh MONITOR_URL [SECONDS]
# e.g. tools/ci/nats-ready.sh http://127.0.0.1:8222 30
# /healthz says the server is up; /jsz says whether JetStream is on (a
# server without it answers {"disabled": true}; /healthz?js-enabled-only
# does not tell on nats-server 2.9). Exit 0 ready, 1 not ready in time.
set -euo pipefail
url=${1:?usage: nats-ready.sh MONITOR_URL [SECONDS]}
secs=${2:-30}
get() { curl -fsS --max-time 2 "$url$1" 2>/dev/null; }
end=$((SECONDS + secs))
while [ $SECONDS -lt $end ]; do
	if health=$(get /healthz) && [[ $health == *'"ok"'* ]]; then
		jsz=$(get /jsz) || jsz=""
		if [ -n "$jsz" ] && ! [[ $jsz =~ \"disabled\":\ *true ]]; then
			echo "nats-ready: $url up with JetStream" >&2
			exit 0
		fi
	fi
	sleep 0.2
done
echo "nats-ready: $url not up with JetStream after ${secs}s (healthz: ${health:-none}; jsz: ${jsz:0:200})" >&2
exit 1
