#include "record.h"
#include "error.h"
#include "gitio.h"
#include "json.h"
#include "natsio.h"
#include "result.h"
#include "store.h"
#include "strbuf.h"
#include "xalloc.h"

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
	int dup;
};

struct recorder {
	const struct record_opts *o;
	struct record_stats *st;
	struct gitio *g;
	natsConnection *nc;
	char *ref; /* refs/heads/BRANCH */
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

/* Validates one message into it; 0, or -1 with bk_error (invalid). */
static int parse_item(struct recorder *rc, natsMsg *m, struct item *it)
{
	struct bk_result r;
	struct strbuf name = STRBUF_INIT;
	int ret = -1;
	result_init(&r);
	strbuf_addf(&name, "message %s/%llu", rc->o->stream, msg_seq(m));
	const char *data = natsMsg_GetData(m);
	int len = natsMsg_GetDataLength(m);
	if (result_read_buf(&r, data ? data : "", len > 0 ? (size_t)len : 0, name.buf) < 0)
		goto out;
	if (!r.run.id || !*r.run.id) {
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

/* Handles one fetched batch; the messages stay owned by the list. */
static int process_batch(struct recorder *rc, natsMsgList *l)
{
	struct item *items = xcalloc((size_t)l->Count, sizeof(*items));
	struct gitio_file *files = xcalloc((size_t)l->Count, sizeof(*files));
	size_t n = 0, nfiles = 0;
	int ret = -1;
	for (int i = 0; i < l->Count; i++) {
		natsMsg *m = l->Msgs[i];
		struct item *it = &items[n];
		if (parse_item(rc, m, it) < 0) {
			natsStatus s = natsMsg_Term(m, NULL);
			logf_(rc, "rejected %s (subject '%s'; terminated%s)", bk_last_error(),
			      natsMsg_GetSubject(m),
			      s == NATS_OK ? "" : ", but the server did not take the termination");
			rc->st->rejected++;
			continue;
		}
		it->msg = m;
		n++;
		for (size_t k = 0; k + 1 < n && !it->dup; k++)
			it->dup = !strcmp(items[k].path, it->path);
		if (!it->dup) {
			char *old = NULL;
			size_t oldlen;
			int r = gitio_read_file(rc->g, rc->ref, it->path, &old, &oldlen);
			free(old);
			if (r < 0) {
				bk_error_prefix("cannot look up '%s' on '%s'", it->path, rc->o->branch);
				goto out;
			}
			it->dup = r == 0;
		}
		if (it->dup) {
			rc->st->duplicates++;
			logf_(rc, "duplicate %s (already on '%s'), acknowledged", it->run_id,
			      rc->o->branch);
			continue;
		}
		files[nfiles].path = it->path;
		files[nfiles].data = it->content;
		files[nfiles].len = it->len;
		nfiles++;
	}
	if (nfiles) {
		struct strbuf msg = STRBUF_INIT;
		char *sha = NULL;
		strbuf_addf(&msg, "benchkeep: record %zu result(s) from NATS\n\n", nfiles);
		for (size_t i = 0; i < n; i++)
			if (!items[i].dup)
				strbuf_addf(&msg, "%s\n", items[i].run_id);
		int r = gitio_commit_files(rc->g, rc->o->branch, files, nfiles, msg.buf, &sha);
		strbuf_release(&msg);
		if (r < 0) {
			free(sha);
			bk_error_prefix("cannot commit to '%s'", rc->o->branch);
			goto out;
		}
		rc->st->committed += nfiles;
		rc->st->commits++;
		logf_(rc, "committed %zu result(s) to '%s' as %.12s", nfiles, rc->o->branch, sha);
		free(sha);
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
	free(files);
	items_free(items, n);
	return ret;
}

int record_run(const struct record_opts *o, struct record_stats *st)
{
	struct recorder rc = { o, st, NULL, NULL, NULL };
	struct strbuf ref = STRBUF_INIT, filter = STRBUF_INIT;
	jsCtx *js = NULL;
	natsSubscription *sub = NULL;
	int ret = -1;
	memset(st, 0, sizeof(*st));
	if (natsio_check_prefix(o->subject, "--subject") < 0)
		return -1;
	gitio_set_fsync(o->fsync);
	if (gitio_open(&rc.g, o->repo) < 0)
		return -1;
	if (gitio_workdir(rc.g)) {
		char *sha = NULL, *head = NULL;
		int same = gitio_head(rc.g, &sha, &head) == 0 && head && !strcmp(head, o->branch);
		free(sha);
		free(head);
		if (same) {
			bk_error("refusing to record into '%s', the branch checked out in '%s' (its "
				 "work tree would fall behind): give another --branch", o->branch, o->repo);
			goto out;
		}
	}
	strbuf_addf(&ref, "refs/heads/%s", o->branch);
	rc.ref = ref.buf;
	strbuf_addf(&filter, "%s.>", o->subject);
	if (natsio_connect(&rc.nc, o->url, "benchkeep-record", NATSIO_RECONNECT) < 0)
		goto out;
	natsStatus s = natsConnection_JetStream(&js, rc.nc, NULL);
	if (s != NATS_OK) {
		natsio_error(s, 0, "cannot use JetStream on '%s'", o->url);
		goto out;
	}
	if (natsio_ensure_stream(js, o->stream, o->subject) < 0) {
		bk_error_prefix("%s", o->url);
		goto out;
	}
	jsSubOptions so;
	jsSubOptions_Init(&so);
	so.Stream = o->stream;
	so.Config.AckPolicy = js_AckExplicit;
	so.Config.DeliverPolicy = js_DeliverAll;
	so.Config.AckWait = (int64_t)(o->ack_wait * 1e9);
	jsErrCode jerr = 0;
	s = js_PullSubscribe(&sub, js, filter.buf, o->durable, NULL, &so, &jerr);
	if (s != NATS_OK) {
		natsio_error(s, jerr, "cannot make durable consumer '%s' on stream '%s' at '%s'",
			     o->durable, o->stream, o->url);
		goto out;
	}
	logf_(&rc, "reading '%s' (stream %s, consumer %s) into '%s' of '%s'", filter.buf,
	      o->stream, o->durable, o->branch, o->repo);
	long long last = natsio_now_ms();
	natsStatus last_err = NATS_OK;
	while (!*o->stop) {
		long long wait = 1000;
		if (o->idle_exit > 0) {
			long long left = last + (long long)(o->idle_exit * 1000) - natsio_now_ms();
			if (left <= 0) {
				logf_(&rc, "no message for %g s, exiting", o->idle_exit);
				break;
			}
			if (left < wait)
				wait = left;
		}
		if (wait < 10)
			wait = 10;
		natsMsgList l = { 0 };
		jerr = 0;
		s = natsSubscription_Fetch(&l, sub, o->batch, wait, &jerr);
		if (l.Count > 0) {
			last_err = NATS_OK;
			int r = process_batch(&rc, &l);
			natsMsgList_Destroy(&l);
			if (r < 0)
				goto out;
			last = natsio_now_ms(); /* idle time starts after the work */
			continue;
		}
		natsMsgList_Destroy(&l);
		if (s == NATS_OK || s == NATS_TIMEOUT)
			continue;
		if (s == NATS_CONNECTION_CLOSED) {
			natsio_error(s, jerr, "connection to '%s' closed", o->url);
			goto out;
		}
		if (s != last_err)
			logf_(&rc, "warning: fetch from '%s' failed: %s; retrying", o->url,
			      natsStatus_GetText(s));
		last_err = s;
		struct timespec ts = { 0, 250000000L };
		nanosleep(&ts, NULL);
	}
	ret = 0;
out:
	/* Destroy, not Unsubscribe: the durable consumer must outlive us */
	natsSubscription_Destroy(sub);
	jsCtx_Destroy(js);
	natsConnection_Destroy(rc.nc);
	gitio_close(rc.g);
	strbuf_release(&ref);
	strbuf_release(&filter);
	return ret;
}
