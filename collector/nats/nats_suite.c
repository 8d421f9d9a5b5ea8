#include "collector/nats/nats_suite.h"
#include "lib/base/error.h"
#include "collector/nats/natsio.h"
#include "lib/base/strbuf.h"
#include "collector/run/thin.h"
#include "lib/base/xalloc.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAYLOAD (64L * 1024 * 1024)
#define WAIT_MS 5000 /* a message not delivered or answered within this fails */

struct ncfg {
	const char *suite;
	const char *url;
	long *payloads;
	size_t npayloads;
	long messages, max_samples, rounds;
	int jetstream; /* -1 auto, 0 no, 1 required */
};

/* ---- config ------------------------------------------------------------ */

static int get_int(const char *file, const char *path, const cJSON *v, long lo, long hi, long *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < (double)lo || v->valuedouble > (double)hi)
		return bk_error("%s: %s: expected an integer from %ld to %ld", file, path, lo, hi);
	*out = (long)v->valuedouble;
	return 0;
}

static int parse_cfg(struct ncfg *c, const struct bk_config *cfg, size_t index)
{
	const struct bk_suite_cfg *s = &cfg->suites[index];
	const char *f = cfg->path;
	char p[300];
	const cJSON *e;
	static const long def_payloads[] = { 16, 1024, 65536 };
	c->suite = s->name;
	c->url = natsio_default_url();
	c->messages = 10000;
	c->max_samples = 1000;
	c->rounds = 5;
	c->jetstream = -1;
	cJSON_ArrayForEach(e, s->raw) {
		snprintf(p, sizeof(p), "suites[%zu].%.200s", index, e->string);
		if (!strcmp(e->string, "name") || !strcmp(e->string, "type") ||
		    !strcmp(e->string, "threshold")) {
			continue;
		} else if (!strcmp(e->string, "url")) {
			if (!cJSON_IsString(e) || !*e->valuestring)
				return bk_error("%s: %s: expected a non-empty string", f, p);
			c->url = e->valuestring;
		} else if (!strcmp(e->string, "payloads")) {
			if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) < 1 || cJSON_GetArraySize(e) > 100)
				return bk_error("%s: %s: expected an array of 1 to 100 sizes in bytes", f, p);
			c->npayloads = (size_t)cJSON_GetArraySize(e);
			c->payloads = xcalloc(c->npayloads, sizeof(long));
			size_t i = 0;
			const cJSON *v;
			cJSON_ArrayForEach(v, e) {
				snprintf(p, sizeof(p), "suites[%zu].payloads[%zu]", index, i);
				if (get_int(f, p, v, 0, MAX_PAYLOAD, &c->payloads[i]) < 0)
					return -1;
				for (size_t k = 0; k < i; k++)
					if (c->payloads[k] == c->payloads[i])
						return bk_error("%s: %s: duplicate payload size %ld", f, p,
								c->payloads[i]);
				i++;
			}
		} else if (!strcmp(e->string, "messages")) {
			if (get_int(f, p, e, 1, 10000000, &c->messages) < 0)
				return -1;
		} else if (!strcmp(e->string, "max_samples")) {
			if (get_int(f, p, e, 1, 1000000, &c->max_samples) < 0)
				return -1;
		} else if (!strcmp(e->string, "rounds")) {
			if (get_int(f, p, e, 1, 1000, &c->rounds) < 0)
				return -1;
		} else if (!strcmp(e->string, "jetstream")) {
			if (cJSON_IsBool(e))
				c->jetstream = cJSON_IsTrue(e) ? 1 : 0;
			else if (cJSON_IsString(e) && !strcmp(e->valuestring, "auto"))
				c->jetstream = -1;
			else
				return bk_error("%s: %s: expected true, false or \"auto\"", f, p);
		} else {
			return bk_error("%s: %s: unknown key for a suite of type 'nats'", f, p);
		}
	}
	if (!c->payloads) {
		c->npayloads = 3;
		c->payloads = xcalloc(3, sizeof(long));
		memcpy(c->payloads, def_payloads, sizeof(def_payloads));
	}
	return 0;
}

/* ---- measuring ------------------------------------------------------------ */

struct nctx {
	const struct ncfg *c;
	const struct run_opts *o;
	struct bk_result *r;
	natsConnection *pub;  /* default options: publish latency and throughput */
	natsConnection *req;  /* SendAsap: requester, latency publisher, JetStream */
	natsConnection *resp; /* SendAsap: responder and subscriber */
	jsCtx *js;
	char *stream;         /* temporary JetStream stream, deleted at the end */
	struct strbuf prefix; /* benchkeep.bench.<pid>-<random> */
	char *buf;            /* payload bytes */
	double *samples;
	int added;
	/* publish -> subscribe delivery */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long delivered;
	long long delivered_ns;
};

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long warmup_count(const struct ncfg *c)
{
	return c->messages < 1000 ? c->messages : 1000;
}

static int selected(struct nctx *x, const char *name)
{
	return run_name_selected(x->o, x->c->suite, name);
}

static struct bk_benchmark *add_bench(struct nctx *x, const char *name, long payload,
				      const char *unit, enum bk_direction dir)
{
	struct bk_benchmark *b = result_add_benchmark(x->r, x->c->suite, name);
	char v[32];
	snprintf(v, sizeof(v), "%ld", payload);
	kvlist_set(&b->params, "payload", v);
	set_str(&b->unit, unit);
	set_str(&b->source, "nats");
	b->direction = dir;
	x->added++;
	return b;
}

static void report(struct nctx *x, const struct bk_benchmark *b)
{
	run_say(x->o, RUN_SAY_RESULT, "%s/%s  median %.6g %s", b->suite, b->name,
		b->stats.median, b->unit);
}

/* Adds n per-message latencies (ns in x->samples) as a thinned benchmark. */
static void finish_latency(struct nctx *x, const char *name, long payload, size_t n)
{
	struct bk_benchmark *b = add_bench(x, name, payload, "us", BK_SMALLER);
	for (size_t i = 0; i < n; i++)
		x->samples[i] /= 1e3;
	size_t kept = thin_samples(x->samples, n, (size_t)x->c->max_samples);
	for (size_t i = 0; i < kept; i++)
		bench_add_sample(b, x->samples[i]);
	bench_finalize(b);
	metrics_set(&b->metrics, "messages", (double)n);
	if (kept < n)
		metrics_set(&b->metrics, "samples_thinned_from", (double)n);
	if (b->stats.median > 0)
		metrics_set(&b->metrics, "throughput", 1e6 / b->stats.median);
	metrics_set(&b->metrics, "successful_ops", (double)n);
	metrics_set(&b->metrics, "failed_ops", 0);
	report(x, b);
}

static int bench_publish_latency(struct nctx *x, long p, const char *subj)
{
	long warm = warmup_count(x->c);
	natsStatus s = NATS_OK;
	for (long i = 0; i < warm && s == NATS_OK; i++)
		s = natsConnection_Publish(x->pub, subj, x->buf, (int)p);
	if (s == NATS_OK)
		s = natsConnection_FlushTimeout(x->pub, WAIT_MS);
	for (long i = 0; i < x->c->messages && s == NATS_OK; i++) {
		long long t0 = now_ns();
		s = natsConnection_Publish(x->pub, subj, x->buf, (int)p);
		x->samples[i] = (double)(now_ns() - t0);
	}
	if (s == NATS_OK)
		s = natsConnection_FlushTimeout(x->pub, WAIT_MS);
	if (s != NATS_OK)
		return natsio_error(s, 0, "suite '%s': publish to '%s'", x->c->suite, x->c->url);
	return 0;
}

static int bench_throughput(struct nctx *x, long p, const char *subj, struct bk_benchmark **out)
{
	double *rate = xcalloc((size_t)x->c->rounds, sizeof(double));
	natsStatus s = NATS_OK;
	for (long k = 0; k < x->c->rounds && s == NATS_OK; k++) {
		long long t0 = now_ns();
		for (long i = 0; i < x->c->messages && s == NATS_OK; i++)
			s = natsConnection_Publish(x->pub, subj, x->buf, (int)p);
		if (s == NATS_OK)
			s = natsConnection_FlushTimeout(x->pub, 60000);
		double secs = (double)(now_ns() - t0) / 1e9;
		rate[k] = secs > 0 ? (double)x->c->messages / secs : 0;
	}
	if (s != NATS_OK) {
		free(rate);
		return natsio_error(s, 0, "suite '%s': publish to '%s'", x->c->suite, x->c->url);
	}
	struct strbuf name = STRBUF_INIT;
	strbuf_addf(&name, "publish_throughput/payload=%ld", p);
	struct bk_benchmark *b = add_bench(x, name.buf, p, "msgs/s", BK_BIGGER);
	strbuf_release(&name);
	for (long k = 0; k < x->c->rounds; k++)
		bench_add_sample(b, rate[k]);
	bench_finalize(b);
	metrics_set(&b->metrics, "messages", (double)(x->c->messages * x->c->rounds));
	metrics_set(&b->metrics, "mb_per_s", b->stats.median * (double)p / 1e6);
	free(rate);
	*out = b;
	report(x, b);
	return 0;
}

static void on_delivery(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *closure)
{
	(void)nc;
	(void)sub;
	struct nctx *x = closure;
	long long t = now_ns();
	natsMsg_Destroy(m);
	pthread_mutex_lock(&x->mu);
	x->delivered++;
	x->delivered_ns = t;
	pthread_cond_signal(&x->cv);
	pthread_mutex_unlock(&x->mu);
}

/* Waits until `want` messages were delivered; returns the time of the last
 * delivery, or -1 after WAIT_MS. */
/* Subscribes cb(closure) to subj on the responder connection (with
 * `unlimited`, no limit on pending messages: every delivery counts) and
 * waits until the server has it. 0, or -1 with bk_error. */
static int listen_on(struct nctx *x, const char *subj, natsMsgHandler cb, void *closure,
		     int unlimited, natsSubscription **sub)
{
	natsStatus s = natsConnection_Subscribe(sub, x->resp, subj, cb, closure);
	if (s == NATS_OK && unlimited)
		s = natsSubscription_SetPendingLimits(*sub, -1, -1);
	if (s == NATS_OK)
		s = natsConnection_FlushTimeout(x->resp, WAIT_MS);
	if (s != NATS_OK) {
		natsSubscription_Destroy(*sub);
		*sub = NULL;
		return natsio_error(s, 0, "suite '%s': subscribe on '%s'", x->c->suite, x->c->url);
	}
	return 0;
}

/* Ends a subscription of listen_on. */
static void stop_listening(natsSubscription *sub)
{
	natsSubscription_Unsubscribe(sub);
	natsSubscription_Destroy(sub);
}

static long long wait_delivery(struct nctx *x, long want)
{
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += WAIT_MS / 1000;
	long long t = -1;
	pthread_mutex_lock(&x->mu);
	while (x->delivered < want) {
		if (pthread_cond_timedwait(&x->cv, &x->mu, &dl) != 0)
			break;
	}
	if (x->delivered >= want)
		t = x->delivered_ns;
	pthread_mutex_unlock(&x->mu);
	return t;
}

static int bench_pubsub(struct nctx *x, long p, const char *subj)
{
	natsSubscription *sub = NULL;
	if (listen_on(x, subj, on_delivery, x, 1, &sub) < 0)
		return -1;
	pthread_mutex_lock(&x->mu);
	x->delivered = 0;
	pthread_mutex_unlock(&x->mu);
	long warm = warmup_count(x->c), total = warm + x->c->messages;
	int rc = 0;
	for (long i = 0; i < total; i++) {
		long long t0 = now_ns();
		natsStatus s = natsConnection_Publish(x->req, subj, x->buf, (int)p);
		if (s != NATS_OK) {
			rc = natsio_error(s, 0, "suite '%s': publish to '%s'", x->c->suite, x->c->url);
			break;
		}
		long long t1 = wait_delivery(x, i + 1);
		if (t1 < 0) {
			rc = bk_error("suite '%s': message %ld of %ld bytes not delivered within %d ms "
				      "by '%s'", x->c->suite, i + 1, p, WAIT_MS, x->c->url);
			break;
		}
		if (i >= warm)
			x->samples[i - warm] = (double)(t1 - t0);
	}
	stop_listening(sub);
	return rc;
}

static void on_request(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *closure)
{
	(void)sub;
	(void)closure;
	const char *reply = natsMsg_GetReply(m);
	if (reply)
		natsConnection_Publish(nc, reply, natsMsg_GetData(m), natsMsg_GetDataLength(m));
	natsMsg_Destroy(m);
}

static int bench_rtt(struct nctx *x, long p, const char *subj)
{
	natsSubscription *sub = NULL;
	if (listen_on(x, subj, on_request, NULL, 0, &sub) < 0)
		return -1;
	long warm = warmup_count(x->c), total = warm + x->c->messages;
	int rc = 0;
	for (long i = 0; i < total; i++) {
		natsMsg *reply = NULL;
		long long t0 = now_ns();
		natsStatus s = natsConnection_Request(&reply, x->req, subj, x->buf, (int)p, WAIT_MS);
		long long t1 = now_ns();
		natsMsg_Destroy(reply);
		if (s != NATS_OK) {
			rc = natsio_error(s, 0, "suite '%s': request %ld of %ld bytes to '%s'",
					  x->c->suite, i + 1, p, x->c->url);
			break;
		}
		if (i >= warm)
			x->samples[i - warm] = (double)(t1 - t0);
	}
	stop_listening(sub);
	return rc;
}

/* 1 when the server has JetStream, 0 when not, -1 on another failure. */
static int jetstream_available(struct nctx *x)
{
	jsAccountInfo *ai = NULL;
	jsErrCode jerr = 0;
	natsStatus s = natsConnection_JetStream(&x->js, x->req, NULL);
	if (s != NATS_OK)
		return natsio_error(s, 0, "suite '%s': JetStream context", x->c->suite);
	s = js_GetAccountInfo(&ai, x->js, NULL, &jerr);
	jsAccountInfo_Destroy(ai);
	if (s == NATS_OK)
		return 1;
	if (s == NATS_NO_RESPONDERS || s == NATS_TIMEOUT || jerr == JSNotEnabledErr ||
	    jerr == JSNotEnabledForAccountErr)
		return 0;
	return natsio_error(s, jerr, "suite '%s': JetStream account info from '%s'", x->c->suite,
			    x->c->url);
}

static int make_stream(struct nctx *x, const char *subj)
{
	struct strbuf name = STRBUF_INIT;
	strbuf_addf(&name, "BKBENCH_%s", x->prefix.buf + strlen("benchkeep.bench."));
	for (size_t i = 0; i < name.len; i++)
		if (name.buf[i] == '-')
			name.buf[i] = '_';
	const char *subjects[1] = { subj };
	jsStreamConfig sc;
	jsStreamConfig_Init(&sc);
	sc.Name = name.buf;
	sc.Subjects = subjects;
	sc.SubjectsLen = 1;
	sc.Storage = js_FileStorage;
	sc.MaxMsgs = 1000; /* bounded disk use: old messages are discarded */
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s = js_AddStream(&si, x->js, &sc, NULL, &jerr);
	jsStreamInfo_Destroy(si);
	if (s != NATS_OK) {
		strbuf_release(&name);
		return natsio_error(s, jerr, "suite '%s': cannot create stream on '%s'", x->c->suite,
				   x->c->url);
	}
	x->stream = strbuf_detach(&name, NULL);
	return 0;
}

static int bench_jetstream(struct nctx *x, long p, const char *subj)
{
	if (!x->stream && make_stream(x, subj) < 0)
		return -1;
	long warm = warmup_count(x->c), total = warm + x->c->messages;
	jsPubOptions po;
	jsPubOptions_Init(&po);
	po.MaxWait = WAIT_MS;
	for (long i = 0; i < total; i++) {
		jsPubAck *pa = NULL;
		jsErrCode jerr = 0;
		long long t0 = now_ns();
		natsStatus s = js_Publish(&pa, x->js, subj, x->buf, (int)p, &po, &jerr);
		long long t1 = now_ns();
		jsPubAck_Destroy(pa);
		if (s != NATS_OK)
			return natsio_error(s, jerr, "suite '%s': JetStream publish %ld of %ld bytes "
					    "to '%s'", x->c->suite, i + 1, p, x->c->url);
		if (i >= warm)
			x->samples[i - warm] = (double)(t1 - t0);
	}
	return 0;
}

static int run_payload(struct nctx *x, long p, int js)
{
	struct strbuf name = STRBUF_INIT, subj = STRBUF_INIT;
	int rc = -1;
	size_t n = (size_t)x->c->messages;
#define NAME(what) (strbuf_reset(&name), strbuf_addf(&name, "%s/payload=%ld", what, p), name.buf)
#define SUBJ(what) (strbuf_reset(&subj), strbuf_addf(&subj, "%s.%s", x->prefix.buf, what), subj.buf)
	if (selected(x, NAME("publish_latency"))) {
		if (bench_publish_latency(x, p, SUBJ("nobody")) < 0)
			goto out;
		finish_latency(x, NAME("publish_latency"), p, n);
	}
	if (selected(x, NAME("publish_throughput"))) {
		struct bk_benchmark *b;
		if (bench_throughput(x, p, SUBJ("nobody"), &b) < 0)
			goto out;
	}
	if (selected(x, NAME("publish_subscribe_latency"))) {
		if (bench_pubsub(x, p, SUBJ("pubsub")) < 0)
			goto out;
		finish_latency(x, NAME("publish_subscribe_latency"), p, n);
	}
	if (selected(x, NAME("request_reply_rtt"))) {
		if (bench_rtt(x, p, SUBJ("rtt")) < 0)
			goto out;
		finish_latency(x, NAME("request_reply_rtt"), p, n);
	}
	if (js && selected(x, NAME("jetstream_publish_ack"))) {
		if (bench_jetstream(x, p, SUBJ("js")) < 0)
			goto out;
		finish_latency(x, NAME("jetstream_publish_ack"), p, n);
	}
#undef NAME
#undef SUBJ
	rc = 0;
out:
	strbuf_release(&name);
	strbuf_release(&subj);
	return rc;
}

int nats_suite_run(const struct bk_config *cfg, size_t index, const struct run_opts *o,
		   struct bk_result *r)
{
	struct ncfg c = { 0 };
	struct nctx x = { 0 };
	int rc = -1;
	x.c = &c;
	x.o = o;
	x.r = r;
	x.prefix = (struct strbuf)STRBUF_INIT;
	pthread_mutex_init(&x.mu, NULL);
	pthread_cond_init(&x.cv, NULL);
	if (parse_cfg(&c, cfg, index) < 0)
		goto out;
	if (natsio_connect(&x.pub, c.url, "benchkeep-bench-pub", 0) < 0 ||
	    natsio_connect(&x.req, c.url, "benchkeep-bench-req", NATSIO_SEND_ASAP) < 0 ||
	    natsio_connect(&x.resp, c.url, "benchkeep-bench-resp", NATSIO_SEND_ASAP) < 0) {
		bk_error_prefix("suite '%s'", c.suite);
		goto out;
	}
	int64_t maxp = natsConnection_GetMaxPayload(x.pub);
	long biggest = 0;
	for (size_t i = 0; i < c.npayloads; i++) {
		if (maxp > 0 && c.payloads[i] > maxp) {
			bk_error("%s: suites[%zu].payloads[%zu]: %ld bytes is over the max_payload "
				 "of %lld bytes of '%s'", cfg->path, index, i, c.payloads[i],
				 (long long)maxp, c.url);
			goto out;
		}
		if (c.payloads[i] > biggest)
			biggest = c.payloads[i];
	}
	int js = 0;
	if (c.jetstream != 0) {
		js = jetstream_available(&x);
		if (js < 0)
			goto out;
		if (!js && c.jetstream == 1) {
			bk_error("suite '%s': the NATS server '%s' has no JetStream (\"jetstream\": true)",
				 c.suite, c.url);
			goto out;
		}
		if (!js)
			bk_note("suite '%s': no JetStream on '%s', jetstream_publish_ack not "
				"measured", c.suite, c.url);
	}
	unsigned int rnd = 0;
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = (unsigned int)now_ns();
	strbuf_addf(&x.prefix, "benchkeep.bench.%ld-%08x", (long)getpid(), rnd);
	x.buf = xmalloc((size_t)biggest + 1);
	for (long i = 0; i < biggest; i++)
		x.buf[i] = (char)('a' + i % 26);
	x.samples = xcalloc((size_t)c.messages, sizeof(double));
	for (size_t i = 0; i < c.npayloads; i++)
		if (run_payload(&x, c.payloads[i], js) < 0)
			goto out;
	rc = x.added;
out:
	if (x.stream)
		js_DeleteStream(x.js, x.stream, NULL, NULL);
	free(x.stream);
	jsCtx_Destroy(x.js);
	natsConnection_Destroy(x.pub);
	natsConnection_Destroy(x.req);
	natsConnection_Destroy(x.resp);
	pthread_mutex_destroy(&x.mu);
	pthread_cond_destroy(&x.cv);
	strbuf_release(&x.prefix);
	free(x.buf);
	free(x.samples);
	free(c.payloads);
	return rc;
}
