/* cli: the front-ends of the collector's commands (run, import, publish,
 * record, baseline), as the command table in benchkeep.c calls them. Each
 * parses its own options, prints to the user and returns the process exit
 * code: 0 ok, 1 the thing checked failed, 2 bad usage or bad input (the
 * error recorded with bk_fail()/bk_fail_msg(), printed once by main).
 * Included only by benchkeep.c and the cmd_*.c files that define them. */
#ifndef BK_COLLECTOR_CLI_H
#define BK_COLLECTOR_CLI_H

/* benchkeep run: run the configured suites, write one new result file. */
int cmd_run(int argc, char **argv);
/* benchkeep import: another harness's output as a result file. */
int cmd_import(int argc, char **argv);
/* benchkeep publish: send result files to NATS JetStream. */
int cmd_publish(int argc, char **argv);
/* benchkeep record: commit results arriving on NATS JetStream to git. */
int cmd_record(int argc, char **argv);
/* benchkeep baseline: write or show the baseline file. */
int cmd_baseline(int argc, char **argv);

#endif
