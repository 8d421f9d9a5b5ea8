# The "nats" suite type against a real nats-server -js on a free loopback port.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/nats_lib.bash"
nats_start
cd "$TMP"

cat >"$TMP/nats.json" <<JSON
{"suites": [{"name": "nats", "type": "nats", "url": "$NATS_URL_T",
             "payloads": [16, 4096], "messages": 300, "max_samples": 100, "rounds": 3}]}
JSON
expect_exit 0 "$BENCHKEEP" run -c "$TMP/nats.json" --out "$TMP/res"
file=$(echo "$OUT" | tail -1)
[ -f "$file" ] || fail "no result file: $OUT"
ok "suite ran, wrote $file"

# names, params, units, directions, thinning, and loopback-sensible figures
$PY - "$file" <<'PYEOF' || fail "result checks"
import json, sys
d = json.load(open(sys.argv[1]))
b = {x["name"]: x for x in d["benchmarks"]}
kinds = ["publish_latency", "publish_throughput", "publish_subscribe_latency",
         "request_reply_rtt", "jetstream_publish_ack"]
want = ["%s/payload=%d" % (k, p) for p in (16, 4096) for k in kinds]
assert sorted(b) == sorted(want), sorted(b)
for p in (16, 4096):
    for k in kinds:
        x = b["%s/payload=%d" % (k, p)]
        assert x["suite"] == "nats" and x["source"] == "nats", x
        assert x["params"] == {"payload": str(p)}, x["params"]
        s = x["stats"]
        assert s["min"] > 0 and s["min"] <= s["median"] <= s["p99"] <= s["max"], (k, s)
        if k == "publish_throughput":
            assert x["unit"] == "msgs/s" and x["direction"] == "bigger", x
            assert len(x["samples"]) == 3, x
            assert 1000 < s["median"] < 1e8, s          # msgs/s on loopback
            assert x["metrics"]["messages"] == 900
            assert x["metrics"]["mb_per_s"] > 0
        else:
            assert x["unit"] == "us" and x["direction"] == "smaller", x
            # 300 measured messages thinned by rank to 100 samples
            assert len(x["samples"]) == 100, len(x["samples"])
            assert x["metrics"]["messages"] == 300
            assert x["metrics"]["samples_thinned_from"] == 300
            assert x["samples"] == sorted(x["samples"])
            assert s["median"] < 100000, (k, s)         # < 100 ms on loopback
    # a publish call only buffers; a round trip goes through the server twice
    assert b["publish_latency/payload=%d" % p]["stats"]["median"] < \
           b["request_reply_rtt/payload=%d" % p]["stats"]["median"]
    assert b["request_reply_rtt/payload=%d" % p]["stats"]["median"] > 5
PYEOF
ok "10 benchmarks with payload params, thinned samples, sensible figures"

# NATS_URL is the default URL; --filter selects benchmarks
cat >"$TMP/nourl.json" <<JSON
{"suites": [{"name": "n", "type": "nats", "payloads": [0], "messages": 50}]}
JSON
NATS_URL="$NATS_URL_T" expect_exit 0 "$BENCHKEEP" run -c "$TMP/nourl.json" --out "$TMP/res2" \
	--filter 'request_reply'
file=$(echo "$OUT" | tail -1)
$PY -c "
import json, sys
d = json.load(open('$file'))
assert [x['name'] for x in d['benchmarks']] == ['request_reply_rtt/payload=0'], d['benchmarks']
assert len(d['benchmarks'][0]['samples']) == 50
" || fail "NATS_URL default / filter"
ok "NATS_URL as default URL, --filter, payload 0, no thinning under max_samples"

# unreachable server: exit 2, the URL named, no result file
dead=$(free_port)
cat >"$TMP/dead.json" <<JSON
{"suites": [{"name": "nats", "type": "nats", "url": "nats://127.0.0.1:$dead", "messages": 10}]}
JSON
expect_exit 2 "$BENCHKEEP" run -c "$TMP/dead.json" --out "$TMP/res3"
echo "$ERR" | grep -q "cannot connect to NATS server 'nats://127.0.0.1:$dead'" || fail "error: $ERR"
[ "$(echo "$ERR" | wc -l)" -eq 1 ] || fail "not one line: $ERR"
[ ! -e "$TMP/res3" ] || fail "a result was written: $(find "$TMP/res3")"
ok "unreachable server: exit 2, one line naming the URL, no result file"
NATS_URL="nats://127.0.0.1:$dead" expect_exit 2 "$BENCHKEEP" run -c "$TMP/nourl.json" --out "$TMP/res3"
echo "$ERR" | grep -q "nats://127.0.0.1:$dead" || fail "NATS_URL not used: $ERR"
ok "NATS_URL unreachable: named"

# config errors name the file and key path
printf '{"suites": [{"name": "n", "type": "nats", "payloads": [16, -5]}]}' >"$TMP/bad1.json"
expect_exit 2 "$BENCHKEEP" run -c "$TMP/bad1.json" --out "$TMP/res4"
echo "$ERR" | grep -q "bad1.json: suites\[0\].payloads\[1\]: expected an integer" || fail "$ERR"
printf '{"suites": [{"name": "n", "type": "nats", "mesages": 5}]}' >"$TMP/bad2.json"
expect_exit 2 "$BENCHKEEP" run -c "$TMP/bad2.json" --out "$TMP/res4"
echo "$ERR" | grep -q "bad2.json: suites\[0\].mesages: unknown key" || fail "$ERR"
printf '{"suites": [{"name": "n", "type": "nats", "url": "%s", "payloads": [2000000]}]}' \
	"$NATS_URL_T" >"$TMP/bad3.json"
expect_exit 2 "$BENCHKEEP" run -c "$TMP/bad3.json" --out "$TMP/res4"
echo "$ERR" | grep -q "suites\[0\].payloads\[0\]: 2000000 bytes is over the max_payload" || fail "$ERR"
[ ! -e "$TMP/res4" ] || fail "result written on a config error"
ok "config errors: key paths, max_payload"

# a server without JetStream: skipped under "auto", an error when required
plain_port=$(free_port)
"$NATS_SERVER" -a 127.0.0.1 -p "$plain_port" >"$TMP/plain.log" 2>&1 &
PLAIN_PID=$!
trap 'kill -INT $PLAIN_PID 2>/dev/null; wait $PLAIN_PID 2>/dev/null; nats_stop; rm -rf "$TMP"' EXIT
for i in $(seq 1 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$plain_port") 2>/dev/null && break
	sleep 0.05
done
cat >"$TMP/plain.json" <<JSON
{"suites": [{"name": "n", "type": "nats", "url": "nats://127.0.0.1:$plain_port",
             "payloads": [16], "messages": 20, "rounds": 1}]}
JSON
expect_exit 0 "$BENCHKEEP" run -c "$TMP/plain.json" --out "$TMP/res5"
echo "$ERR" | grep -q "no JetStream on" || fail "no note: $ERR"
file=$(echo "$OUT" | tail -1)
grep -q jetstream_publish_ack "$file" && fail "jetstream measured without JetStream"
[ "$($PY -c "import json; print(len(json.load(open('$file'))['benchmarks']))")" = 4 ] || fail "count"
sed 's/"rounds": 1/"rounds": 1, "jetstream": true/' "$TMP/plain.json" >"$TMP/plainjs.json"
expect_exit 2 "$BENCHKEEP" run -c "$TMP/plainjs.json" --out "$TMP/res6"
echo "$ERR" | grep -q "has no JetStream" || fail "$ERR"
ok "no JetStream: skipped with a note under auto, exit 2 when required"
echo "$checks checks passed"
