/* error: how lib/ reports failures without printing.
 *
 * A failing lib/ function records a one-line message with bk_error() (which
 * returns -1, so `return bk_error("...")` is one line) and the command layer
 * prints it with bk_last_error(). The message is kept per thread. Messages
 * follow the form "what failed: 'subject': detail", lowercase, no full stop. */
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
/* Clears the thread's last error. */
void bk_error_clear(void);

#endif
