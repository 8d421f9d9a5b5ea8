/* Catch2 XML reporter (-r xml), v2 and v3.
 *
 * Each <BenchmarkResults name=".." samples=".." iterations=".."> element is
 * one benchmark; its <mean value=".." lowerBound=".." upperBound=".."/> and
 * <standardDeviation .../> are in ns. As with the console reporter there
 * are no raw samples: the mean is the one sample (unit ns), marked
 * summary_only, the bounds and std dev are summary_* metrics. Only the
 * attributes and entities Catch2 writes are read; this is not a general
 * XML parser. */
#include "collector/import/importbench.h"
#include "lib/base/error.h"

#include <stdio.h>
#include <string.h>

/* Decodes XML entities of s[0..n) into sb. -1 on an unknown entity. */
static int unescape(const char *s, size_t n, struct strbuf *sb)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '&') {
			strbuf_addch(sb, s[i]);
			continue;
		}
		const char *semi = memchr(s + i, ';', n - i);
		if (!semi || semi - (s + i) > 12)
			return -1;
		size_t el = (size_t)(semi - (s + i)) + 1;
		const char *e = s + i;
		if (!strncmp(e, "&lt;", el))
			strbuf_addch(sb, '<');
		else if (!strncmp(e, "&gt;", el))
			strbuf_addch(sb, '>');
		else if (!strncmp(e, "&amp;", el))
			strbuf_addch(sb, '&');
		else if (!strncmp(e, "&quot;", el))
			strbuf_addch(sb, '"');
		else if (!strncmp(e, "&apos;", el))
			strbuf_addch(sb, '\'');
		else if (el > 3 && e[1] == '#') {
			unsigned long cp = 0;
			int hex = e[2] == 'x' || e[2] == 'X';
			for (size_t k = hex ? 3 : 2; k < el - 1; k++) {
				char c = e[k];
				int d = c >= '0' && c <= '9'   ? c - '0'
					: hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
					: hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
								      : -1;
				if (d < 0)
					return -1;
				cp = cp * (hex ? 16 : 10) + (unsigned long)d;
				if (cp > 0x10FFFF)
					return -1;
			}
			if (cp == 0)
				return -1;
			/* UTF-8 */
			if (cp < 0x80) {
				strbuf_addch(sb, (int)cp);
			} else if (cp < 0x800) {
				strbuf_addch(sb, (int)(0xC0 | (cp >> 6)));
				strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
			} else if (cp < 0x10000) {
				strbuf_addch(sb, (int)(0xE0 | (cp >> 12)));
				strbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
				strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
			} else {
				strbuf_addch(sb, (int)(0xF0 | (cp >> 18)));
				strbuf_addch(sb, (int)(0x80 | ((cp >> 12) & 0x3F)));
				strbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3F)));
				strbuf_addch(sb, (int)(0x80 | (cp & 0x3F)));
			}
		} else {
			return -1;
		}
		i += el - 1;
	}
	return 0;
}

/* The end of the start tag beginning at `at` (offset of its '>'), honouring
 * quoted attribute values; (size_t)-1 when the input ends first. */
static size_t tag_end(const char *buf, size_t len, size_t at)
{
	char q = 0;
	for (size_t i = at; i < len; i++) {
		if (q) {
			if (buf[i] == q)
				q = 0;
		} else if (buf[i] == '"' || buf[i] == '\'') {
			q = buf[i];
		} else if (buf[i] == '>') {
			return i;
		}
	}
	return (size_t)-1;
}

/* Finds attribute `name` in the tag text [s, s+n): 1 with the decoded value
 * in sb, 0 absent, -1 bad entity. */
static int attr(const char *s, size_t n, const char *name, struct strbuf *sb)
{
	size_t nl = strlen(name);
	char q = 0;
	for (size_t i = 0; i + nl + 2 < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
			continue;
		}
		if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
			continue;
		}
		if ((s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') &&
		    !memcmp(s + i + 1, name, nl) && s[i + 1 + nl] == '=') {
			size_t v = i + 2 + nl;
			if (v >= n || (s[v] != '"' && s[v] != '\''))
				return 0;
			const char *end = memchr(s + v + 1, s[v], n - v - 1);
			if (!end)
				return 0;
			strbuf_reset(sb);
			return unescape(s + v + 1, (size_t)(end - (s + v + 1)), sb) < 0 ? -1 : 1;
		}
	}
	return 0;
}

/* Reads number attribute `name` of the tag at [start, end) into *out. */
static int num_attr(const struct import_ctx *ctx, const char *buf, size_t len, size_t start,
		    size_t end, const char *name, int need, double *out)
{
	struct strbuf sb = STRBUF_INIT;
	int k = attr(buf + start, end - start, name, &sb), rc = 0;
	size_t used;
	if (k == 0 && need)
		rc = importcore_error_at(ctx, buf, len, start, "attribute %s missing", name);
	else if (k < 0)
		rc = importcore_error_at(ctx, buf, len, start, "attribute %s: bad entity", name);
	else if (k > 0 && (importcore_parse_number(sb.buf, sb.len, 0, out, &used) < 0 ||
			   used != sb.len))
		rc = importcore_error_at(ctx, buf, len, start, "attribute %s: expected a number, found '%.40s'",
					 name, sb.buf);
	else
		rc = k;
	strbuf_release(&sb);
	return rc;
}

static const char *find(const char *buf, size_t from, size_t to, const char *needle)
{
	if (from >= to)
		return NULL;
	return memmem(buf + from, to - from, needle, strlen(needle));
}

static int element(const struct import_ctx *ctx, const char *buf, size_t len,
		   struct importcore_index *ix, size_t start, size_t *next, int index)
{
	static const char trunc[] = "truncated input: the document ends inside <BenchmarkResults>";
	size_t te = tag_end(buf, len, start);
	if (te == (size_t)-1)
		return importcore_error_at(ctx, buf, len, len, "%s", trunc);
	const char *close = find(buf, te, len, "</BenchmarkResults>");
	if (!close)
		return importcore_error_at(ctx, buf, len, len, "%s", trunc);
	size_t ce = (size_t)(close - buf);
	*next = ce + 19;
	struct strbuf name = STRBUF_INIT;
	int k = attr(buf + start, te - start, "name", &name), rc = -1;
	if (k <= 0) {
		importcore_error_at(ctx, buf, len, start, k < 0 ? "attribute name: bad entity"
								 : "attribute name missing");
		goto out;
	}
	char where[64];
	snprintf(where, sizeof(where), "BenchmarkResults[%d].name", index);
	if (importcore_check_name(ctx, where, name.buf, name.len, 1) < 0)
		goto out;
	double samples = 0, iters = 0, mean[3] = { 0 }, sd[3] = { 0 };
	if (num_attr(ctx, buf, len, start, te, "samples", 0, &samples) < 0 ||
	    num_attr(ctx, buf, len, start, te, "iterations", 0, &iters) < 0)
		goto out;
	const char *tags[2] = { "<mean ", "<standardDeviation " };
	double *dst[2] = { mean, sd };
	for (int t = 0; t < 2; t++) {
		const char *m = find(buf, te, ce, tags[t]);
		if (!m) {
			importcore_error_at(ctx, buf, len, te, "%s/> missing in the benchmark '%.60s'",
					    tags[t], name.buf);
			goto out;
		}
		size_t ms = (size_t)(m - buf), me = tag_end(buf, ce, ms);
		if (me == (size_t)-1)
			me = ce;
		if (num_attr(ctx, buf, len, ms, me, "value", 1, &dst[t][0]) < 0 ||
		    num_attr(ctx, buf, len, ms, me, "lowerBound", 0, &dst[t][1]) < 0 ||
		    num_attr(ctx, buf, len, ms, me, "upperBound", 0, &dst[t][2]) < 0)
			goto out;
	}
	struct bk_benchmark *b = importcore_bench(ix, ctx->suite, name.buf, NULL, "ns");
	metrics_set(&b->metrics, "summary_mean", mean[0]);
	metrics_set(&b->metrics, "summary_low_mean", mean[1]);
	metrics_set(&b->metrics, "summary_high_mean", mean[2]);
	metrics_set(&b->metrics, "summary_stddev", sd[0]);
	metrics_set(&b->metrics, "summary_low_stddev", sd[1]);
	metrics_set(&b->metrics, "summary_high_stddev", sd[2]);
	metrics_set(&b->metrics, "samples", samples);
	metrics_set(&b->metrics, "iterations", iters);
	rc = importcore_summary_only(ctx, where, b, mean[0]);
out:
	strbuf_release(&name);
	return rc;
}

static int catch2_xml_detect(const char *buf, size_t len)
{
	if (importcore_first_char(buf, len) != '<')
		return 0;
	if (!importcore_has(buf, len, 4096, "<Catch"))
		return 0;
	return importcore_has(buf, len, 0, "<BenchmarkResults") ? 90 : 40;
}

static int catch2_xml_parse(const struct import_ctx *ctx, const char *buf, size_t len,
			    struct bk_result *out)
{
	if (importcore_check_text(ctx, buf, len) < 0)
		return -1;
	/* the root element: <Catch ...> (v2) or <Catch2TestRun ...> (v3) */
	const char *root = find(buf, 0, len, "<Catch");
	if (!root)
		return bk_error("%s: not a Catch2 XML report (no <Catch> element)", ctx->file);
	size_t re = (size_t)(root - buf) + 6;
	while (re < len && buf[re] != ' ' && buf[re] != '>' && buf[re] != '\n')
		re++;
	struct strbuf closing = STRBUF_INIT;
	strbuf_addstr(&closing, "</");
	strbuf_add(&closing, root + 1, re - (size_t)(root - buf) - 1);
	strbuf_addch(&closing, '>');
	int has_close = find(buf, (size_t)(root - buf), len, closing.buf) != NULL;
	strbuf_release(&closing);
	struct importcore_index ix;
	importcore_index_init(&ix, out);
	int rc = 0, index = 0;
	size_t pos = 0;
	const char *e;
	while ((e = find(buf, pos, len, "<BenchmarkResults"))) {
		size_t start = (size_t)(e - buf);
		if (start + 17 < len && buf[start + 17] != ' ' && buf[start + 17] != '>' &&
		    buf[start + 17] != '\n') {
			pos = start + 17;
			continue;
		}
		if (element(ctx, buf, len, &ix, start, &pos, index++) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && !has_close)
		rc = importcore_error_at(ctx, buf, len, len,
					 "truncated input: the report's root element is not closed");
	importcore_index_release(&ix);
	return rc;
}

const struct importer importer_catch2_xml = {
	"catch2-xml",
	"Catch2 XML reporter (-r xml) benchmark results (mean only: summary_only, ns)",
	catch2_xml_detect,
	catch2_xml_parse,
};
