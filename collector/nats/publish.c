#include "collector/nats/publish.h"
#include "lib/base/error.h"
#include "lib/doc/machine.h"
#include "collector/nats/natsio.h"
#include "lib/doc/result.h"
#include "lib/base/strbuf.h"
#include "lib/base/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct publisher {
	natsConnection *nc;
	jsCtx *js;
	char *url, *stream, *subject;
};

void publisher_close(struct publisher *p)
{
	if (!p)
		return;
	jsCtx_Destroy(p->js);
	natsConnection_Destroy(p->nc);
	free(p->url);
	free(p->stream);
	free(p->subject);
	free(p);
}

int publisher_open(struct publisher **out, const struct publish_opts *o)
{
	*out = NULL;
	if (natsio_check_prefix(o->subject, "--subject") < 0)
		return -1;
	struct publisher *p = xcalloc(1, sizeof(*p));
	p->url = xstrdup(o->url);
	p->stream = xstrdup(o->stream);
	p->subject = xstrdup(o->subject);
	if (natsio_connect(&p->nc, o->url, "benchkeep-publish", 0) < 0)
		goto fail;
	natsStatus s = natsConnection_JetStream(&p->js, p->nc, NULL);
	if (s != NATS_OK) {
		natsio_error(s, 0, "cannot use JetStream on '%s'", o->url);
		goto fail;
	}
	if (natsio_ensure_stream(p->js, o->stream, o->subject) < 0) {
		bk_error_prefix("%s", o->url);
		goto fail;
	}
	*out = p;
	return 0;
fail:
	publisher_close(p);
	return -1;
}

/* "<prefix>.<machine>" where the machine name becomes one subject token */
static void subject_for(struct strbuf *sb, const char *prefix, const char *machine)
{
	strbuf_addf(sb, "%s.", prefix);
	size_t at = sb->len;
	machine_slug(sb, machine ? machine : "unknown", 64);
	for (size_t i = at; i < sb->len; i++)
		if (sb->buf[i] == '.')
			sb->buf[i] = '_';
}

int publisher_send(struct publisher *p, const char *name, const char *data, size_t len,
		   struct publish_ack *ack)
{
	struct bk_result r;
	struct strbuf subj = STRBUF_INIT;
	int rc = -1;
	memset(ack, 0, sizeof(*ack));
	result_init(&r);
	if (result_read_buf(&r, data, len, name) < 0)
		return -1;
	if (!r.run.id || !*r.run.id) {
		bk_error("%s: run.id: missing", name);
		goto out;
	}
	int64_t max = natsConnection_GetMaxPayload(p->nc);
	if (max > 0 && len > (size_t)max) {
		bk_error("%s: %zu bytes, over the server's max_payload of %lld bytes", name, len,
			 (long long)max);
		goto out;
	}
	subject_for(&subj, p->subject, r.run.machine.name);
	jsPubOptions po;
	jsPubOptions_Init(&po);
	po.MsgId = r.run.id;
	po.MaxWait = 5000;
	for (int attempt = 0;; attempt++) {
		jsPubAck *pa = NULL;
		jsErrCode jerr = 0;
		natsStatus s = js_Publish(&pa, p->js, subj.buf, data, (int)len, &po, &jerr);
		if (s == NATS_OK) {
			ack->run_id = xstrdup(r.run.id);
			ack->seq = pa->Sequence;
			ack->duplicate = pa->Duplicate;
			jsPubAck_Destroy(pa);
			rc = 0;
			break;
		}
		/* a lost ack or a server restarting: resending is safe, the
		 * message id makes the stream keep one copy */
		if ((s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS) && attempt < 3)
			continue;
		natsio_error(s, jerr, "%s: cannot publish to '%s' on '%s'", name, subj.buf, p->url);
		break;
	}
out:
	strbuf_release(&subj);
	result_release(&r);
	return rc;
}

int publisher_send_file(struct publisher *p, const char *path, struct publish_ack *ack)
{
	struct strbuf sb = STRBUF_INIT;
	memset(ack, 0, sizeof(*ack));
	if (strbuf_read_file(&sb, path) < 0) {
		int e = errno;
		strbuf_release(&sb);
		return bk_error("cannot read '%s': %s", path, strerror(e));
	}
	int rc = publisher_send(p, path, sb.buf, sb.len, ack);
	strbuf_release(&sb);
	return rc;
}
