/* natsio: what the NATS-facing modules (nats_suite, publish, record) share:
 * connecting with errors that name the server URL, turning nats.c statuses
 * into bk_error messages, and making sure the results stream exists.
 * Only collector/ files that talk to NATS include this header (and through
 * it <nats/nats.h>). */
#ifndef BK_NATSIO_H
#define BK_NATSIO_H

#include <nats/nats.h>

#define NATSIO_DEFAULT_URL "nats://127.0.0.1:4222"
#define NATSIO_DEFAULT_STREAM "BENCHKEEP"
#define NATSIO_DEFAULT_SUBJECT "benchkeep.results"

/* Connection flags. */
#define NATSIO_SEND_ASAP 1 /* write each message at once (no 1 ms flush coalescing) */
#define NATSIO_RECONNECT 2 /* reconnect forever (every 250 ms) after a loss */

/* $NATS_URL when set and not empty, else NATSIO_DEFAULT_URL. Not owned. */
const char *natsio_default_url(void);

/* Connects to `url` (2 s connect timeout) with client name `name`. Returns
 * 0, or -1 with bk_error "cannot connect to NATS server 'URL': reason".
 * The caller destroys *out with natsConnection_Destroy. The first call also
 * arranges for nats_Close() at process exit. */
int natsio_connect(natsConnection **out, const char *url, const char *name, int flags);

/* Records "MSG: <nats status text> (<last nats error>)" as bk_error, with
 * the JetStream error code when jerr is non-zero; returns -1. */
int natsio_error(natsStatus s, int jerr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Makes sure stream `stream` exists; creates it (file storage, subjects
 * "PREFIX.>") when it does not. 0 or -1 with bk_error. */
int natsio_ensure_stream(jsCtx *js, const char *stream, const char *prefix);

/* Checks a subject prefix: non-empty tokens separated by '.', no spaces,
 * '*' or '>'. 0 or -1 with bk_error naming `what`. */
int natsio_check_prefix(const char *prefix, const char *what);

/* Milliseconds of CLOCK_MONOTONIC, for timeouts. */
long long natsio_now_ms(void);

#endif
