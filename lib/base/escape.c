#include "lib/base/escape.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	size_t n;
	uint32_t cp;
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Bytes below 0x40 that markup_escape must look at: C0 controls (but \t and
 * \n) and & < > " '. Above 0x40 only DEL and non-ASCII need a look. */
#define MARKUP_SPECIAL_LO                                                                   \
	((0xFFFFFFFFULL & ~((1ULL << '\t') | (1ULL << '\n'))) | (1ULL << '&') | (1ULL << '<') | \
	 (1ULL << '>') | (1ULL << '"') | (1ULL << '\''))

static void markup_escape(struct strbuf *sb, const char *s, int xml)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	uint64_t special = MARKUP_SPECIAL_LO & ~(xml ? 1ULL << '\r' : 0);
	for (;;) {
		unsigned c = *p;
		/* runs of bytes that pass unchanged are copied at once */
		if (c < 0x40 ? !((special >> c) & 1) : c < 0x7f) {
			p++;
			continue;
		}
		if (c >= 0x80) {
			size_t n = utf8_len(p);
			if (n) {
				p += n;
				continue;
			}
		}
		strbuf_add(sb, run, (size_t)(p - run));
		if (!c)
			return;
		switch (c) {
		case '&': strbuf_add(sb, "&amp;", 5); break;
		case '<': strbuf_add(sb, "&lt;", 4); break;
		case '>': strbuf_add(sb, "&gt;", 4); break;
		case '"': strbuf_add(sb, "&quot;", 6); break;
		case '\'': strbuf_add(sb, "&#39;", 5); break;
		default: /* controls, DEL, invalid UTF-8 */
			strbuf_add(sb, "\xEF\xBF\xBD", 3);
		}
		run = ++p;
	}
}

void escape_html(struct strbuf *sb, const char *s)
{
	markup_escape(sb, s, 0);
}

void escape_xml(struct strbuf *sb, const char *s)
{
	markup_escape(sb, s, 1);
}

void escape_markdown(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		if (c == '<') {
			strbuf_addstr(sb, "&lt;");
		} else if (c == '>') {
			strbuf_addstr(sb, "&gt;");
		} else if (c == '&') {
			strbuf_addstr(sb, "&amp;");
		} else if (c == '|') {
			strbuf_addstr(sb, "\\|");
		} else if (c == '@') {
			/* GFM's autolink extension makes "a@b.c" a mailto: link even
			 * as "a\@b\.c"; a zero-width non-joiner before '@' is not a
			 * local-part character, so no link starts there */
			strbuf_addstr(sb, "\xE2\x80\x8C@");
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addch(sb, ' ');
		} else if (strchr("\\`*_{}[]()#+-.!~:", c)) {
			strbuf_addch(sb, '\\');
			strbuf_addch(sb, c);
		} else {
			size_t n = utf8_len(p);
			if (!n) {
				strbuf_addstr(sb, "\xEF\xBF\xBD");
				p++;
				continue;
			}
			strbuf_add(sb, p, n);
			p += n;
			continue;
		}
		p++;
	}
}

void escape_url_component(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			strbuf_addch(sb, *p);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
}

void escape_csv(struct strbuf *sb, const char *s)
{
	size_t len = strlen(s);
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		      s[0] == '\r';
	/* numbers like -1.5 are data, not formulas */
	if (s[0] == '-' && s[1] >= '0' && s[1] <= '9')
		formula = 0;
	if (!quote && !formula) {
		strbuf_add(sb, s, len);
		return;
	}
	strbuf_addch(sb, '"');
	if (formula)
		strbuf_addch(sb, '\'');
	for (const char *p = s, *q; *p; p = q) {
		q = strchr(p, '"');
		if (!q) {
			strbuf_add(sb, p, len - (size_t)(p - s));
			break;
		}
		q++;
		strbuf_add(sb, p, (size_t)(q - p));
		strbuf_addch(sb, '"'); /* a quote doubled */
	}
	strbuf_addch(sb, '"');
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

void escape_filename(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = sb->len;
	int changed = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (sb->len - start >= 120) {
			changed = 1;
			break;
		}
		int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			 (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
			 *p == '_';
		if (*p == '.' && sb->len == start)
			ok = 0;
		if (ok) {
			strbuf_addch(sb, *p);
		} else {
			changed = 1;
			strbuf_addch(sb, '_');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
	if (sb->len == start) {
		strbuf_addstr(sb, "_empty");
		changed = 1;
	}
	if (changed)
		strbuf_addf(sb, "-%08x", (unsigned)fnv1a(s));
}

void escape_slug(struct strbuf *sb, const char *readable, const char *key)
{
	size_t start = sb->len;
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)readable; *p && sb->len - start < 80; p++) {
		int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			 (*p >= '0' && *p <= '9') || *p == '_' || (*p == '.' && sb->len > start) ||
			 (*p == '-');
		if (ok) {
			strbuf_addch(sb, *p);
			dash = *p == '-';
		} else if (!dash && sb->len > start) {
			strbuf_addch(sb, '-');
			dash = 1;
		}
	}
	while (sb->len > start && sb->buf[sb->len - 1] == '-')
		strbuf_setlen(sb, sb->len - 1);
	if (sb->len == start)
		strbuf_addch(sb, 'x');
	strbuf_addf(sb, "-%08x", (unsigned)fnv1a(key));
}

void escape_terminal(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p < 0x20 || *p == 0x7f) {
			strbuf_addch(sb, '?');
			p++;
			continue;
		}
		size_t n = utf8_len(p);
		/* C1 controls (U+0080..U+009F) act like ESC on some terminals */
		if (!n || (n == 2 && p[0] == 0xC2 && p[1] < 0xA0)) {
			strbuf_addch(sb, '?');
			p += n ? n : 1;
			continue;
		}
		strbuf_add(sb, p, n);
		p += n;
	}
}

int escape_url(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (strncmp(s, "http://", 7) && strncmp(s, "https://", 8))
		return -1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    (*p && strchr("-._~:/?#@!$&*+,;=%", *p))) {
			strbuf_addch(sb, *p);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
	return 0;
}

size_t utf8_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			w++;
	return w;
}
