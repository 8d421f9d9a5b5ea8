#include "collector/nats/record.h"
#include "lib/base/error.h"
#include "lib/git/gitio.h"
#include "lib/doc/json.h"
#include "collector/nats/natsio.h"
#include "lib/doc/result.h"
#include "lib/doc/resultscan.h"
#include "collector/store.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct item {
	natsMsg *msg;
	char *path;    /* in the repository */
	char *content; /* canonical JSON of the result */
	size_t len;
	char *run_id;
	int dup;       /* 0, or DUP_BATCH / DUP_BRANCH */
};

#define DUP_BATCH 1  /* the same file earlier in the batch */
#define DUP_BRANCH 2 /* the file is on the branch already */

struct recorder {
	const struct record_opts *o;
	struct record_stats *st;
	struct gitio *g;
	natsConnection *nc;
};

static void logf_(const struct recorder *rc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void logf_(const struct recorder *rc, const char *fmt, ...)
{
	if (!rc->o->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("benchkeep: record: ", rc->o->log);
	vfprintf(rc->o->log, fmt, ap);
	fputc('\n', rc->o->log);
	fflush(rc->o->log);
	va_end(ap);
}

static unsigned long long msg_seq(natsMsg *m)
{
	jsMsgMetaData *meta = NULL;
	unsigned long long seq = 0;
	if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
		seq = meta->Sequence.Stream;
		jsMsgMetaData_Destroy(meta);
	}
	return seq;
}

/* Validates one message into it: the fast reader first (no cJSON tree);
 * what it is unsure of goes to the full reader, which accepts it or says
 * precisely what is wrong. 0, or -1 with bk_error (invalid). */
static int parse_item(struct recorder *rc, natsMsg *m, struct item *it)
{
	struct bk_result r;
	struct strbuf name = STRBUF_INIT;
	int ret = -1;
	const char *data = natsMsg_GetData(m);
	int len = natsMsg_GetDataLength(m);
	if (!data)
		data = "";
	if (result_scan_buf(&r, data, len > 0 ? (size_t)len : 0) != 0) {
		strbuf_addf(&name, "message %s/%llu", rc->o->stream, msg_seq(m));
		if (result_read_buf(&r, data, len > 0 ? (size_t)len : 0, name.buf) < 0)
			goto out;
	}
	if (!r.run.id || !*r.run.id) {
		if (!name.len)
			strbuf_addf(&name, "message %s/%llu", rc->o->stream, msg_seq(m));
		bk_error("%s: run.id: must not be empty", name.buf);
		goto out;
	}
	char *rel = store_relpath(&r);
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/%s", rc->o->results_dir, rel);
	free(rel);
	it->path = strbuf_detach(&path, NULL);
	cJSON *j = result_to_json(&r);
	it->content = json_print(j);
	cJSON_Delete(j);
	it->len = strlen(it->content);
	it->run_id = xstrdup(r.run.id);
	ret = 0;
out:
	strbuf_release(&name);
	result_release(&r);
	return ret;
}

static void items_free(struct item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].path);
		free(items[i].content);
		free(items[i].run_id);
	}
	free(items);
}

static int by_path(const void *a, const void *b, void *payload)
{
	const struct item *items = payload;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(items[x].path, items[y].path);
	return c ? c : (x > y) - (x < y);
}

/* Marks DUP_BATCH every item whose file an earlier item of the batch has
 * (sorted by path, then by position: the first stays). */
static void mark_batch_dups(struct item *items, size_t n)
{
	size_t *ix = xcalloc(n ? n : 1, sizeof(*ix));
	for (size_t i = 0; i < n; i++)
		ix[i] = i;
	qsort_r(ix, n, sizeof(*ix), by_path, items);
	for (size_t k = 1; k < n; k++)
		if (!strcmp(items[ix[k]].path, items[ix[k - 1]].path))
			items[ix[k]].dup = DUP_BATCH;
	free(ix);
}

/* Commits the batch's new files on top of the branch tip in one commit:
 * the duplicate check and the commit use the same tip, and when another
 * writer moves the branch in between, both are done again on the new tip.
 * *nfiles gets the number of files committed. 0 or -1 with bk_error. */
static int commit_batch(struct recorder *rc, struct item *items, size_t n, size_t *nfiles)
{
	struct gitio_file *files = xcalloc(n ? n : 1, sizeof(*files));
	struct strbuf msg = STRBUF_INIT;
	int ret = -1;
	*nfiles = 0;
	for (int attempt = 0; attempt < 50; attempt++) {
		struct gitio_tip *tip = NULL;
		size_t nf = 0;
		if (gitio_tip_read(rc->g, rc->o->branch, &tip) < 0)
			goto out;
		strbuf_reset(&msg);
		for (size_t i = 0; i < n; i++) {
			struct item *it = &items[i];
			if (it->dup == DUP_BRANCH)
				it->dup = 0; /* checked again on this tip */
			if (it->dup)
				continue;
			int r = gitio_tip_has(tip, it->path);
			if (r < 0) {
				bk_error_prefix("cannot look up '%s' on '%s'", it->path, rc->o->branch);
				gitio_tip_free(tip);
				goto out;
			}
			if (r) {
				it->dup = DUP_BRANCH;
				continue;
			}
			files[nf].path = it->path;
			files[nf].data = it->content;
			files[nf].len = it->len;
			nf++;
		}
		if (!nf) {
			gitio_tip_free(tip);
			ret = 0;
			goto out;
		}
		char *sha = NULL;
		strbuf_addf(&msg, "benchkeep: record %zu result(s) from NATS\n\n", nf);
		for (size_t i = 0; i < n; i++)
			if (!items[i].dup)
				strbuf_addf(&msg, "%s\n", items[i].run_id);
		int r = gitio_tip_commit(tip, files, nf, msg.buf, &sha);
		gitio_tip_free(tip);
		if (r == GITIO_MOVED) {
			struct timespec ts = { 0, 2000000L * (attempt + 1) };
			nanosleep(&ts, NULL);
			continue;
		}
		if (r < 0) {
			bk_error_prefix("cannot commit to '%s'", rc->o->branch);
			goto out;
		}
		logf_(rc, "committed %zu result(s) to '%s' as %.12s", nf, rc->o->branch, sha);
		free(sha);
		*nfiles = nf;
		ret = 0;
		goto out;
	}
	bk_error("cannot commit to '%s': the branch kept moving", rc->o->branch);
out:
	strbuf_release(&msg);
	free(files);
	return ret;
}

/* Handles one fetched batch; the messages stay owned by the list. */
static int process_batch(struct recorder *rc, natsMsgList *l)
{
	struct item *items = xcalloc((size_t)l->Count, sizeof(*items));
	size_t n = 0, nfiles = 0;
	int ret = -1;
	for (int i = 0; i < l->Count; i++) {
		natsMsg *m = l->Msgs[i];
		if (parse_item(rc, m, &items[n]) < 0) {
			natsStatus s = natsMsg_Term(m, NULL);
			logf_(rc, "rejected %s (subject '%s'; terminated%s)", bk_last_error(),
			      natsMsg_GetSubject(m),
			      s == NATS_OK ? "" : ", but the server did not take the termination");
			rc->st->rejected++;
			continue;
		}
		items[n++].msg = m;
	}
	mark_batch_dups(items, n);
	if (commit_batch(rc, items, n, &nfiles) < 0)
		goto out;
	if (nfiles) {
		rc->st->committed += nfiles;
		rc->st->commits++;
	}
	for (size_t i = 0; i < n; i++) {
		if (!items[i].dup)
			continue;
		rc->st->duplicates++;
		if (items[i].dup == DUP_BATCH)
			logf_(rc, "duplicate %s (twice in one batch), acknowledged", items[i].run_id);
		else
			logf_(rc, "duplicate %s (already on '%s'), acknowledged", items[i].run_id,
			      rc->o->branch);
	}
	/* fault injection for the crash tests: die in the window between the
	 * commit and the acknowledgements */
	if (nfiles && getenv("BENCHKEEP_TEST_KILL_AFTER_COMMIT"))
		raise(SIGKILL);
	/* the commit is written and the ref moved: now the messages may go */
	for (size_t i = 0; i < n; i++)
		natsMsg_Ack(items[i].msg, NULL);
	if (n) {
		natsStatus s = natsConnection_FlushTimeout(rc->nc, 5000);
		if (s != NATS_OK)
			logf_(rc, "warning: acknowledgements not confirmed (%s): the server will "
				  "redeliver and they will be found on the branch",
			      natsStatus_GetText(s));
	}
	ret = 0;
out:
	if (ret < 0) {
		/* leave the messages for redelivery; say so at once */
		for (size_t i = 0; i < n; i++)
			natsMsg_Nak(items[i].msg, NULL);
	}
	items_free(items, n);
	return ret;
}

/* Opens the repository, refusing the branch checked out in its work tree.
 * 0, or -1 with bk_error (rc->g may be open then). */
static int open_repo(struct recorder *rc)
{
	const struct record_opts *o = rc->o;
	if (gitio_open(&rc->g, o->repo) < 0)
		return -1;
	if (!gitio_workdir(rc->g))
		return 0;
	char *sha = NULL, *head = NULL;
	int same = gitio_head(rc->g, &sha, &head) == 0 && head && !strcmp(head, o->branch);
	free(sha);
	free(head);
	if (same)
		return bk_error("refusing to record into '%s', the branch checked out in '%s' (its "
				"work tree would fall behind): give another --branch", o->branch,
				o->repo);
	return 0;
}

/* Connects, makes sure the stream exists and binds the durable pull
 * consumer on `filter`. 0, or -1 with bk_error (what was made is in
 * rc->nc, *js, *sub for the caller to destroy). */
static int subscribe(struct recorder *rc, const char *filter, jsCtx **js, natsSubscription **sub)
{
	const struct record_opts *o = rc->o;
	if (natsio_connect(&rc->nc, o->url, "benchkeep-record", NATSIO_RECONNECT) < 0)
		return -1;
	natsStatus s = natsConnection_JetStream(js, rc->nc, NULL);
	if (s != NATS_OK)
		return natsio_error(s, 0, "cannot use JetStream on '%s'", o->url);
	if (natsio_ensure_stream(*js, o->stream, o->subject) < 0)
		return bk_error_prefix("%s", o->url);
	jsSubOptions so;
	jsSubOptions_Init(&so);
	so.Stream = o->stream;
	so.Config.AckPolicy = js_AckExplicit;
	so.Config.DeliverPolicy = js_DeliverAll;
	so.Config.AckWait = (int64_t)(o->ack_wait * 1e9);
	jsErrCode jerr = 0;
	s = js_PullSubscribe(sub, *js, filter, o->durable, NULL, &so, &jerr);
	if (s != NATS_OK)
		return natsio_error(s, jerr, "cannot make durable consumer '%s' on stream '%s' at '%s'",
				    o->durable, o->stream, o->url);
	return 0;
}

/* Fetches and records batches until *o->stop or idle_exit seconds without
 * a message. 0, or -1 with bk_error (a batch failed, the connection
 * closed). */
static int fetch_loop(struct recorder *rc, natsSubscription *sub)
{
	const struct record_opts *o = rc->o;
	long long last = natsio_now_ms();
	natsStatus last_err = NATS_OK;
	while (!*o->stop) {
		long long wait = 1000;
		if (o->idle_exit > 0) {
			long long left = last + (long long)(o->idle_exit * 1000) - natsio_now_ms();
			if (left <= 0) {
				logf_(rc, "no message for %g s, exiting", o->idle_exit);
				break;
			}
			if (left < wait)
				wait = left;
		}
		if (wait < 10)
			wait = 10;
		natsMsgList l = { 0 };
		jsErrCode jerr = 0;
		natsStatus s = natsSubscription_Fetch(&l, sub, o->batch, wait, &jerr);
		if (l.Count > 0) {
			last_err = NATS_OK;
			int r = process_batch(rc, &l);
			natsMsgList_Destroy(&l);
			if (r < 0)
				return -1;
			last = natsio_now_ms(); /* idle time starts after the work */
			continue;
		}
		natsMsgList_Destroy(&l);
		if (s == NATS_OK || s == NATS_TIMEOUT)
			continue;
		if (s == NATS_CONNECTION_CLOSED)
			return natsio_error(s, jerr, "connection to '%s' closed", o->url);
		if (s != last_err)
			logf_(rc, "warning: fetch from '%s' failed: %s; retrying", o->url,
			      natsStatus_GetText(s));
		last_err = s;
		struct timespec ts = { 0, 250000000L };
		nanosleep(&ts, NULL);
	}
	return 0;
}

int record_run(const struct record_opts *o, struct record_stats *st)
{
	struct recorder rc = { o, st, NULL, NULL };
	struct strbuf filter = STRBUF_INIT;
	jsCtx *js = NULL;
	natsSubscription *sub = NULL;
	int ret = -1;
	memset(st, 0, sizeof(*st));
	if (natsio_check_prefix(o->subject, "--subject") < 0)
		return -1;
	gitio_set_fsync(o->fsync);
	if (open_repo(&rc) < 0)
		goto out;
	strbuf_addf(&filter, "%s.>", o->subject);
	if (subscribe(&rc, filter.buf, &js, &sub) < 0)
		goto out;
	logf_(&rc, "reading '%s' (stream %s, consumer %s) into '%s' of '%s'", filter.buf,
	      o->stream, o->durable, o->branch, o->repo);
	ret = fetch_loop(&rc, sub);
out:
	/* Destroy, not Unsubscribe: the durable consumer must outlive us */
	natsSubscription_Destroy(sub);
	jsCtx_Destroy(js);
	natsConnection_Destroy(rc.nc);
	gitio_close(rc.g);
	strbuf_release(&filter);
	return ret;
}
