#include "lib/doc/benchcfg.h"
#include "lib/base/xalloc.h"

#include <stdlib.h>
#include <string.h>

void command_release(struct bk_command *c)
{
	if (c->argv) {
		for (char **p = c->argv; *p; p++)
			free(*p);
		free(c->argv);
	}
	free(c->shell);
	memset(c, 0, sizeof(*c));
}

void command_describe(const struct bk_command *c, struct strbuf *sb)
{
	if (c->shell) {
		strbuf_addstr(sb, c->shell);
		return;
	}
	for (char **p = c->argv; p && *p; p++) {
		if (p != c->argv)
			strbuf_addch(sb, ' ');
		strbuf_addstr(sb, *p);
	}
}

void bench_cfg_release(struct bk_bench_cfg *b)
{
	free(b->suite);
	free(b->name);
	kvlist_release(&b->params);
	command_release(&b->cmd);
	command_release(&b->setup);
	command_release(&b->teardown);
	kvlist_release(&b->env);
	free(b->cwd);
	free(b->unit);
	free(b->metric);
	free(b->backend);
	free(b->format);
	free(b->output);
	memset(b, 0, sizeof(*b));
}

/* Replaces "{key}" for every param key; other braces are left alone. */
char *config_expand(const char *s, const struct bk_kvlist *params)
{
	if (!s)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = s; *p;) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (close) {
				int done = 0;
				for (size_t i = 0; i < params->nr && !done; i++) {
					size_t kl = strlen(params->items[i].key);
					if ((size_t)(close - p - 1) == kl &&
					    !strncmp(p + 1, params->items[i].key, kl)) {
						strbuf_addstr(&sb, params->items[i].value);
						p = close + 1;
						done = 1;
					}
				}
				if (done)
					continue;
			}
		}
		strbuf_addch(&sb, *p++);
	}
	return strbuf_detach(&sb, NULL);
}

void command_expand(struct bk_command *dst, const struct bk_command *src,
			   const struct bk_kvlist *params)
{
	memset(dst, 0, sizeof(*dst));
	if (src->shell)
		dst->shell = config_expand(src->shell, params);
	if (src->argv) {
		size_t n = 0;
		while (src->argv[n])
			n++;
		dst->argv = xcalloc(n + 1, sizeof(char *));
		for (size_t i = 0; i < n; i++)
			dst->argv[i] = config_expand(src->argv[i], params);
	}
}

