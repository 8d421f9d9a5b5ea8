#include "collector/run/runopts.h"
#include "lib/base/error.h"
#include "lib/base/strbuf.h"

#include <stdarg.h>
#include <string.h>

void run_say(const struct run_opts *o, enum run_say_kind kind, const char *fmt, ...)
{
	if (!o->say || (kind <= RUN_SAY_RESULT && !o->progress))
		return;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	o->say(o, kind, sb.buf);
	strbuf_release(&sb);
}

const struct run_suite_type *run_suite_type(const struct run_opts *o, const char *type)
{
	for (const struct run_suite_type *const *t = o->suite_types; t && *t; t++)
		if (!strcmp((*t)->type, type))
			return *t;
	return NULL;
}

int run_suite_selected(const struct run_opts *o, const char *name)
{
	if (!o->suites)
		return 1;
	for (const char **s = o->suites; *s; s++)
		if (!strcmp(*s, name))
			return 1;
	return 0;
}

int run_name_selected(const struct run_opts *o, const char *suite, const char *name)
{
	if (!o->filter)
		return 1;
	struct strbuf full = STRBUF_INIT;
	strbuf_addf(&full, "%s/%s", suite, name);
	int m = regexec(o->filter, full.buf, 0, NULL, 0);
	strbuf_release(&full);
	return m == 0;
}

int run_bench_selected(const struct run_opts *o, const struct bk_bench_cfg *b)
{
	return run_name_selected(o, b->suite, b->name);
}

int run_check_suites(const struct bk_config *cfg, const struct run_opts *o)
{
	for (const char **s = o->suites; s && *s; s++) {
		int found = 0;
		for (size_t i = 0; i < cfg->nsuites; i++)
			found |= !strcmp(cfg->suites[i].name, *s);
		if (!found)
			return bk_error("%s: no suite named '%s'", cfg->path, *s);
	}
	return 0;
}
