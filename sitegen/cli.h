/* cli: the front-ends of the sitegen commands (site, compare, summary), as
 * the command table in benchkeep.c calls them. Each parses its own options,
 * prints to the user and returns the process exit code: 0 ok, 1 the thing
 * checked failed, 2 bad usage or bad input (the error recorded with
 * bk_fail()/bk_fail_msg(), printed once by main). Included only by
 * benchkeep.c and the cmd_*.c files that define them. */
#ifndef BK_SITEGEN_CLI_H
#define BK_SITEGEN_CLI_H

/* benchkeep site: render the static site from the history of results. */
int cmd_site(int argc, char **argv);
/* benchkeep compare: BASE against HEAD, per benchmark, with a verdict. */
int cmd_compare(int argc, char **argv);
/* benchkeep summary: the pull request comment as markdown. */
int cmd_summary(int argc, char **argv);

#endif
