/* escape: every escaping benchkeep does, in one place. Each function appends
 * the escaped form of `s` to `sb`; the caller owns sb. Invalid UTF-8 bytes and
 * control characters never pass through unchanged. */
#ifndef BK_ESCAPE_H
#define BK_ESCAPE_H

#include "lib/base/strbuf.h"

/* HTML text and double-quoted attribute values: & < > " ' escaped, control
 * characters (other than \n and \t) dropped as U+FFFD. Also right for SVG. */
void escape_html(struct strbuf *sb, const char *s);
/* XML 1.0 text/attributes (Atom): like HTML, and characters XML 1.0 forbids
 * (C0 controls except \t \n \r) replaced with U+FFFD. */
void escape_xml(struct strbuf *sb, const char *s);
/* Inline text in GitHub-flavoured markdown, including inside a table cell:
 * markdown punctuation backslash-escaped, '|' as "\|", '<' '>' '&' as
 * entities, newlines and controls as spaces, and a zero-width non-joiner
 * (U+200C) before '@' so that no e-mail autolink forms. */
void escape_markdown(struct strbuf *sb, const char *s);
/* A path segment of a URL: percent-encodes everything but unreserved chars. */
void escape_url_component(struct strbuf *sb, const char *s);
/* A CSV field (RFC 4180): quoted when needed, quotes doubled; a leading
 * = + - @ is prefixed with ' so spreadsheets do not run it as a formula. */
void escape_csv(struct strbuf *sb, const char *s);
/* A safe file name made from s: [A-Za-z0-9._-] kept, other bytes as
 * "_XX" hex, never starting with '.', never empty, at most 120 bytes of
 * readable prefix followed by a short hash when truncated or changed, so
 * distinct names stay distinct. Never contains '/'. */
void escape_filename(struct strbuf *sb, const char *s);

/* A readable, lossy, file-name-safe slug of `readable` ([A-Za-z0-9._-]
 * kept, runs of anything else as one '-', at most 80 bytes, never starting
 * with '.') followed by "-" and 8 hex digits of a hash of `key`, so distinct
 * keys get distinct slugs. Never contains '/'. */
void escape_slug(struct strbuf *sb, const char *readable, const char *key);

/* Text for a terminal: control characters (ESC, CR, ...) and invalid UTF-8
 * shown as '?', so a name cannot move the cursor or change colours. */
void escape_terminal(struct strbuf *sb, const char *s);
/* Display columns of a UTF-8 string for a text table: its code points (no
 * wide-character logic). */
size_t utf8_width(const char *s);
/* An absolute http(s) URL as a markdown link target ([text](URL)): bytes
 * outside [A-Za-z0-9] and -._~:/?#@!$&*+,;=% are percent-encoded (spaces,
 * quotes, parentheses, brackets, <, >, |, backslash, backtick, controls,
 * non-ASCII). In an HTML attribute, pass the result through escape_html too.
 * Returns 0, or -1 (nothing appended) when s does not start with "http://"
 * or "https://". */
int escape_url(struct strbuf *sb, const char *s);

#endif
