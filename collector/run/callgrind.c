#include "collector/run/callgrind.h"
#include "lib/base/error.h"
#include "collector/run/runner.h"
#include "lib/base/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUT_PREFIX "callgrind.out."

int callgrind_init(struct callgrind *cg, int cache_sim)
{
	memset(cg, 0, sizeof(*cg));
	const char *tmp = getenv("TMPDIR");
	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/bk-callgrind-XXXXXX", tmp);
	if (!mkdtemp(sb.buf)) {
		bk_error("callgrind: cannot create a directory in '%s': %s", tmp, strerror(errno));
		strbuf_release(&sb);
		return -1;
	}
	cg->dir = strbuf_detach(&sb, NULL);
	cg->cache_sim = cache_sim;
	return 0;
}

void callgrind_wrap(const struct callgrind *cg, const struct bk_command *cmd,
		    struct bk_command *out)
{
	const char *pre[] = { "valgrind", "--tool=callgrind", "-q", "--trace-children=yes",
			      NULL /* out file */, NULL /* cache sim */ };
	size_t npre = 4, n = 0;
	struct strbuf of = STRBUF_INIT;
	strbuf_addf(&of, "--callgrind-out-file=%s/" OUT_PREFIX "%%p", cg->dir);
	if (cmd->argv)
		while (cmd->argv[n])
			n++;
	else
		n = 3; /* /bin/sh -c CMD */
	memset(out, 0, sizeof(*out));
	out->argv = xcalloc(npre + 3 + n + 1, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; i < npre; i++)
		out->argv[k++] = xstrdup(pre[i]);
	out->argv[k++] = strbuf_detach(&of, NULL);
	out->argv[k++] = xstrdup(cg->cache_sim ? "--cache-sim=yes" : "--cache-sim=no");
	out->argv[k++] = xstrdup("--");
	if (cmd->argv) {
		for (size_t i = 0; i < n; i++)
			out->argv[k++] = xstrdup(cmd->argv[i]);
	} else {
		out->argv[k++] = xstrdup("/bin/sh");
		out->argv[k++] = xstrdup("-c");
		out->argv[k++] = xstrdup(cmd->shell);
	}
}

/* Column index of `name` in the events list, or -1. */
static int column(char **names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

/* The whitespace-separated counts of a summary/totals line s (modified)
 * into vals (at most 64): their number, or -1 on a bad number. */
static int read_counts(char *s, uint64_t *vals)
{
	char *save = NULL;
	int nv = 0;
	for (char *t = strtok_r(s, " \t\r", &save); t && nv < 64;
	     t = strtok_r(NULL, " \t\r", &save)) {
		char *e;
		errno = 0;
		unsigned long long v = strtoull(t, &e, 10);
		if (*e || errno || t[0] == '-')
			return -1;
		vals[nv++] = v;
	}
	return nv;
}

/* Adds the counts vals (line vline of file `name`) of the columns
 * events to out: Ir, and the cache misses when all are there. 0, or -1
 * with bk_error when there is no Ir column. */
static int add_totals(char **events, int nev, const uint64_t *vals, int nvals, const char *name,
		      int vline, struct callgrind_totals *out)
{
	int ir = column(events, nev, "Ir");
	if (ir < 0 || ir >= nvals)
		return bk_error("%s:%d: no Ir (instructions) column", name, vline);
	out->ir += vals[ir];
	static const char *miss[] = { "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw" };
	uint64_t *dst[] = { &out->i1mr, &out->d1mr, &out->d1mw, &out->ilmr, &out->dlmr, &out->dlmw };
	int have = 1;
	for (int i = 0; i < 6; i++) {
		int c = column(events, nev, miss[i]);
		if (c < 0 || c >= nvals) {
			have = 0;
			continue;
		}
		*dst[i] += vals[c];
	}
	if (out->files == 0)
		out->have_cache = have;
	else
		out->have_cache &= have;
	out->files++;
	return 0;
}

int callgrind_parse(const char *buf, size_t len, const char *name, struct callgrind_totals *out)
{
	char *events[64];
	int nev = 0, rc = -1, lineno = 0;
	uint64_t vals[64];
	int nvals = -1, from_summary = 0, vline = 0;
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		lineno++;
		int is_ev = le - p > 7 && !strncmp(p, "events:", 7);
		int is_sum = le - p > 8 && !strncmp(p, "summary:", 8);
		int is_tot = le - p > 7 && !strncmp(p, "totals:", 7);
		if (is_ev || ((is_sum || (is_tot && !from_summary)))) {
			char *line = xstrndup(p, (size_t)(le - p));
			char *s = strchr(line, ':') + 1, *save = NULL;
			if (is_ev) {
				for (int i = 0; i < nev; i++)
					free(events[i]);
				nev = 0;
				for (char *t = strtok_r(s, " \t\r", &save); t && nev < 64;
				     t = strtok_r(NULL, " \t\r", &save))
					events[nev++] = xstrdup(t);
			} else {
				int nv = read_counts(s, vals);
				if (nv < 0) {
					free(line);
					bk_error("%s:%d: bad number in the totals", name, lineno);
					goto out;
				}
				nvals = nv;
				vline = lineno;
				from_summary |= is_sum;
			}
			free(line);
		}
		p = nl ? nl + 1 : end;
	}
	if (nev == 0) {
		bk_error("%s: no 'events:' line (not a callgrind output file?)", name);
		goto out;
	}
	if (nvals < 0) {
		bk_error("%s: no 'summary:' or 'totals:' line (did the process end early?)", name);
		goto out;
	}
	rc = add_totals(events, nev, vals, nvals, name, vline, out);
out:
	for (int i = 0; i < nev; i++)
		free(events[i]);
	return rc;
}

int callgrind_collect(struct callgrind *cg, struct callgrind_totals *out)
{
	memset(out, 0, sizeof(*out));
	DIR *d = opendir(cg->dir);
	if (!d)
		return bk_error("callgrind: cannot read '%s': %s", cg->dir, strerror(errno));
	int rc = 0;
	struct dirent *de;
	struct strbuf path = STRBUF_INIT, content = STRBUF_INIT;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, OUT_PREFIX, strlen(OUT_PREFIX)))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", cg->dir, de->d_name);
		strbuf_reset(&content);
		if (rc == 0 && strbuf_read_file(&content, path.buf) < 0)
			rc = bk_error("callgrind: cannot read '%s': %s", path.buf, strerror(errno));
		if (rc == 0)
			rc = callgrind_parse(content.buf, content.len, path.buf, out);
		unlink(path.buf);
	}
	closedir(d);
	strbuf_release(&path);
	strbuf_release(&content);
	if (rc == 0 && out->files == 0)
		rc = bk_error("callgrind: the command left no output file in '%s' "
			      "(did valgrind start?)", cg->dir);
	return rc;
}

double callgrind_estimated_cycles(const struct callgrind_totals *t)
{
	double c = (double)t->ir;
	if (t->have_cache)
		c += CALLGRIND_L1_MISS_CYCLES * (double)(t->i1mr + t->d1mr + t->d1mw) +
		     CALLGRIND_LL_MISS_CYCLES * (double)(t->ilmr + t->dlmr + t->dlmw);
	return c;
}

void callgrind_release(struct callgrind *cg)
{
	if (cg->dir) {
		DIR *d = opendir(cg->dir);
		struct dirent *de;
		struct strbuf path = STRBUF_INIT;
		while (d && (de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", cg->dir, de->d_name);
			unlink(path.buf);
		}
		if (d)
			closedir(d);
		strbuf_release(&path);
		rmdir(cg->dir);
	}
	free(cg->dir);
	memset(cg, 0, sizeof(*cg));
}

char *callgrind_valgrind_version(void)
{
	char *argv[] = { "valgrind", "--version", NULL };
	struct bk_command cmd = { argv, NULL };
	struct strbuf out = STRBUF_INIT;
	struct runner_opts ro = { &cmd, NULL, NULL, 30, &out, 0 };
	struct runner_result rr;
	if (runner_run(&ro, &rr) < 0 || rr.exit_code) {
		strbuf_release(&out);
		bk_error("callgrind: cannot run 'valgrind --version': is valgrind installed? "
			 "(Debian: apt-get install valgrind)");
		return NULL;
	}
	strbuf_rtrim(&out);
	const char *v = out.buf;
	if (!strncmp(v, "valgrind-", 9))
		v += 9;
	char *r = xstrdup(v);
	strbuf_release(&out);
	return r;
}
