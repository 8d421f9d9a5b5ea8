# NATS helpers for integration tests (sourced after lib.bash; not a test).
# A real nats-server with JetStream on a free 127.0.0.1 port, its store in
# $TMP, stopped by its PID (never by name).
NATS_SERVER=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
NATS_PID=""
NATS_PORT=""
NATS_URL_T=""
NATS_STORE="$TMP/nats-store"

# free_port: prints a TCP port on 127.0.0.1 nobody listens on
free_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# nats_start [PORT]: starts the server (same port and store on a restart)
# and waits until it accepts connections
nats_start() {
	[ -x "$NATS_SERVER" ] || fail "nats-server not found (make deps installs it)"
	NATS_PORT=${1:-${NATS_PORT:-$(free_port)}}
	NATS_URL_T="nats://127.0.0.1:$NATS_PORT"
	mkdir -p "$NATS_STORE"
	"$NATS_SERVER" -js -a 127.0.0.1 -p "$NATS_PORT" -sd "$NATS_STORE" >>"$TMP/nats-server.log" 2>&1 &
	NATS_PID=$!
	local i
	for i in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null; then
			return 0
		fi
		kill -0 "$NATS_PID" 2>/dev/null || fail "nats-server exited: $(tail -5 "$TMP/nats-server.log")"
		sleep 0.05
	done
	fail "nats-server did not listen on $NATS_PORT"
}

# nats_stop: SIGINT (clean exit 0) to our server by its PID, then reap it
nats_stop() {
	[ -n "$NATS_PID" ] || return 0
	kill -INT "$NATS_PID" 2>/dev/null || true
	wait "$NATS_PID" 2>/dev/null || true
	NATS_PID=""
}

# nats_kill: SIGKILL (a crash), then reap it
nats_kill() {
	[ -n "$NATS_PID" ] || return 0
	kill -KILL "$NATS_PID" 2>/dev/null || true
	wait "$NATS_PID" 2>/dev/null || true
	NATS_PID=""
}

# stops the server when the test ends, then removes $TMP
trap 'nats_stop; rm -rf "$TMP"' EXIT

# make_result DIR MACHINE: writes one new result file with a fresh run id
# under DIR (benchkeep run on a trivial suite) and prints its path
make_result() {
	local dir=$1 machine=$2
	[ -f "$TMP/true.json" ] || cat >"$TMP/true.json" <<'JSON'
{"suites": [{"name": "t", "benchmarks": [{"name": "true", "cmd": ["true"], "runs": 2, "warmup": 0}]}]}
JSON
	(cd "$TMP" && BENCHKEEP_MACHINE="$machine" "$BENCHKEEP" run -c "$TMP/true.json" --out "$dir" | tail -1)
}

# branch_ids REPO BRANCH: run ids of the result files on BRANCH, one a line, sorted
branch_ids() {
	git -C "$1" ls-tree -r --name-only "$2" | sed -n 's#.*/\([^/]*\)\.json$#\1#p' | sort
}

# nats_raw_pub SUBJECT DATA: a plain core-NATS publish (no validation, no
# message id) over the text protocol, as a foreign or broken client would
nats_raw_pub() {
	$PY - "$NATS_PORT" "$1" "$2" <<'PYEOF'
import socket, sys
port, subj, data = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
s = socket.create_connection(("127.0.0.1", port), timeout=5)
f = s.makefile("rb")
f.readline()  # INFO
s.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\n')
s.sendall(b"PUB %s %d\r\n%s\r\nPING\r\n" % (subj.encode(), len(data), data))
line = f.readline()
while line.startswith(b"+OK"):
    line = f.readline()
if not line.startswith(b"PONG"):
    sys.exit("unexpected reply: %r" % line)
s.close()
PYEOF
}
