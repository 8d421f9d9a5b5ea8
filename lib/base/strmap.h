/* strmap: string -> 32-bit value, open addressing (FNV-1a, linear probing);
 * also a set of interned strings (strmap_intern), so that many equal
 * strings share one copy. Keys are copied and owned by the map. Not
 * thread-safe. */
#ifndef BK_STRMAP_H
#define BK_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap {
	char **keys;
	uint32_t *vals;
	size_t cap, used;
};
#define STRMAP_INIT { NULL, NULL, 0, 0 }

/* The value of key, or UINT32_MAX when absent. */
uint32_t strmap_get(const struct strmap *m, const char *key);
/* The slot of key's value, created (holding UINT32_MAX, *fresh = 1) when
 * absent. The pointer is valid until the next strmap_slot. */
uint32_t *strmap_slot(struct strmap *m, const char *key, int *fresh);
/* The map's own copy of key (added when absent): valid until
 * strmap_release. NULL for NULL. */
const char *strmap_intern(struct strmap *m, const char *key);
/* 1 when key is in the map. */
int strmap_has(const struct strmap *m, const char *key);
/* Frees the keys and the table. */
void strmap_release(struct strmap *m);

#endif
