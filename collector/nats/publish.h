/* publish: hands result files to a NATS JetStream stream, from where
 * `benchkeep record` commits them to git.
 *
 * Each file is validated as a result, then published to
 * "<subject prefix>.<machine slug>" with its run id as the JetStream message
 * id (Nats-Msg-Id), so the server drops a resend within the stream's
 * duplicate window (2 minutes by default); the recorder drops later resends
 * by run id. Every publish waits for the stream's acknowledgement. */
#ifndef BK_PUBLISH_H
#define BK_PUBLISH_H

#include <stddef.h>

struct publish_opts {
	const char *url;     /* NATS server URL */
	const char *stream;  /* stream name (created with file storage when missing) */
	const char *subject; /* subject prefix, e.g. "benchkeep.results" */
};

struct publisher;

/* Connects and makes sure the stream exists. *out is freed with
 * publisher_close. 0 or -1 with bk_error (naming the URL when unreachable). */
int publisher_open(struct publisher **out, const struct publish_opts *o);

/* What happened to one published result. */
struct publish_ack {
	char *run_id;       /* heap copy, caller frees */
	unsigned long long seq; /* stream sequence */
	int duplicate;      /* the server had it already (same message id) */
};

/* Validates `len` bytes of `data` as a result (`name` prefixes errors) and
 * publishes them, retrying a timed-out publish with the same message id.
 * Fills *ack on success. 0 or -1 with bk_error (nothing published when the
 * result is invalid). */
int publisher_send(struct publisher *p, const char *name, const char *data, size_t len,
		   struct publish_ack *ack);

/* Reads the file at `path` and publisher_send()s it. */
int publisher_send_file(struct publisher *p, const char *path, struct publish_ack *ack);

/* Closes the connection and frees p (NULL is fine). */
void publisher_close(struct publisher *p);

#endif
