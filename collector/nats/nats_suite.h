/* nats_suite: the built-in suite type "nats", which measures what NATS
 * costs an application against a server given by URL:
 *
 *   {"name": "nats", "type": "nats", "url": "nats://127.0.0.1:4222",
 *    "payloads": [16, 1024, 65536], "messages": 10000}
 *
 * Keys (all optional but name/type): url (default $NATS_URL, else
 * nats://127.0.0.1:4222), payloads (bytes, default [16, 1024, 65536]),
 * messages (measured messages per benchmark, default 10000), max_samples
 * (per-message samples kept per benchmark, default 1000, thinned by the
 * rule in thin.h), rounds (throughput rounds, default 5), jetstream ("auto"
 * (default): measured when the server has JetStream; true: required;
 * false: skipped).
 *
 * Per payload P it adds, named "<what>/payload=P" with params {"payload": P}:
 *   publish_latency            us, time a core publish call takes (default
 *                              connection options: buffered, 1 ms flusher)
 *   publish_throughput         msgs/s (bigger), `messages` publishes plus a
 *                              flush (server round trip), once per round
 *   publish_subscribe_latency  us, publish to delivery in a subscriber on a
 *                              second connection, one message in flight
 *   request_reply_rtt          us, request to reply from a responder on its
 *                              own connection in the same process
 *   jetstream_publish_ack      us, JetStream publish until the stream's
 *                              ack (file storage, temporary stream)
 * The latency measurements use connections that write at once (SendAsap),
 * as a latency-sensitive application would; each runs min(messages, 1000)
 * unmeasured messages first. */
#ifndef BK_NATS_SUITE_H
#define BK_NATS_SUITE_H

#include <stddef.h>

#include "lib/doc/config.h"
#include "collector/run/runopts.h"

/* Runs suite s (its raw JSON object; `index` is its position in the
 * config, for error key paths) into r. Returns the number of benchmarks
 * added, or -1 with bk_error set: a config error names the file and key
 * path, an unreachable server names the URL; r may then hold benchmarks
 * measured before the failure (the caller writes no result). Progress
 * goes to o->say, the note of an absent JetStream to bk_note. Plugged into
 * the runner as a suite type (run.h: run_builtin_suite_types). */
int nats_suite_run(const struct bk_config *cfg, size_t index, const struct run_opts *o,
		   struct bk_result *r);

#endif
