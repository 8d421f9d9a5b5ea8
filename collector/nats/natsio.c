#include "collector/nats/natsio.h"
#include "lib/base/error.h"
#include "lib/base/strbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *natsio_default_url(void)
{
	const char *u = getenv("NATS_URL");
	return u && *u ? u : NATSIO_DEFAULT_URL;
}

long long natsio_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_library(void)
{
	nats_Close();
}

static void last_detail(natsStatus s, struct strbuf *sb)
{
	natsStatus ls;
	const char *last = nats_GetLastError(&ls);
	strbuf_addstr(sb, natsStatus_GetText(s));
	if (last && *last && !strstr(last, natsStatus_GetText(s)))
		strbuf_addf(sb, " (%s)", last);
}

int natsio_error(natsStatus s, int jerr, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addstr(&sb, ": ");
	last_detail(s, &sb);
	if (jerr)
		strbuf_addf(&sb, " [JetStream error %d]", jerr);
	bk_error("%s", sb.buf);
	strbuf_release(&sb);
	return -1;
}

int natsio_connect(natsConnection **out, const char *url, const char *name, int flags)
{
	static int registered;
	natsOptions *o = NULL;
	natsStatus s;
	*out = NULL;
	if (!registered) {
		s = nats_Open(-1);
		if (s != NATS_OK)
			return natsio_error(s, 0, "cannot initialise the NATS library");
		atexit(close_library);
		registered = 1;
	}
	s = natsOptions_Create(&o);
	if (s == NATS_OK)
		s = natsOptions_SetURL(o, url);
	if (s == NATS_OK)
		s = natsOptions_SetName(o, name);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(o, 2000);
	if (s == NATS_OK && (flags & NATSIO_SEND_ASAP))
		s = natsOptions_SetSendAsap(o, true);
	if (s == NATS_OK && (flags & NATSIO_RECONNECT)) {
		s = natsOptions_SetMaxReconnect(o, -1);
		if (s == NATS_OK)
			s = natsOptions_SetReconnectWait(o, 250);
	}
	if (s == NATS_OK)
		s = natsConnection_Connect(out, o);
	natsOptions_Destroy(o);
	if (s != NATS_OK) {
		*out = NULL;
		return natsio_error(s, 0, "cannot connect to NATS server '%s'", url);
	}
	return 0;
}

int natsio_check_prefix(const char *prefix, const char *what)
{
	const char *p = prefix;
	if (!*p)
		return bk_error("%s: must not be empty", what);
	for (; *p; p++) {
		if (*p == '.' && (p == prefix || p[1] == '.' || p[1] == '\0'))
			return bk_error("%s: empty token in '%s'", what, prefix);
		if (*p == '*' || *p == '>' || (unsigned char)*p <= ' ' || *p == 0x7f)
			return bk_error("%s: invalid character in subject '%s'", what, prefix);
	}
	return 0;
}

int natsio_ensure_stream(jsCtx *js, const char *stream, const char *prefix)
{
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s = js_GetStreamInfo(&si, js, stream, NULL, &jerr);
	if (s == NATS_OK) {
		jsStreamInfo_Destroy(si);
		return 0;
	}
	if (s != NATS_NOT_FOUND)
		return natsio_error(s, jerr, "cannot look up stream '%s'", stream);
	struct strbuf subj = STRBUF_INIT;
	strbuf_addf(&subj, "%s.>", prefix);
	const char *subjects[1] = { subj.buf };
	jsStreamConfig sc;
	jsStreamConfig_Init(&sc);
	sc.Name = stream;
	sc.Subjects = subjects;
	sc.SubjectsLen = 1;
	sc.Storage = js_FileStorage;
	jerr = 0;
	s = js_AddStream(&si, js, &sc, NULL, &jerr);
	int rc = 0;
	if (s == NATS_OK)
		jsStreamInfo_Destroy(si);
	else if (jerr != JSStreamNameExistErr) /* another process made it meanwhile */
		rc = natsio_error(s, jerr, "cannot create stream '%s' for '%s'", stream, subj.buf);
	strbuf_release(&subj);
	return rc;
}
