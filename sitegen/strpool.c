/* strpool: open-addressing hash set of strings (FNV-1a, linear probing). */
#include "strpool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void grow(struct strpool *p)
{
	size_t cap = p->cap ? p->cap * 2 : 256;
	char **slots = xcalloc(cap, sizeof(char *));
	for (size_t i = 0; i < p->cap; i++) {
		if (!p->slots[i])
			continue;
		size_t j = hash(p->slots[i]) & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = p->slots[i];
	}
	free(p->slots);
	p->slots = slots;
	p->cap = cap;
}

/* Slot of s: where it is, or the empty slot where it belongs. */
static char **find(struct strpool *p, const char *s)
{
	if ((p->nr + 1) * 2 > p->cap)
		grow(p);
	size_t j = hash(s) & (p->cap - 1);
	while (p->slots[j] && strcmp(p->slots[j], s))
		j = (j + 1) & (p->cap - 1);
	return &p->slots[j];
}

const char *strpool_get(struct strpool *p, const char *s)
{
	if (!s)
		return NULL;
	char **slot = find(p, s);
	if (!*slot) {
		*slot = xstrdup(s);
		p->nr++;
	}
	return *slot;
}

char *strpool_take(struct strpool *p, char *s)
{
	if (!s)
		return NULL;
	char **slot = find(p, s);
	if (!*slot) {
		*slot = s;
		p->nr++;
		return s;
	}
	if (*slot != s)
		free(s);
	return *slot;
}

void strpool_release(struct strpool *p)
{
	for (size_t i = 0; i < p->cap; i++)
		free(p->slots[i]);
	free(p->slots);
	memset(p, 0, sizeof(*p));
}
