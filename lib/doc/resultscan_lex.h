/* resultscan_lex: the JSON tokens of resultscan's fast reader — whitespace,
 * punctuation, strings without escapes, numbers in JSON's strict grammar,
 * literals, and skipping a value not read — each returning 0 or -1 ("give
 * up") and counting values as the full reader bounds them.
 *
 * Included by lib/doc/resultscan.c only: static inline, so that the tokens
 * are compiled into the reader as they were when they lived in its file
 * (the reader calls them per character and per number). */
#ifndef BK_RESULTSCAN_LEX_H
#define BK_RESULTSCAN_LEX_H

#include <stdlib.h>
#include <string.h>

#include "lib/doc/json.h"

#define SCAN_MAX_DEPTH 64

struct scan {
	const char *p, *end;
	size_t values; /* values read, bounded like the full reader's */
};

struct span {
	const char *s;
	size_t n;
};

static inline void ws(struct scan *sc)
{
	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\n' || *sc->p == '\r' || *sc->p == '\t'))
		sc->p++;
}

/* Consumes character c (after whitespace). */
static inline int expect(struct scan *sc, char c)
{
	ws(sc);
	if (sc->p >= sc->end || *sc->p != c)
		return -1;
	sc->p++;
	return 0;
}

/* 1 when the next character (after whitespace) is c, consumed; else 0. */
static inline int accept(struct scan *sc, char c)
{
	ws(sc);
	if (sc->p < sc->end && *sc->p == c) {
		sc->p++;
		return 1;
	}
	return 0;
}

static inline int count_value(struct scan *sc)
{
	return ++sc->values > JSON_MAX_VALUES ? -1 : 0;
}

/* A string without escapes or control characters (anything else: give up). */
static inline int string(struct scan *sc, struct span *out)
{
	if (expect(sc, '"') < 0)
		return -1;
	const char *s = sc->p;
	while (sc->p < sc->end && *sc->p != '"') {
		unsigned char ch = (unsigned char)*sc->p;
		if (ch == '\\' || ch < 0x20)
			return -1;
		sc->p++;
	}
	if (sc->p >= sc->end)
		return -1;
	out->s = s;
	out->n = (size_t)(sc->p - s);
	sc->p++;
	return count_value(sc);
}

static inline int span_is(const struct span *a, const char *lit)
{
	size_t n = strlen(lit);
	return a->n == n && !memcmp(a->s, lit, n);
}

static inline int literal(struct scan *sc, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(sc->end - sc->p) < n || memcmp(sc->p, lit, n))
		return -1;
	sc->p += n;
	return count_value(sc);
}

static inline int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A JSON number (strict grammar), converted as cJSON does (strtod) unless
 * out is NULL (a skipped value: only checked). */
static inline int number(struct scan *sc, double *out)
{
	ws(sc);
	const char *s = sc->p, *e = sc->end;
	const char *q = s;
	if (q < e && *q == '-')
		q++;
	if (q < e && *q == '0') {
		q++;
	} else if (q < e && *q >= '1' && *q <= '9') {
		while (q < e && is_digit(*q))
			q++;
	} else {
		return -1;
	}
	if (q < e && *q == '.') {
		q++;
		if (q >= e || !is_digit(*q))
			return -1;
		while (q < e && is_digit(*q))
			q++;
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < e && (*q == '+' || *q == '-'))
			q++;
		if (q >= e || !is_digit(*q))
			return -1;
		while (q < e && is_digit(*q))
			q++;
	}
	char buf[64];
	size_t n = (size_t)(q - s);
	if (n >= sizeof(buf))
		return -1;
	if (out) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		*out = strtod(buf, NULL);
	}
	sc->p = q;
	return count_value(sc);
}

static inline int skip_value(struct scan *sc, int depth);

static inline int skip_container(struct scan *sc, int depth, char close, int object)
{
	if (depth > SCAN_MAX_DEPTH)
		return -1;
	if (accept(sc, close))
		return count_value(sc);
	do {
		if (object) {
			struct span k;
			if (string(sc, &k) < 0 || expect(sc, ':') < 0)
				return -1;
		}
		if (skip_value(sc, depth + 1) < 0)
			return -1;
	} while (accept(sc, ','));
	if (expect(sc, close) < 0)
		return -1;
	return count_value(sc);
}

static inline int skip_value(struct scan *sc, int depth)
{
	ws(sc);
	if (sc->p >= sc->end)
		return -1;
	struct span sp;
	switch (*sc->p) {
	case '"':
		return string(sc, &sp);
	case '{':
		sc->p++;
		return skip_container(sc, depth, '}', 1);
	case '[':
		sc->p++;
		return skip_container(sc, depth, ']', 0);
	case 't':
		return literal(sc, "true");
	case 'f':
		return literal(sc, "false");
	case 'n':
		return literal(sc, "null");
	default:
		return number(sc, NULL);
	}
}

/* 1 when the next value is null (consumed), 0 when it is something else. */
static inline int is_null(struct scan *sc)
{
	ws(sc);
	if (sc->p < sc->end && *sc->p == 'n')
		return literal(sc, "null") == 0 ? 1 : -1;
	return 0;
}

#endif
