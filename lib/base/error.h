/* error: how lib/ reports failures without printing.
 *
 * A failing lib/ function records a one-line message with bk_error() (which
 * returns -1, so `return bk_error("...")` is one line). A command that gives
 * up on it returns bk_fail() (exit code 2) and main() prints the message,
 * once, as "benchkeep: error: MSG". The message is kept per thread.
 * Messages follow the form "what failed: 'subject': detail", lowercase, no
 * full stop.
 *
 * Notes (what a verdict rests on, a file skipped) go through bk_note(): the
 * sink main() installs prints "benchkeep: note: MSG" on stderr; without one
 * (unit tests, fuzzers) notes are dropped. Nothing below the commands
 * prints. */
#ifndef BK_ERROR_H
#define BK_ERROR_H

/* Records a formatted message as the thread's last error; returns -1. */
int bk_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prepends "prefix: " to the current last error (adds context as an error
 * travels up); returns -1. */
int bk_error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The thread's last error message ("" if none). Owned by the module; valid
 * until the next bk_error* call on this thread. */
const char *bk_last_error(void);
/* Clears the thread's last error (and its being reported). */
void bk_error_clear(void);

/* Marks the thread's last error as the command's failure, for main() to
 * print once; returns 2 (bad usage or bad input), so a command can
 * `return bk_fail();`. */
int bk_fail(void);
/* bk_error(fmt, ...) then bk_fail(): returns 2. */
int bk_fail_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The failure marked by bk_fail() on this thread, or NULL when none (or
 * when it was cleared since). Owned by the module. */
const char *bk_failure(void);

/* Where notes go: fn(msg, ctx) for each, in the order given; NULL drops
 * them (the default). Set once by main() before a command runs. */
void bk_note_sink(void (*fn)(const char *msg, void *ctx), void *ctx);
/* Sends a formatted note (one line, no "note:" prefix) to the sink. */
void bk_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
