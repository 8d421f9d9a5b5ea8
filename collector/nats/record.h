/* record: the one process that takes results from a JetStream stream and
 * commits them to the results branch of a git repository.
 *
 * It reads a durable pull consumer in batches. Per batch: every message is
 * validated as a result (one that is not is terminated, so the server never
 * redelivers it, and a log line names its stream sequence and the error);
 * a result whose file (RESULTS_DIR/YYYY/MM/<run id>.json, as store.c names
 * it) is already on the branch, or earlier in the batch, is a duplicate;
 * the others go into ONE commit built from objects on top of the same tip
 * the duplicates were checked against (gitio_tip_*: a directory read once
 * per batch, one tree per directory level, the blobs in one pack; the work
 * tree and index of the repository are never touched; when another writer
 * moves the branch in between, check and commit are redone). Only after the branch ref points at that commit are the
 * messages acknowledged. A crash at any point therefore loses nothing (an
 * unacknowledged message is redelivered after the ack wait) and duplicates
 * nothing (the redelivered result is found on the branch). */
#ifndef BK_RECORD_H
#define BK_RECORD_H

#include <signal.h>
#include <stdio.h>

#define RECORD_MAX_BATCH 1000 /* the consumer's default max_ack_pending */

struct record_opts {
	const char *url, *stream, *subject, *durable;
	const char *repo, *branch, *results_dir;
	int batch;          /* at most this many messages per commit (1..RECORD_MAX_BATCH) */
	double idle_exit;   /* return after this many seconds without a message; 0: never */
	double ack_wait;    /* seconds before the server redelivers an unacked message */
	int fsync;          /* fsync objects and refs before acknowledging */
	FILE *log;          /* a line per commit and per rejected message; NULL: quiet */
	volatile sig_atomic_t *stop; /* set (by a signal handler): finish the batch, return */
};

struct record_stats {
	unsigned long committed;  /* results written */
	unsigned long duplicates; /* acknowledged without a second file */
	unsigned long rejected;   /* terminated as invalid */
	unsigned long commits;
};

/* Runs the recorder until *o->stop is set or --idle-exit expires. Fills st.
 * Returns 0, or -1 with bk_error set (server unreachable at start, stream
 * or consumer cannot be made, git write failed: the batch's messages are
 * then left unacknowledged for redelivery). */
int record_run(const struct record_opts *o, struct record_stats *st);

#endif
