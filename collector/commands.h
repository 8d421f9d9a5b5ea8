/* commands: the subcommands of the benchkeep binary. Each parses its own
 * options, prints to the user and returns the process exit code:
 * 0 ok, 1 the thing checked failed, 2 bad usage or bad input.
 * To add one: write cmd_foo(argc, argv) in its own file, declare it here,
 * add it to the table in benchkeep.c, document it in README.md. */
#ifndef BK_COMMANDS_H
#define BK_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_site(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_summary(int argc, char **argv);

/* Prints "benchkeep: error: MSG" for the last lib/ error; returns 2. */
int cmd_fail(void);

#endif
