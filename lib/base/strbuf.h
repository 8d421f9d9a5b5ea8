/* strbuf: a growable, always NUL-terminated byte string.
 *
 * Invariants: `buf` is never NULL (an empty strbuf points at a static ""),
 * buf[len] == '\0'. Initialise with STRBUF_INIT or strbuf_init(); release the
 * contents with strbuf_release(); take ownership with strbuf_detach(). */
#ifndef BK_STRBUF_H
#define BK_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

/* Initialises sb empty with room for `hint` bytes (0: no allocation). */
void strbuf_init(struct strbuf *sb, size_t hint);
/* Frees the contents; sb is left empty and reusable. */
void strbuf_release(struct strbuf *sb);
/* Returns the heap string (caller frees) and leaves sb empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Makes room for `extra` more bytes. */
void strbuf_grow(struct strbuf *sb, size_t extra);
/* Sets the length to len (<= current allocation) and terminates. */
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

/* Out-of-line halves of the inline appends below (they grow, then append);
 * call strbuf_add / strbuf_addch instead. */
void strbuf_add_slow(struct strbuf *sb, const void *data, size_t len);
void strbuf_addch_slow(struct strbuf *sb, int c);

/* Appends len bytes of data. Inline: appending to a buffer with room is a
 * copy and a length update, no call (renders append millions of pieces). */
static inline void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (len && sb->alloc - sb->len > len) { /* alloc 0 (the slop buffer) never takes this */
		__builtin_memcpy(sb->buf + sb->len, data, len);
		sb->len += len;
		sb->buf[sb->len] = '\0';
	} else {
		strbuf_add_slow(sb, data, len);
	}
}

/* Appends the NUL-terminated string s. */
static inline void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, __builtin_strlen(s));
}

/* Appends one byte. */
static inline void strbuf_addch(struct strbuf *sb, int c)
{
	if (sb->alloc - sb->len > 1) {
		sb->buf[sb->len++] = (char)c;
		sb->buf[sb->len] = '\0';
	} else {
		strbuf_addch_slow(sb, c);
	}
}

/* Returns a pointer to room for at least `extra` more bytes at the end of sb
 * (growing it); write up to `extra` bytes there, then strbuf_commit the
 * number written. For formatters that write in place. */
static inline char *strbuf_reserve(struct strbuf *sb, size_t extra)
{
	if (sb->alloc - sb->len <= extra)
		strbuf_grow(sb, extra);
	return sb->buf + sb->len;
}

/* Adds n bytes written at strbuf_reserve's pointer to the length and
 * terminates (n <= the extra reserved). */
static inline void strbuf_commit(struct strbuf *sb, size_t n)
{
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/* Appends u in decimal (as "%llu"). */
void strbuf_addu(struct strbuf *sb, unsigned long long u);
/* Appends v in decimal (as "%lld"). */
void strbuf_addi(struct strbuf *sb, long long v);
/* Appends printf-formatted text. */
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends a double in the shortest form that reads back exactly ("%.17g"
 * fallback), never "nan"/"inf" (those are written as 0; callers validate). */
void strbuf_add_double(struct strbuf *sb, double v);
/* Removes trailing whitespace. */
void strbuf_rtrim(struct strbuf *sb);

/* Reads the whole file at `path` into sb (appending). Returns 0, or -1 with
 * errno set. */
int strbuf_read_file(struct strbuf *sb, const char *path);
/* Reads all of fd until EOF (appending). Returns 0, or -1 with errno set. */
int strbuf_read_fd(struct strbuf *sb, int fd);

#endif
