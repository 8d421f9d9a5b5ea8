#include "lib/doc/machine.h"

#include <math.h>
#include "lib/base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

void machine_slug(struct strbuf *sb, const char *s, size_t max)
{
	size_t start = sb->len;
	for (const unsigned char *p = (const unsigned char *)s; *p && sb->len - start < max; p++) {
		int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			 (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
			 (*p == '.' && sb->len > start);
		strbuf_addch(sb, ok ? *p : '-');
	}
	if (sb->len == start)
		strbuf_addstr(sb, "unknown");
}

static char *lower(const char *s)
{
	char *r = xstrdup(s);
	for (char *p = r; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return r;
}

static char *cpu_model(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return NULL;
	char line[512];
	char *r = NULL;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10) || !strncmp(line, "Model\t", 6) ||
		    !strncmp(line, "cpu model", 9)) {
			char *c = strchr(line, ':');
			if (!c)
				continue;
			c++;
			while (*c == ' ' || *c == '\t')
				c++;
			c[strcspn(c, "\n")] = '\0';
			r = xstrdup(c);
			break;
		}
	}
	fclose(f);
	return r;
}

static double memory_gb(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	if (pages <= 0 || psz <= 0)
		return 0;
	return (double)pages * (double)psz / (1024.0 * 1024.0 * 1024.0);
}

static char *compiler(void)
{
	char buf[128];
#if defined(__clang__)
	snprintf(buf, sizeof(buf), "clang %d.%d.%d", __clang_major__, __clang_minor__,
		 __clang_patchlevel__);
#elif defined(__GNUC__)
	snprintf(buf, sizeof(buf), "gcc %d.%d.%d", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
	snprintf(buf, sizeof(buf), "unknown");
#endif
	return xstrdup(buf);
}

void machine_collect(struct bk_machine *m)
{
	struct utsname u;
	const char *env = getenv("BENCHKEEP_MACHINE");
	if (env && *env) {
		m->name = xstrdup(env);
	} else if (getenv("GITHUB_ACTIONS") && !strcmp(getenv("GITHUB_ACTIONS"), "true")) {
		const char *os = getenv("RUNNER_OS"), *arch = getenv("RUNNER_ARCH");
		struct strbuf sb = STRBUF_INIT;
		char *los = lower(os ? os : "unknown"), *larch = lower(arch ? arch : "unknown");
		strbuf_addf(&sb, "github-%s-%s", los, larch);
		free(los);
		free(larch);
		m->name = strbuf_detach(&sb, NULL);
	} else {
		char host[256] = "";
		if (gethostname(host, sizeof(host) - 1) == 0 && host[0])
			m->name = xstrdup(host);
		else
			m->name = xstrdup("unknown");
	}
	if (uname(&u) == 0) {
		m->os = lower(u.sysname);
		m->arch = xstrdup(u.machine);
		kvlist_set(&m->extra, "kernel", u.release);
	}
	/* GitHub's hosted runner image ("ubuntu24" "20261124.1"): an image
	 * update changes compilers and libraries under every benchmark */
	const char *img = getenv("ImageOS"), *ver = getenv("ImageVersion");
	if (img && *img) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s%s%s", img, ver && *ver ? " " : "", ver && *ver ? ver : "");
		kvlist_set(&m->extra, "runner_image", sb.buf);
		strbuf_release(&sb);
	}
	m->cpu_model = cpu_model();
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	m->cpu_cores = n > 0 ? n : 0;
	m->memory_gb = memory_gb();
	m->compiler = compiler();
}

static const char *env_nonempty(const char *k)
{
	const char *v = getenv(k);
	return v && *v ? v : NULL;
}

int ci_collect(struct bk_ci *c)
{
	const char *ga = getenv("GITHUB_ACTIONS");
	if (!ga || strcmp(ga, "true"))
		return 0;
	c->provider = xstrdup("github");
	c->run_id = xstrdup(env_nonempty("GITHUB_RUN_ID"));
	c->event = xstrdup(env_nonempty("GITHUB_EVENT_NAME"));
	c->ref_name = xstrdup(env_nonempty("GITHUB_REF_NAME"));
	c->repository = xstrdup(env_nonempty("GITHUB_REPOSITORY"));
	c->sha = xstrdup(env_nonempty("GITHUB_SHA"));
	const char *ref = env_nonempty("GITHUB_REF");
	if (ref && !strncmp(ref, "refs/pull/", 10)) {
		char *end;
		long pr = strtol(ref + 10, &end, 10);
		if (end != ref + 10 && *end == '/' && pr > 0)
			c->pr = pr;
	}
	return 1;
}

/* One fact of the fingerprint: appends "what: A vs B" to why when a and b
 * differ (NULL counts as "?"). */
static int fact_differs(struct strbuf *why, const char *what, const char *a, const char *b)
{
	if (a && b && !strcmp(a, b))
		return 0;
	if (!a && !b)
		return 0;
	if (why->len)
		strbuf_addstr(why, "; ");
	strbuf_addf(why, "%s: %.80s vs %.80s", what, a ? a : "?", b ? b : "?");
	return 1;
}

int machine_same(const struct bk_machine *a, const struct bk_machine *b, struct strbuf *why)
{
	strbuf_reset(why);
	if (!a->cpu_model || !b->cpu_model) {
		strbuf_addf(why, "no CPU model recorded for %s: the machines cannot be told apart",
			    !a->cpu_model && !b->cpu_model ? "either side" : !a->cpu_model ? "BASE" : "HEAD");
		return 0;
	}
	int diff = fact_differs(why, "machine", a->name, b->name);
	diff |= fact_differs(why, "CPU", a->cpu_model, b->cpu_model);
	if (a->cpu_cores != b->cpu_cores) {
		if (why->len)
			strbuf_addstr(why, "; ");
		strbuf_addf(why, "cores: %ld vs %ld", a->cpu_cores, b->cpu_cores);
		diff = 1;
	}
	/* memory as the kernel reports it moves by a few MB between boots */
	if (a->memory_gb > 0 && b->memory_gb > 0 &&
	    fabs(a->memory_gb - b->memory_gb) > 0.05 * fmax(a->memory_gb, b->memory_gb)) {
		if (why->len)
			strbuf_addstr(why, "; ");
		strbuf_addf(why, "memory: %.1f GB vs %.1f GB", a->memory_gb, b->memory_gb);
		diff = 1;
	}
	diff |= fact_differs(why, "os", a->os, b->os);
	diff |= fact_differs(why, "arch", a->arch, b->arch);
	diff |= fact_differs(why, "kernel", kvlist_get(&a->extra, "kernel"),
			     kvlist_get(&b->extra, "kernel"));
	diff |= fact_differs(why, "runner image", kvlist_get(&a->extra, "runner_image"),
			     kvlist_get(&b->extra, "runner_image"));
	return !diff;
}
