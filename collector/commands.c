#include <stdio.h>

#include "commands.h"
#include "error.h"

int cmd_fail(void)
{
	fprintf(stderr, "benchkeep: error: %s\n", bk_last_error());
	return 2;
}
