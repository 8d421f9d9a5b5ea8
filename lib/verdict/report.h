/* report: a comparison (lib/verdict/compare.h) as people read it: the cells of a
 * row (value with its unit, change, CI, p-value) and the aligned text table
 * of `benchkeep compare --format text`. No I/O. */
#ifndef BK_REPORT_H
#define BK_REPORT_H

#include "lib/verdict/compare.h"
#include "lib/base/strbuf.h"

/* How strings from the input are escaped in a cell. */
enum report_escape { REPORT_TERMINAL, REPORT_MARKDOWN };

/* Appends v with its unit ("1.20 ms", "3.4M ops/s"); time units are scaled,
 * any other unit is escaped for `esc`. "n/a" when not finite. */
void report_value(struct strbuf *sb, double v, const char *unit, enum report_escape esc);
/* Appends a relative change as a signed percentage ("+5.2%"), "n/a" when
 * undefined. */
void report_change(struct strbuf *sb, double change);
/* Appends the CI of a change ("+1.2% .. +3.4%"), "n/a" when undefined. */
void report_ci(struct strbuf *sb, double lo, double hi);
/* Appends a p- or q-value ("0.034", "1.2e-05", "<1e-300"); "-" when NaN. */
void report_p(struct strbuf *sb, double p);
/* Appends "suite / name" of the entry's benchmark, escaped for esc. */
void report_name(struct strbuf *sb, const struct compare_entry *e, enum report_escape esc);
/* Appends the short form of a commit: the first 7 characters of a hex sha,
 * else the escaped text (at most 40 bytes); nothing when NULL. */
void report_commit(struct strbuf *sb, const char *sha, enum report_escape esc);

/* Text report: a header naming both sides, one aligned table row per entry
 * in c's current order (call comparison_sort first for regressions first),
 * the counts, and one note per threshold-only benchmark. colour: ANSI
 * colours for the verdicts. base_label / head_label name the inputs. */
void report_text(struct strbuf *out, const struct comparison *c, const char *base_label,
		 const char *head_label, int colour);

#endif
