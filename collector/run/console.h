/* console: the terminal side of `benchkeep run`, what its front-end prints
 * of the runner's messages (runopts.h): progress on o->progress, each line
 * replacing the status line before it, warnings and errors on stderr. The
 * default of run_opts.say; the only printing in the run room. */
#ifndef BK_CONSOLE_H
#define BK_CONSOLE_H

#include "collector/run/runopts.h"

/* Prints text as a message of kind: STATUS "\r\033[K" TEXT (no newline),
 * LINE "\r\033[K" TEXT "\n", RESULT TEXT "\n" on o->progress (flushed);
 * WARNING "benchkeep: warning: TEXT", ERROR "benchkeep: error: TEXT" on
 * stderr. */
void run_console_say(const struct run_opts *o, enum run_say_kind kind, const char *text);

#endif
