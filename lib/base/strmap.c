/* strmap: string -> uint32 (see strmap.h). */
#include "lib/base/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "lib/base/xalloc.h"

static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

static size_t find(const struct strmap *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

uint32_t strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return UINT32_MAX;
	size_t i = find(m, key);
	return m->keys[i] ? m->vals[i] : UINT32_MAX;
}

/* Index of key's entry, added (value UINT32_MAX, *fresh = 1) when absent. */
static size_t entry(struct strmap *m, const char *key, int *fresh)
{
	if ((m->used + 1) * 2 > m->cap) {
		struct strmap old = *m;
		m->cap = m->cap ? m->cap * 2 : 256;
		m->keys = xcalloc(m->cap, sizeof(char *));
		m->vals = xcalloc(m->cap, sizeof(uint32_t));
		for (size_t i = 0; i < old.cap; i++) {
			if (!old.keys[i])
				continue;
			size_t j = find(m, old.keys[i]);
			m->keys[j] = old.keys[i];
			m->vals[j] = old.vals[i];
		}
		free(old.keys);
		free(old.vals);
	}
	size_t i = find(m, key);
	*fresh = !m->keys[i];
	if (*fresh) {
		m->keys[i] = xstrdup(key);
		m->vals[i] = UINT32_MAX;
		m->used++;
	}
	return i;
}

uint32_t *strmap_slot(struct strmap *m, const char *key, int *fresh)
{
	size_t i = entry(m, key, fresh); /* before reading m->vals: it may move */
	return &m->vals[i];
}

const char *strmap_intern(struct strmap *m, const char *key)
{
	if (!key)
		return NULL;
	int fresh;
	size_t i = entry(m, key, &fresh);
	return m->keys[i];
}

int strmap_has(const struct strmap *m, const char *key)
{
	return m->cap && m->keys[find(m, key)] != NULL;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
