#include "collector/run/console.h"

#include <stdio.h>

void run_console_say(const struct run_opts *o, enum run_say_kind kind, const char *text)
{
	FILE *f = o->progress;
	switch (kind) {
	case RUN_SAY_WARNING:
		fprintf(stderr, "benchkeep: warning: %s\n", text);
		return;
	case RUN_SAY_ERROR:
		fprintf(stderr, "benchkeep: error: %s\n", text);
		return;
	case RUN_SAY_STATUS:
	case RUN_SAY_LINE:
		fprintf(f, "\r\033[K%s%s", text, kind == RUN_SAY_LINE ? "\n" : "");
		break;
	case RUN_SAY_RESULT:
		fprintf(f, "%s\n", text);
		break;
	}
	fflush(f);
}
